import Model

/// Turns a manifest file (JSON, or YAML with any number of `---` documents) into the objects it
/// holds, expanding `kind: List` and skipping empty documents.
enum ManifestReader {
    /// One object and the 1-based number of the document it came from.
    struct Entry {
        var object: JSONValue
        var document: Int
    }

    static func objects(in bytes: [UInt8], source: String) throws -> [JSONValue] {
        try entries(in: bytes, source: source).map(\.object)
    }

    /// The objects with their document numbers. A document that does not parse is an error naming
    /// the file, the document and (from libyaml) the line and column.
    static func entries(in bytes: [UInt8], source: String) throws -> [Entry] {
        var documents: [JSONValue]
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "["), let json = try? JSONValue.parse(bytes) {
            documents = [json]
        } else {
            do {
                documents = try YAMLReader.documents(bytes)
            } catch {
                let document = error.document.map { " (document \($0))" } ?? ""
                throw CLIError("error parsing \(source)\(document): \(error.message)")
            }
        }
        var entries: [Entry] = []
        for (index, document) in documents.enumerated() {
            let number = index + 1
            for item in document.array ?? [document] where item != .null {
                guard item.object != nil else {
                    throw CLIError("error validating \(source) (document \(number)): a manifest document must be an object, not \(item.typeName)")
                }
                if item["kind"]?.string == "List" {
                    for listed in item["items"]?.array ?? [] {
                        guard listed.object != nil else {
                            throw CLIError("error validating \(source) (document \(number)): a List item must be an object")
                        }
                        entries.append(Entry(object: listed, document: number))
                    }
                } else {
                    entries.append(Entry(object: item, document: number))
                }
            }
        }
        return entries
    }
}

extension ResourceInfo {
    /// `job.batch`, `pod`: how kubectl names the kind in messages and `-o name`.
    var displayName: String { group.isEmpty ? singular : "\(singular).\(group)" }
}
