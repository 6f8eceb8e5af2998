import Client
import Model

/// `drover patch KIND NAME --type merge|json|strategic -p PATCH`: sends the patch as kubectl
/// does (strategic merge by default) and prints `job.batch/hello patched`, or `patched (no
/// change)` when the server's object did not move.
struct PatchCommand: Command {
    static let name = "patch"
    static let summary = "Update fields of a resource with a merge, JSON or strategic merge patch."
    static let usage = """
      drover patch KIND NAME -p PATCH [--type strategic|merge|json] [-n NS] [--subresource status]
      drover patch KIND/NAME --patch-file FILE

    PATCH is JSON or YAML; a json patch is a list of operations.

    Examples:
      drover patch job hello -p '{"spec":{"suspend":true}}'
      drover patch deploy/web --type merge -p 'spec: {replicas: 3}'
      drover patch node worker-1 --type json -p '[{"op":"add","path":"/metadata/labels/zone","value":"a"}]'
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
        OptionSpec("patch", short: "p", value: "PATCH", help: "The patch, as JSON or YAML."),
        OptionSpec("patch-file", value: "FILE", help: "Read the patch from a file."),
        OptionSpec("type", value: "TYPE", help: "strategic (default), merge or json."),
        OptionSpec("subresource", value: "NAME", help: "Patch a subresource, e.g. status."),
    ]

    var resource: ResourceInfo
    var objectName: String
    var namespace: String?
    var patchText: String?
    var patchFile: String?
    var type: PatchType
    var subresource: String?

    init(_ arguments: ParsedArguments) throws {
        let (resource, name) = try ObjectArgument.one(arguments.positionals, verb: "patch")
        self.resource = resource
        objectName = name
        namespace = arguments.value("namespace")
        patchText = arguments.value("patch")
        patchFile = arguments.value("patch-file")
        subresource = arguments.value("subresource")
        switch arguments.value("type") ?? "strategic" {
        case "strategic": type = .strategicMerge
        case "merge": type = .merge
        case "json": type = .json
        case let other: throw UsageError("--type must be one of [json merge strategic], not \"\(other)\"")
        }
    }

    func validate() throws(UsageError) {
        if (patchText == nil) == (patchFile == nil) { throw UsageError("must specify exactly one of --patch (-p) and --patch-file") }
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let bytes = try patchFile.map { try context.readFile($0) } ?? Array((patchText ?? "").utf8)
        let body = try Self.parse(bytes)
        if type == .json && body.array == nil { throw CLIError("unable to parse \"\(patchText ?? patchFile ?? "")\": a json patch must be a list of operations") }
        if type != .json && body.object == nil { throw CLIError("unable to parse \"\(patchText ?? patchFile ?? "")\": a \(type == .merge ? "merge" : "strategic merge") patch must be an object") }
        let client = try context.client()
        let ns = resource.namespaced ? namespace ?? "default" : nil
        let before = try await client.get(resource, namespace: ns, name: objectName)
        let after = try await client.patch(resource, namespace: ns, name: objectName, type: type, body: body, subresource: subresource)
        let unchanged = before.value(at: ["metadata", "resourceVersion"]) == after.value(at: ["metadata", "resourceVersion"])
        context.print("\(resource.displayName)/\(objectName) patched\(unchanged ? " (no change)" : "")")
        return 0
    }

    /// The patch as JSON, or YAML converted to JSON.
    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        if let json = try? JSONValue.parse(bytes) { return json }
        do {
            guard let document = try YAMLReader.documents(bytes).first else { throw CLIError("the patch is empty") }
            return document
        } catch let error as YAMLError {
            throw CLIError("unable to parse the patch: \(error.message)")
        }
    }
}

/// Resource arguments naming exactly one object: `KIND NAME` or `KIND/NAME`.
enum ObjectArgument {
    static func one(_ positionals: [String], verb: String) throws -> (ResourceInfo, String) {
        guard let first = positionals.first else {
            throw UsageError("you must specify the object to \(verb), e.g. \"drover \(verb) job NAME\"")
        }
        let kind = try KindArgument(first)
        if let name = kind.name {
            guard positionals.count == 1 else { throw UsageError("\(verb) takes one object, got \(positionals.count) arguments") }
            return (kind.resource, name)
        }
        guard positionals.count == 2 else {
            throw UsageError(positionals.count < 2 ? "a name is required: drover \(verb) \(first) NAME" : "\(verb) takes one object, got \(positionals.count - 1) names")
        }
        return (kind.resource, positionals[1])
    }
}
