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
      drover apply -f FILE|DIR|- [-R] [-n NS]

    FILE may hold several YAML documents separated by ---, or a kind: List; -f - reads standard input.
    A directory applies its .json, .yaml and .yml files in name order; -R descends into subdirectories.

    Examples:
      drover apply -f job.yaml
      drover apply -f manifests/ -R
      cat deploy.json | drover apply -f -
    """
    static let options = ManifestFlags.options

    var flags: ManifestFlags
    var namespace: String? { flags.namespace }

    init(_ arguments: ParsedArguments) throws { flags = try ManifestFlags(arguments) }

    func validate() throws(UsageError) { try flags.validate() }

    func run(_ context: CommandContext) async throws -> Int32 {
        let manifests = try flags.load(context, verb: "apply")
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

    /// An object without its status and the metadata the server keeps (resourceVersion,
    /// managedFields, generation), for telling whether an apply changed anything.
    static func userFields(_ object: JSONValue) -> JSONValue {
        var copy = object
        copy["status"] = nil
        for field in ["resourceVersion", "managedFields", "generation"] { copy.setValue(nil, at: ["metadata", field]) }
        return copy
    }

    /// Applies one object; returns `created`, `configured` or `unchanged`.
    func apply(_ target: ManifestTarget, client: any APIClient) async throws -> String {
        guard let current = try await client.getIfPresent(target.resource, namespace: target.namespace, name: target.name) else {
            _ = try await client.create(target.resource, namespace: target.namespace, object: target.object)
            return "created"
        }
        let patched = try await client.patch(target.resource, namespace: target.namespace, name: target.name,
                                             type: .merge, body: Self.patchBody(target.object))
        // Compared without status and server-kept metadata: a controller writing the object's status
        // between the GET and the PATCH does not make an unchanged manifest "configured".
        return Self.userFields(patched) == Self.userFields(current) ? "unchanged" : "configured"
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
