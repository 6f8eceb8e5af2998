import Client
import Model

/// `drover apply -f FILE`: creates each object of the manifest that does not exist yet and merges
/// the manifest into those that do.
///
/// Unlike kubectl there is no last-applied annotation: fields removed from the manifest stay on the
/// server, and lists in the manifest replace the server's lists (JSON merge patch semantics).
struct ApplyCommand: Command {
    static let name = "apply"
    static let summary = "Create or update resources from a file (JSON or YAML)."
    static let usage = """
      drover apply -f FILE [-n NS]

    FILE may hold several YAML documents separated by ---, or a kind: List; -f - reads standard input.

    Examples:
      drover apply -f job.yaml
      cat deploy.json | drover apply -f -
    """
    static let options = [
        OptionSpec("filename", short: "f", value: "FILE", help: "Manifest to apply (repeatable; - for stdin)."),
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace for objects that name none."),
    ]

    var files: [String]
    var namespace: String?

    init(_ arguments: ParsedArguments) throws {
        files = arguments.allValues("filename")
        namespace = arguments.value("namespace")
        if let extra = arguments.positionals.first {
            throw UsageError("unexpected argument \"\(extra)\"; manifests are given with -f")
        }
    }

    func validate() throws(UsageError) {
        if files.isEmpty { throw UsageError("must specify -f FILE") }
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let manifests = try ManifestSet.load(files, context: context)
        let client = try context.client()
        var failed = false
        for manifest in manifests {
            do {
                let target = try manifest.target(defaultNamespace: namespace)
                context.print("\(target.resource.displayName)/\(target.name) \(try await apply(target, client: client))")
            } catch let error as StatusError {
                let action = error.reason == "AlreadyExists" ? "error when creating \"\(manifest.source)\"" : nil
                context.printError(ErrorReport.serverError(error, action: action))
                failed = true
            } catch {
                context.printError(ErrorReport.describe(error))
                failed = true
            }
        }
        return failed ? 1 : 0
    }

    /// Applies one object; returns `created`, `configured` or `unchanged`.
    func apply(_ target: ManifestTarget, client: any APIClient) async throws -> String {
        guard let current = try await client.getIfPresent(target.resource, namespace: target.namespace, name: target.name) else {
            _ = try await client.create(target.resource, namespace: target.namespace, object: target.object)
            return "created"
        }
        let patched = try await client.patch(target.resource, namespace: target.namespace, name: target.name,
                                             type: .merge, body: Self.patchBody(target.object))
        let before = current.value(at: ["metadata", "resourceVersion"])
        return patched.value(at: ["metadata", "resourceVersion"]) == before ? "unchanged" : "configured"
    }

    /// The manifest minus what a user cannot set: status and the server-owned metadata (a stale
    /// resourceVersion would otherwise turn the patch into a precondition).
    static func patchBody(_ object: JSONValue) -> JSONValue {
        var body = object
        body["status"] = nil
        for field in ["resourceVersion", "uid", "creationTimestamp", "generation", "selfLink", "managedFields"] {
            if body.value(at: ["metadata", field]) != nil { body.setValue(nil, at: ["metadata", field]) }
        }
        return body
    }
}

/// The objects of one or more manifest files, each with the file it came from.
struct ManifestSet {
    var source: String
    var object: JSONValue

    static func load(_ files: [String], context: CommandContext) throws -> [ManifestSet] {
        try files.flatMap { file in
            let source = file == "-" ? "STDIN" : file
            return try ManifestReader.objects(in: try context.readFile(file), source: source)
                .map { ManifestSet(source: source, object: $0) }
        }
    }

    /// Where the object goes: its resource from apiVersion and kind, its namespace from the object,
    /// else `-n`, else `default`.
    func target(defaultNamespace: String?) throws -> ManifestTarget {
        let apiVersion = object["apiVersion"]?.string ?? ""
        let kind = object["kind"]?.string ?? ""
        guard !apiVersion.isEmpty, !kind.isEmpty else {
            throw CLIError("error validating \"\(source)\": apiVersion and kind must be set on every object")
        }
        let name = object.value(at: ["metadata", "name"])?.string ?? ""
        guard let resource = ResourceCatalog.lookup(apiVersion: apiVersion, kind: kind) else {
            throw CLIError("resource mapping not found for name: \"\(name)\" namespace: \"\" from \"\(source)\": no matches for kind \"\(kind)\" in version \"\(apiVersion)\"")
        }
        guard !name.isEmpty else {
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
