import Model

/// Turns a manifest file (JSON, or YAML with any number of `---` documents) into the objects it
/// holds, expanding `kind: List` and skipping empty documents.
enum ManifestReader {
    static func objects(in bytes: [UInt8], source: String) throws -> [JSONValue] {
        var documents: [JSONValue]
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "["), let json = try? JSONValue.parse(bytes) {
            documents = [json]
        } else {
            do {
                documents = try YAMLReader.documents(bytes)
            } catch {
                throw CLIError("error parsing \(source): \(error.message)")
            }
        }
        documents = documents.flatMap { $0.array ?? [$0] }
        var objects: [JSONValue] = []
        for document in documents where document != .null {
            guard document.object != nil else {
                throw CLIError("error validating \(source): a manifest document must be an object, not \(document.typeName)")
            }
            if document["kind"]?.string == "List" {
                objects += try (document["items"]?.array ?? []).map { item in
                    guard item.object != nil else { throw CLIError("error validating \(source): a List item must be an object") }
                    return item
                }
            } else {
                objects.append(document)
            }
        }
        return objects
    }
}

extension ResourceInfo {
    /// `job.batch`, `pod`: how kubectl names the kind in messages and `-o name`.
    var displayName: String { group.isEmpty ? singular : "\(singular).\(group)" }
}
