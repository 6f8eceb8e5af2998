import Client
import Foundation
import Model

/// `drover top nodes` — measured usage, and requested against allocatable CPU and memory per
/// node with bars — and `drover top pods` — each running pod's usage beside its requests and
/// limits. Usage comes from metrics.k8s.io (as `kubectl top`); "-" where none is known yet.
struct TopCommand: Command {
    static let name = "top"
    static let summary = "Show CPU and memory usage, requests and limits per node or per pod."
    static let usage = """
      drover top nodes [-l SELECTOR]
      drover top pods [-n NS | -A] [-l SELECTOR]

    Examples:
      drover top nodes
      drover top pods -A
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace for top pods (default \"default\")."),
        OptionSpec("all-namespaces", short: "A", help: "Pods of every namespace."),
        OptionSpec("selector", short: "l", value: "SELECTOR", help: "Label selector."),
        OptionSpec("no-headers", help: "Leave out the header line."),
    ]

    enum Subject { case nodes, pods }

    var subject: Subject
    var namespace: String?
    var allNamespaces: Bool
    var selector: String?
    var noHeaders: Bool

    init(_ arguments: ParsedArguments) throws {
        switch arguments.positionals.first.map({ ResourceCatalog.resolve($0)?.kind }) {
        case "Node"?: subject = .nodes
        case "Pod"?: subject = .pods
        default: throw UsageError("drover top takes nodes or pods, e.g. \"drover top nodes\"")
        }
        guard arguments.positionals.count == 1 else { throw UsageError("drover top takes no names; use -l to select") }
        namespace = arguments.value("namespace")
        allNamespaces = arguments.flag("all-namespaces")
        selector = arguments.value("selector")
        noHeaders = arguments.flag("no-headers")
    }

    func validate() throws(UsageError) {}

    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        var rows: [[String]]
        switch subject {
        case .nodes:
            let nodes = try await client.list(ResourceCatalog.nodes, namespace: nil, options: ListOptions(labelSelector: selector)).items
            let pods = try await client.list(ResourceCatalog.pods, namespace: nil).items.filter { !PodView($0).isTerminal }
            let usage = await MeasuredUsage.fetch(client, path: "/apis/metrics.k8s.io/v1beta1/nodes", selector: selector)
            rows = ResourceUsage.nodeRows(nodes: nodes, pods: pods, usage: usage.map(MeasuredUsage.nodes) ?? [:])
        case .pods:
            let ns = allNamespaces ? nil : namespace ?? "default"
            let pods = try await client.list(ResourceCatalog.pods, namespace: ns, options: ListOptions(labelSelector: selector)).items
                .filter { !PodView($0).isTerminal }
            let path = ns.map { "/apis/metrics.k8s.io/v1beta1/namespaces/\($0)/pods" } ?? "/apis/metrics.k8s.io/v1beta1/pods"
            let usage = await MeasuredUsage.fetch(client, path: path, selector: selector)
            rows = ResourceUsage.podRows(pods, showNamespace: allNamespaces, usage: usage.map(MeasuredUsage.pods) ?? [:])
        }
        guard rows.count > 1 else {
            context.printError("No resources found")
            return 0
        }
        if noHeaders { rows.removeFirst() }
        context.out(TablePrinter.align(rows).joined(separator: "\n") + "\n")
        return 0
    }
}

/// The pure part of `top`: rows of requests against allocatable, and text bars.
enum ResourceUsage {
    /// Header plus one row per node (sorted by name) over the given non-terminated pods.
    static func nodeRows(nodes: [JSONValue], pods: [JSONValue], usage: [String: MeasuredUsage] = [:]) -> [[String]] {
        var rows = [["NAME", "CPU(usage)", "MEMORY(usage)", "CPU(requests)", "CPU%", "MEMORY(requests)", "MEMORY%", "PODS"]]
        for node in nodes.sorted(by: { $0.objectName < $1.objectName }) {
            let name = node.objectName
            let allocatable = ResourceAmounts(requests: node.value(at: ["status", "allocatable"]))
            let here = pods.filter { PodView($0).nodeName == name }
            let requested = here.reduce(ResourceAmounts()) { $0 + ResourceAmounts(effectiveRequestsOf: $1) }
            let cpuShare = share(requested.milliCPU, of: allocatable.milliCPU)
            let memoryShare = share(requested.memory, of: allocatable.memory)
            let used = usage[name]
            rows.append([name, used?.cpuText ?? "-", used.map { memory($0.memoryBytes) } ?? "-",
                         "\(Quantity(milliValue: requested.milliCPU).description)/\(Quantity(milliValue: allocatable.milliCPU).description)",
                         "\(bar(cpuShare)) \(Int(cpuShare * 100))%",
                         "\(memory(requested.memory))/\(memory(allocatable.memory))",
                         "\(bar(memoryShare)) \(Int(memoryShare * 100))%",
                         "\(here.count)/\(allocatable.pods)"])
        }
        return rows
    }

    /// Header plus one row per pod: requests, limits, node.
    static func podRows(_ pods: [JSONValue], showNamespace: Bool, usage measured: [String: MeasuredUsage] = [:]) -> [[String]] {
        var rows = [(showNamespace ? ["NAMESPACE"] : []) + ["NAME", "CPU(usage)", "CPU(requests)", "CPU(limits)", "MEMORY(usage)", "MEMORY(requests)", "MEMORY(limits)", "NODE"]]
        let sorted = pods.sorted { ($0.objectNamespace, $0.objectName) < ($1.objectNamespace, $1.objectName) }
        for pod in sorted {
            let usage = PodUsage(pod)
            func cpu(_ milli: Int64) -> String { milli == 0 ? "-" : Quantity(milliValue: milli).description }
            func memory(_ bytes: Int64) -> String { bytes == 0 ? "-" : self.memory(bytes) }
            let used = measured[pod.objectNamespace + "/" + pod.objectName]
            rows.append((showNamespace ? [pod.objectNamespace] : []) + [
                pod.objectName, used?.cpuText ?? "-", cpu(usage.requests.milliCPU), cpu(usage.limits.milliCPU),
                used.map { self.memory($0.memoryBytes) } ?? "-", memory(usage.requests.memory), memory(usage.limits.memory), PodView(pod).nodeName ?? "<none>",
            ])
        }
        return rows
    }

    /// Bytes for reading at a glance: `100Mi`, `23.5Gi` (one decimal from a gibibyte up, whole
    /// mebibytes below, so a node's 24683664Ki reads 23.5Gi).
    static func memory(_ bytes: Int64) -> String {
        let mi = Double(bytes) / 1_048_576
        if mi >= 1024 {
            let gi = mi / 1024
            return gi.rounded() == gi ? "\(Int(gi))Gi" : String(format: "%.1fGi", gi)
        }
        if bytes >= 1_048_576 { return "\(Int(mi.rounded()))Mi" }
        return bytes >= 1024 ? "\(bytes / 1024)Ki" : "\(bytes)"
    }

    /// The fraction `amount / capacity`, 0 without capacity.
    static func share(_ amount: Int64, of capacity: Int64) -> Double {
        capacity > 0 ? Double(amount) / Double(capacity) : 0
    }

    /// `[#####...............]`: 20 cells, `#` per 5% (rounded down), `!` past 100%.
    static func bar(_ fraction: Double, width: Int = 20) -> String {
        let filled = min(width, max(0, Int(fraction * Double(width))))
        let body = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "[" + body + "]" + (fraction > 1 ? "!" : "")
    }
}
