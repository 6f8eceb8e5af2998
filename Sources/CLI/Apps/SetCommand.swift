import Client
import Model

/// `drover set image KIND/NAME CONTAINER=IMAGE...`: changes container images in an object's pod
/// template (a Deployment's change starts a rollout) with a strategic merge patch keyed by container
/// name, as kubectl's `set image`; `*` names every container. Prints `deployment.apps/web image updated`.
struct SetCommand: Command {
    static let name = "set"
    static let summary = "Set container images of a workload's pod template (set image)."
    static let usage = """
      drover set image (KIND NAME | KIND/NAME) CONTAINER=IMAGE... [-n NS]

    CONTAINER may be * for every container. Drover runs processes: the image is recorded, and a
    Deployment rolls out a new revision when it changes.

    Examples:
      drover set image deployment/web main=busybox:1.36
      drover set image deploy web '*=busybox:2'
    """
    static let options = [OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\").")]

    var resource: ResourceInfo
    var objectName: String
    var namespace: String
    /// CONTAINER → IMAGE, in the order given.
    var images: [(container: String, image: String)]

    init(_ arguments: ParsedArguments) throws {
        var words = arguments.positionals
        guard let what = words.first else { throw UsageError("a sub-command is required: drover set image KIND/NAME CONTAINER=IMAGE") }
        guard what == "image" else {
            throw UsageError("unknown command \"\(what)\" for \"drover set\"" + Suggestions.hint(what, among: ["image"]))
        }
        words.removeFirst()
        let pairs = words.filter { $0.contains("=") }
        let objects = words.filter { !$0.contains("=") }
        guard !pairs.isEmpty else { throw UsageError("at least one image update is required: CONTAINER=IMAGE") }
        let (resource, name) = try ObjectArgument.one(objects, verb: "set image")
        self.resource = resource
        objectName = name
        namespace = arguments.value("namespace") ?? "default"
        images = try pairs.map { (pair: String) throws -> (container: String, image: String) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw UsageError("invalid image update \"\(pair)\": expected CONTAINER=IMAGE") }
            return (parts[0], parts[1])
        }
    }

    func validate() throws(UsageError) {
        if images.count > 1 && images.contains(where: { $0.container == "*" }) {
            throw UsageError("all containers are already specified by *, but saw more than one container_name=container_image pairs")
        }
    }

    /// Where the pod spec sits in objects of this resource.
    var podSpecPath: [String]? {
        switch resource {
        case ResourceCatalog.pods: return ["spec"]
        case ResourceCatalog.cronJobs: return ["spec", "jobTemplate", "spec", "template", "spec"]
        case ResourceCatalog.deployments, ResourceCatalog.replicaSets, ResourceCatalog.daemonSets, ResourceCatalog.jobs:
            return ["spec", "template", "spec"]
        default: return nil
        }
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        guard let path = podSpecPath else { throw CLIError("\(resource.plural) have no containers whose image could be set") }
        let client = try context.client()
        let object = try await client.get(resource, namespace: namespace, name: objectName)
        let spec = object.value(at: path) ?? .emptyObject
        let patch = try Self.imagePatch(podSpec: spec, images: images)
        // Nothing changes: kubectl sends no patch and prints nothing.
        if patch.object?.isEmpty ?? true { return 0 }
        var body = JSONValue.emptyObject
        body.setValue(patch, at: path)
        _ = try await client.patch(resource, namespace: namespace, name: objectName, type: .strategicMerge, body: body)
        context.print("\(resource.displayName)/\(objectName) image updated")
        return 0
    }

    /// The pod spec part of the patch: `containers`/`initContainers` entries `{name, image}` for every
    /// container named (or all for `*`) whose image differs; `{}` when none does. A name no container
    /// has is kubectl's error.
    static func imagePatch(podSpec: JSONValue, images: [(container: String, image: String)]) throws(CLIError) -> JSONValue {
        var patch = JSONValue.emptyObject
        var matched = Set<String>()
        for key in ["initContainers", "containers"] {
            var entries: [JSONValue] = []
            for container in podSpec[key]?.array ?? [] {
                guard let name = container["name"]?.string else { continue }
                // The last pair naming a container (or `*`) wins, as kubectl applies them in order.
                guard let update = images.last(where: { $0.container == name || $0.container == "*" }) else { continue }
                matched.insert(update.container)
                if container["image"]?.string != update.image {
                    entries.append(["name": .string(name), "image": .string(update.image)])
                }
            }
            if !entries.isEmpty { patch[key] = .array(entries) }
        }
        if let missing = images.first(where: { !matched.contains($0.container) && $0.container != "*" }) {
            throw CLIError("unable to find container named \"\(missing.container)\"")
        }
        return patch
    }
}
