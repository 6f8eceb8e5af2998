import Model

/// The objects of one or more manifest files, each with the file and document it came from.
struct ManifestSet {
    var source: String
    var object: JSONValue
    /// 1-based document number within the file.
    var document = 1

    /// The file extensions read from directories, as kubectl.
    static let extensions = [".json", ".yaml", ".yml"]

    /// The objects of `paths`: files (`-` for standard input) and directories, whose `.json`,
    /// `.yaml` and `.yml` files are read in name order — and, with `recursive`, those of their
    /// subdirectories too.
    static func load(_ paths: [String], recursive: Bool = false, context: CommandContext) throws -> [ManifestSet] {
        try files(paths, recursive: recursive, context: context).flatMap { file in
            let source = file == "-" ? "STDIN" : file
            return try ManifestReader.entries(in: try context.readFile(file), source: source)
                .map { ManifestSet(source: source, object: $0.object, document: $0.document) }
        }
    }

    /// The manifest files `paths` name, directories expanded.
    static func files(_ paths: [String], recursive: Bool, context: CommandContext) throws -> [String] {
        var files: [String] = []
        for path in paths {
            guard let entries = context.listDirectory(path) else {
                files.append(path)
                continue
            }
            for entry in entries.sorted() {
                let child = path.hasSuffix("/") ? path + entry : path + "/" + entry
                if context.listDirectory(child) != nil {
                    if recursive { files += try self.files([child], recursive: true, context: context) }
                } else if extensions.contains(where: { entry.hasSuffix($0) }) {
                    files.append(child)
                }
            }
        }
        return files
    }

    /// Where the object goes: its resource from apiVersion and kind, its namespace from the object,
    /// else `-n`, else `default`.
    /// `allowGenerateName` lets a nameless object with `metadata.generateName` through (create).
    func target(defaultNamespace: String?, allowGenerateName: Bool = false) throws -> ManifestTarget {
        let apiVersion = object["apiVersion"]?.string ?? ""
        let kind = object["kind"]?.string ?? ""
        guard !apiVersion.isEmpty, !kind.isEmpty else {
            throw CLIError("error validating \"\(source)\" (document \(document)): apiVersion and kind must be set on every object")
        }
        let name = object.value(at: ["metadata", "name"])?.string ?? ""
        guard let resource = ResourceCatalog.lookup(apiVersion: apiVersion, kind: kind) else {
            throw CLIError("resource mapping not found for name: \"\(name)\" namespace: \"\" from \"\(source)\": no matches for kind \"\(kind)\" in version \"\(apiVersion)\"")
        }
        let generated = allowGenerateName && !(object.value(at: ["metadata", "generateName"])?.string ?? "").isEmpty
        guard !name.isEmpty || generated else {
            throw CLIError("error when applying \(resource.displayName) from \"\(source)\": resource name may not be empty")
        }
        var object = object
        var namespace: String?
        if resource.namespaced {
            let own = object.value(at: ["metadata", "namespace"])?.string
            if let own, let defaultNamespace, own != defaultNamespace {
                throw CLIError("the namespace from the provided object \"\(own)\" does not match the namespace \"\(defaultNamespace)\". You must pass '--namespace=\(own)' to perform this operation.")
            }
            namespace = own ?? defaultNamespace ?? "default"
            object.setValue(.string(namespace ?? "default"), at: ["metadata", "namespace"])
        }
        return ManifestTarget(resource: resource, namespace: namespace, name: name, object: object)
    }
}

/// One manifest object with its resolved resource, namespace and name.
struct ManifestTarget {
    var resource: ResourceInfo
    var namespace: String?
    var name: String
    var object: JSONValue
}
