import Model

// The scheduling framework's vocabulary, fixed up front so the pure plugins (this module) and the
// scheduler loop (Sources/Scheduler) can be written side by side. Pure: no I/O, no clocks.

/// What a filter said about one node for one pod.
public enum FilterVerdict: Sendable, Equatable {
    case fits
    /// The node cannot take the pod; each reason is counted in the "0/N nodes are available: ..."
    /// message, e.g. `Insufficient cpu`, `node(s) had untolerated taint {dedicated: gpu}`.
    case rejected(reasons: [String])
}

/// Decides whether a node can run a pod.
public protocol FilterPlugin: Sendable {
    var name: String { get }
    func filter(pod: PodInfo, node: NodeInfo) -> FilterVerdict
    /// The same answer as `filter` without building reasons: the search calls this on thousands
    /// of nodes per pod, and only needs reasons when no node fits.
    func fits(pod: PodInfo, node: NodeInfo) -> Bool
}

extension FilterPlugin {
    public func fits(pod: PodInfo, node: NodeInfo) -> Bool { filter(pod: pod, node: node) == .fits }
}

/// Ranks feasible nodes for a pod; higher is better, 0...100 after `normalize`.
public protocol ScorePlugin: Sendable {
    var name: String { get }
    func score(pod: PodInfo, node: NodeInfo) -> Int64
    /// Maps the raw scores of all feasible nodes (in any order) onto 0...100, for plugins whose raw
    /// score is a count that only means something relative to the other nodes (upstream's
    /// NormalizeScore). The default leaves scores that are already 0...100 alone.
    func normalize(scores: inout [Int64])
}

extension ScorePlugin {
    public func normalize(scores: inout [Int64]) {}
}

/// The outcome of scheduling one pod against a snapshot of nodes.
public enum ScheduleDecision: Sendable, Equatable {
    /// Bind to `node`.
    case bind(node: String)
    /// No node fits; `message` is upstream's "0/5 nodes are available: 3 Insufficient cpu, ..." form.
    case unschedulable(message: String)
}
