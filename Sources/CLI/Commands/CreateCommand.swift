import Client
import Model

/// `drover create -f FILE|DIR|-`: creates every object of the manifests; an object that exists
/// already is an error (`apply` is the verb that updates).
struct CreateCommand: Command {
    static let name = "create"
    static let summary = "Create resources from a file (JSON or YAML)."
    static let usage = """
      drover create -f FILE|DIR|- [-R] [-n NS]

    Examples:
      drover create -f job.yaml
      drover create -f manifests/ -R
    """
    static let options = ManifestFlags.options

    var flags: ManifestFlags
    var namespace: String? { flags.namespace }

    init(_ arguments: ParsedArguments) throws { flags = try ManifestFlags(arguments) }

    func validate() throws(UsageError) { try flags.validate() }

    func run(_ context: CommandContext) async throws -> Int32 {
        let manifests = try flags.load(context, verb: "create")
        return try await Self.create(manifests, namespace: namespace, context: context)
    }

    /// Creates each object, printing `job.batch/hello created`; failures are reported per object
    /// and the rest still go. Returns the exit status.
    static func create(_ manifests: [ManifestSet], namespace: String?, context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        var failed = false
        for manifest in manifests {
            do {
                let target = try manifest.target(defaultNamespace: namespace, allowGenerateName: true)
                let created = try await client.create(target.resource, namespace: target.namespace, object: target.object)
                context.print("\(target.resource.displayName)/\(created.objectName) created")
            } catch let error as StatusError {
                context.printError(ErrorReport.serverError(error, action: "error when creating \"\(manifest.source)\""))
                failed = true
            } catch {
                context.printError(ErrorReport.describe(error))
                failed = true
            }
        }
        return failed ? 1 : 0
    }
}
