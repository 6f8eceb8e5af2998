import Client
import Model

/// `drover scale deployment/NAME|replicaset/NAME --replicas N [--current-replicas N]`: sets the
/// size through the scale subresource as kubectl's scaler does — a merge patch of `spec.replicas`
/// to `…/scale`, or with a precondition a GET of the Scale, the check, and a PUT carrying its
/// resourceVersion (so a concurrent change is a conflict, not overwritten).
struct ScaleCommand: Command {
    static let name = "scale"
    static let summary = "Set a new size for a Deployment or ReplicaSet."
    static let usage = """
      drover scale (KIND NAME | KIND/NAME) --replicas N [--current-replicas N] [-n NS]

    KIND is deployment or replicaset (kubectl no longer scales Jobs: change their parallelism).

    Examples:
      drover scale deployment/web --replicas 3
      drover scale rs web-5d8f7 --replicas 0
      # Only if web has 2 replicas now:
      drover scale deployment/web --current-replicas 2 --replicas 3
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
        OptionSpec("replicas", value: "N", help: "The new desired number of replicas. Required."),
        OptionSpec("current-replicas", value: "N", help: "Precondition: scale only if the current size is N."),
    ]

    var resource: ResourceInfo
    var objectName: String
    var namespace: String
    var replicas: Int
    var currentReplicas: Int?

    init(_ arguments: ParsedArguments) throws {
        let (resource, name) = try ObjectArgument.one(arguments.positionals, verb: "scale")
        self.resource = resource
        objectName = name
        namespace = arguments.value("namespace") ?? "default"
        guard let text = arguments.value("replicas") else { throw UsageError("required flag(s) \"replicas\" not set") }
        replicas = try Self.count(text, flag: "replicas")
        currentReplicas = try arguments.value("current-replicas").map { try Self.count($0, flag: "current-replicas") }
    }

    static func count(_ text: String, flag: String) throws(UsageError) -> Int {
        guard let value = Int(text) else { throw UsageError("invalid argument \"\(text)\" for \"--\(flag)\" flag: not an integer") }
        if value < 0 && flag == "replicas" {
            throw UsageError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
        }
        return value
    }

    func validate() throws(UsageError) {}

    func run(_ context: CommandContext) async throws -> Int32 {
        if resource == ResourceCatalog.jobs {
            throw CLIError("jobs cannot be scaled: kubectl removed job scaling; set the Job's parallelism instead, e.g. drover patch job/\(objectName) --type merge -p '{\"spec\":{\"parallelism\":\(replicas)}}'")
        }
        guard resource.subresources.contains("scale") else {
            throw CLIError("\(resource.plural) cannot be scaled: only deployments and replicasets have a scale subresource")
        }
        let client = try context.client()
        if let currentReplicas {
            try await scaleWithPrecondition(client, current: currentReplicas)
        } else {
            _ = try await client.patch(resource, namespace: namespace, name: objectName, type: .merge,
                                       body: ["spec": ["replicas": .int(Int64(replicas))]], subresource: "scale")
        }
        context.print("\(resource.displayName)/\(objectName) scaled")
        return 0
    }

    /// GET …/scale, compare, PUT …/scale with the Scale's resourceVersion. A conflict (the object
    /// moved in between, e.g. a status write during a rollout) is retried from the GET, as kubectl's
    /// scaler retries only conflicts.
    private func scaleWithPrecondition(_ client: any APIClient, current: Int) async throws {
        let path = try ResourcePath.object(resource, namespace: namespace, name: objectName, subresource: "scale")
        for attempt in 1...Self.conflictAttempts {
            var scale = try await client.raw(RawRequest(path: path, headers: ["Accept": "application/json"])).checked().json()
            let actual = scale.value(at: ["spec", "replicas"])?.int ?? 0
            guard actual == Int64(current) else { throw CLIError("Expected replicas to be \(current), was \(actual)") }
            scale.setValue(.int(Int64(replicas)), at: ["spec", "replicas"])
            do {
                _ = try await client.raw(RawRequest(method: "PUT", path: path, json: scale)).checked()
                return
            } catch let error as StatusError where error.code == 409 && attempt < Self.conflictAttempts {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// How often a conflicting PUT is tried again (100 ms apart) before the conflict is reported.
    static let conflictAttempts = 50
}
