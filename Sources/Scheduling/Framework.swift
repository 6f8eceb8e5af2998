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
    /// Removes from `candidates` (indices into `nodes`, order kept) the nodes `fits` rejects.
    /// The search filters nodes in chunks through this, one dynamic call per plugin and chunk
    /// instead of one per node: the per-node calls through `any FilterPlugin` copied the
    /// existential each time, half of the placement cost.
    func keepFitting(pod: PodInfo, nodes: UnsafeBufferPointer<NodeInfo>, candidates: inout [Int])
}

extension FilterPlugin {
    public func fits(pod: PodInfo, node: NodeInfo) -> Bool { filter(pod: pod, node: node) == .fits }

    public func keepFitting(pod: PodInfo, nodes: UnsafeBufferPointer<NodeInfo>, candidates: inout [Int]) {
        var kept = 0
        for slot in candidates.indices where fits(pod: pod, node: nodes[candidates[slot]]) {
            candidates[kept] = candidates[slot]
            kept += 1
        }
        candidates.removeLast(candidates.count - kept)
    }
}

/// Ranks feasible nodes for a pod; higher is better, 0...100 after `normalize`.
public protocol ScorePlugin: Sendable {
    var name: String { get }
    func score(pod: PodInfo, node: NodeInfo) -> Int64
    /// Maps the raw scores of all feasible nodes (in any order) onto 0...100, for plugins whose raw
    /// score is a count that only means something relative to the other nodes (upstream's
    /// NormalizeScore). The default leaves scores that are already 0...100 alone.
    func normalize(scores: inout [Int64])
    /// `score` of each node in `feasible` (indices into `nodes`), into `scores` in the same order:
    /// one dynamic call per plugin and pod rather than per node (see `keepFitting`).
    func scoreAll(pod: PodInfo, nodes: UnsafeBufferPointer<NodeInfo>, feasible: [Int], into scores: inout [Int64])
}

extension ScorePlugin {
    public func normalize(scores: inout [Int64]) {}

    public func scoreAll(pod: PodInfo, nodes: UnsafeBufferPointer<NodeInfo>, feasible: [Int], into scores: inout [Int64]) {
        for slot in feasible.indices { scores[slot] = score(pod: pod, node: nodes[feasible[slot]]) }
    }
}

/// The outcome of scheduling one pod against a snapshot of nodes.
public enum ScheduleDecision: Sendable, Equatable {
    /// Bind to `node`.
    case bind(node: String)
    /// No node fits; `message` is upstream's "0/5 nodes are available: 3 Insufficient cpu, ..." form.
    case unschedulable(message: String)
}
