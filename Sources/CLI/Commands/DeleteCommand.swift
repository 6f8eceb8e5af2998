import Client
import Model

/// `drover delete KIND NAME...` or `drover delete -f FILE`: deletes with background propagation,
/// so dependents (a Job's pods) go too.
struct DeleteCommand: Command {
    static let name = "delete"
    static let summary = "Delete resources by kind and name, or those named in a file."
    static let usage = """
      drover delete KIND NAME... [-n NS]
      drover delete KIND/NAME...
      drover delete -f FILE

    Examples:
      drover delete job hello
      drover delete -f job.yaml
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
        OptionSpec("filename", short: "f", value: "FILE", help: "Delete the objects in this manifest (repeatable)."),
        OptionSpec("ignore-not-found", help: "Treat a missing object as deleted."),
    ]

    var targets: [(resource: ResourceInfo, name: String)] = []
    var files: [String]
    var namespace: String?
    var ignoreNotFound: Bool

    init(_ arguments: ParsedArguments) throws {
        files = arguments.allValues("filename")
        namespace = arguments.value("namespace")
        ignoreNotFound = arguments.flag("ignore-not-found")
        var positionals = arguments.positionals
        guard let first = positionals.first else { return }
        if first.contains("/") {
            targets = try positionals.map { argument in
                let kind = try KindArgument(argument)
                guard let name = kind.name else {
                    throw UsageError("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form")
                }
                return (kind.resource, name)
            }
        } else {
            let resource = try KindArgument(positionals.removeFirst()).resource
            guard !positionals.isEmpty else {
                throw UsageError("resource(s) were provided, but no name was specified")
            }
            targets = positionals.map { (resource, $0) }
        }
    }

    func validate() throws(UsageError) {
        if targets.isEmpty && files.isEmpty { throw UsageError("you must provide one or more resources by argument or filename") }
        if !targets.isEmpty && !files.isEmpty { throw UsageError("give either -f FILE or KIND NAME, not both") }
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        var work: [(ResourceInfo, String?, String)] = targets.map { ($0.resource, namespace ?? "default", $0.name) }
        for manifest in try ManifestSet.load(files, context: context) {
            let target = try manifest.target(defaultNamespace: namespace)
            work.append((target.resource, target.namespace, target.name))
        }
        let client = try context.client()
        var failed = false
        for (resource, namespace, name) in work {
            do {
                _ = try await client.delete(resource, namespace: resource.namespaced ? namespace : nil, name: name,
                                            options: DeleteOptions(propagationPolicy: .background))
                context.print("\(resource.displayName) \"\(name)\" deleted")
            } catch let error as StatusError {
                if ignoreNotFound && error.code == 404 { continue }
                context.printError(ErrorReport.describe(error))
                failed = true
            }
        }
        return failed ? 1 : 0
    }
}
