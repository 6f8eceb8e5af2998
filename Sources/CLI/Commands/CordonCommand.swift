import Client
import Model

/// `drover cordon NODE...` / `drover cordon -l SELECTOR`: marks nodes unschedulable, so the
/// scheduler places no new pods there (pods already running stay), as `kubectl cordon`.
struct CordonCommand: Command {
    static let name = "cordon"
    static let summary = "Mark nodes unschedulable: no new pods are placed on them."
    static let usage = """
      drover cordon NODE... | -l SELECTOR

    Examples:
      drover cordon worker-3
      drover cordon -l pool=batch
    """
    static let options = NodeCordoning.options

    var cordoning: NodeCordoning

    init(_ arguments: ParsedArguments) throws { cordoning = NodeCordoning(arguments, unschedulable: true) }

    func validate() throws(UsageError) { try cordoning.validate() }

    func run(_ context: CommandContext) async throws -> Int32 { try await cordoning.run(context) }
}

/// What `cordon` and `uncordon` share: the nodes named or selected, and setting
/// `spec.unschedulable` on each that does not have the wanted value yet.
struct NodeCordoning: Sendable {
    static let options = [OptionSpec("selector", short: "l", value: "SELECTOR", help: "Nodes whose labels match (k=v,k2 in (a,b)).")]

    var names: [String]
    var selector: String?
    /// The value `spec.unschedulable` should end with.
    var unschedulable: Bool

    init(_ arguments: ParsedArguments, unschedulable: Bool) {
        self.init(names: arguments.positionals, selector: arguments.value("selector"), unschedulable: unschedulable)
    }

    init(names: [String], selector: String?, unschedulable: Bool) {
        self.names = names
        self.selector = selector
        self.unschedulable = unschedulable
    }

    func validate() throws(UsageError) {
        if names.isEmpty && selector == nil { throw UsageError("give one or more node names, or a selector with -l") }
        if !names.isEmpty && selector != nil { throw UsageError("give node names or a selector, not both") }
    }

    /// Exit status 1 when any named node could not be read or changed; the others are still done.
    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        var failed = false
        var nodes: [JSONValue] = []
        if let selector {
            nodes = try await client.list(ResourceCatalog.nodes, namespace: nil, options: ListOptions(labelSelector: selector)).items
            if nodes.isEmpty { context.printError("No resources found") }
        }
        for name in names {
            do {
                nodes.append(try await client.get(ResourceCatalog.nodes, namespace: nil, name: name))
            } catch let error as StatusError {
                context.printError(ErrorReport.describe(error))
                failed = true
            }
        }
        let done = unschedulable ? "cordoned" : "uncordoned"
        for node in nodes {
            let name = node.value(at: ["metadata", "name"])?.string ?? ""
            guard (node.value(at: ["spec", "unschedulable"])?.bool ?? false) != unschedulable else {
                context.print("node/\(name) already \(done)")
                continue
            }
            // false is written as a removal, as kubectl's patch does (the field is omitempty).
            let patch: JSONValue = ["spec": ["unschedulable": unschedulable ? true : .null]]
            do {
                _ = try await client.patch(ResourceCatalog.nodes, namespace: nil, name: name, type: .merge, body: patch)
                context.print("node/\(name) \(done)")
            } catch let error as StatusError {
                context.printError(ErrorReport.describe(error))
                failed = true
            }
        }
        return failed ? 1 : 0
    }
}
