import Foundation

/// Upstream's DefaultPreemption PostFilter, pure: for a pod that fits nowhere, the node where
/// evicting the fewest, least important lower-priority pods lets it fit.
///
/// - Only pods of strictly lower priority are ever victims.
/// - A node rejected by anything but resources (readiness, cordon, taints, affinity) is skipped:
///   evicting pods cannot change that verdict ("Preemption is not helpful for scheduling").
/// - On a node, every lower-priority pod is removed; if the pod then fits, they are added back
///   from the most important down (higher priority, then earlier start) as long as it still fits,
///   so the victims are the least important set that has to go (upstream's reprieve). Pods whose
///   eviction would break a PodDisruptionBudget are added back first, so they are victims only
///   when nothing else makes room ("honouring PDBs where it can").
/// - Between nodes (upstream's pickOneNodeForPreemption): the fewest budget violations, then the
///   lowest highest-victim priority, then the lowest sum of victim priorities, then the fewest
///   victims, then the latest start of the most important victim (the least work lost), then the name.
public enum Preemption {
    /// What preemption decided for a pod.
    public enum Outcome: Sendable, Equatable {
        /// Evict `victims` from `node`; the pod is nominated to it.
        case preempt(node: String, victims: [PodInfo])
        /// Nothing to evict anywhere; `message` is upstream's "preemption: 0/N nodes are available: ...".
        case impossible(message: String)
    }

    public static let noVictims = "No preemption victims found for incoming pod"

    /// Upstream's minCandidateNodesAbsolute and minCandidateNodesPercentage: how many workable
    /// nodes the search looks for before it picks the best.
    public static func candidateLimit(nodeCount: Int) -> Int { max(100, nodeCount / 10) }
    public static let notHelpful = "Preemption is not helpful for scheduling"

    /// - Parameters:
    ///   - pods: the pods on a node (bound, not finished), by node name.
    ///   - maxCandidates: stop after this many nodes where preemption works (upstream's
    ///     max(100, 10% of the nodes)); the best of them is chosen. Nil: look at every node.
    ///   - budgets: the cluster's PodDisruptionBudgets.
    public static func plan(_ pod: PodInfo, nodes: [NodeInfo], pods: (String) -> [PodInfo], profile: Profile,
                            maxCandidates: Int? = nil, budgets: [DisruptionBudget] = []) -> Outcome {
        var start = 0
        return plan(pod, nodes: nodes, pods: pods, profile: profile, maxCandidates: maxCandidates, budgets: budgets,
                    nextStartIndex: &start)
    }

    /// `plan`, searching from `nextStartIndex` (wrapping) and moving it past the nodes examined,
    /// as upstream starts its candidate search at a random offset: successive preemptors do not
    /// all walk the nodes the ones before them already used up.
    public static func plan(_ pod: PodInfo, nodes: [NodeInfo], pods: (String) -> [PodInfo], profile: Profile,
                            maxCandidates: Int?, budgets: [DisruptionBudget], nextStartIndex: inout Int) -> Outcome {
        var message = UnschedulableMessage(nodeCount: nodes.count)
        var best: (node: NodeInfo, victims: [PodInfo], rank: Rank)?
        var candidates = 0
        let start = nodes.isEmpty ? 0 : max(0, nextStartIndex) % nodes.count
        var examined = 0
        for offset in nodes.indices {
            if let maxCandidates, candidates >= maxCandidates { break }
            let node = nodes[(start + offset) % nodes.count]
            examined += 1
            guard onlyResourcesStandInTheWay(pod, node: node, profile: profile) else {
                message.record([notHelpful])
                continue
            }
            guard let chosen = victims(for: pod, on: node, pods: pods(node.name), profile: profile, budgets: budgets) else {
                message.record([noVictims])
                continue
            }
            candidates += 1
            let rank = Rank(chosen.pods, budgetViolations: chosen.budgetViolations, node: node.name)
            if best.map({ rank < $0.rank }) ?? true { best = (node, chosen.pods, rank) }
        }
        if !nodes.isEmpty { nextStartIndex = (start + examined) % nodes.count }
        guard let best else { return .impossible(message: "preemption: " + message.description) }
        return .preempt(node: best.node.name, victims: best.victims)
    }

    /// The pods to evict from one node, and how many of them break a disruption budget.
    public struct NodeVictims: Sendable, Equatable {
        /// The victims: the budget-violating ones first, each group most important first.
        public var pods: [PodInfo]
        public var budgetViolations: Int
    }

    /// The victims on `node` that let `pod` fit, or nil when even removing every lower-priority
    /// pod is not enough (or there is none to remove). Upstream's SelectVictimsOnNode: the pods
    /// that would break a budget are reprieved first, then the others.
    public static func victims(for pod: PodInfo, on node: NodeInfo, pods: [PodInfo], profile: Profile,
                               budgets: [DisruptionBudget] = []) -> NodeVictims? {
        // Positions into `pods`, not copies of them: this runs for hundreds of nodes per preemptor.
        // Pods already leaving are not chosen again (their room comes anyway).
        var order = pods.indices.filter { pods[$0].priority < pod.priority && !pods[$0].isDeleting }
        guard !order.isEmpty else { return nil }
        var room = node
        for i in order { room = room.removing(requests: pods[i].requests) }
        guard fits(pod, on: room, profile: profile) else { return nil }
        order.sort { a, b in
            pods[a].priority != pods[b].priority ? pods[a].priority > pods[b].priority : pods[a].startTime < pods[b].startTime
        }
        let groups: [(positions: [Int], violates: Bool)]
        if budgets.isEmpty {
            groups = [(order, false)]
        } else {
            let violates = DisruptionBudget.violations(order.lazy.map { pods[$0] }, by: budgets)
            let positions = Array(zip(order, violates))
            groups = [(positions.filter(\.1).map(\.0), true), (positions.filter { !$0.1 }.map(\.0), false)]
        }
        var chosen = NodeVictims(pods: [], budgetViolations: 0)
        for (positions, violates) in groups {
            for i in positions {
                let kept = room.adding(requests: pods[i].requests)
                if fits(pod, on: kept, profile: profile) {
                    room = kept
                } else {
                    chosen.pods.append(pods[i])
                    if violates { chosen.budgetViolations += 1 }
                }
            }
        }
        return chosen
    }

    /// Higher priority first, then the one that started earlier (upstream's MoreImportantPod).
    public static func moreImportant(_ a: PodInfo, _ b: PodInfo) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        return a.startTime < b.startTime
    }

    private static func fits(_ pod: PodInfo, on node: NodeInfo, profile: Profile) -> Bool {
        profile.filters.allSatisfy { $0.fits(pod: pod, node: node) }
    }

    /// True when every filter but the resource fit passes: only then can evicting help.
    private static func onlyResourcesStandInTheWay(_ pod: PodInfo, node: NodeInfo, profile: Profile) -> Bool {
        profile.filters.allSatisfy { $0 is NodeResourcesFit || $0.fits(pod: pod, node: node) }
    }

    /// How bad a node's victims are; smaller is better.
    struct Rank: Comparable {
        var budgetViolations: Int
        var highestPriority: Int32
        var prioritySum: Int64
        var count: Int
        /// Negated start of the most important victim: later starts (less work lost) rank first.
        var negatedStart: TimeInterval
        var node: String

        init(_ victims: [PodInfo], budgetViolations: Int, node: String) {
            self.budgetViolations = budgetViolations
            highestPriority = victims.map(\.priority).max() ?? Int32.min
            // Shifted so negative priorities still add up to a smaller-is-better sum, as upstream.
            prioritySum = victims.reduce(0) { $0 + Int64($1.priority) + Int64(Int32.max) + 1 }
            count = victims.count
            negatedStart = -(victims.sorted(by: Preemption.moreImportant).first?.startTime.timeIntervalSince1970 ?? 0)
            self.node = node
        }

        static func < (a: Rank, b: Rank) -> Bool {
            (a.budgetViolations, a.highestPriority, a.prioritySum, a.count, a.negatedStart, a.node)
                < (b.budgetViolations, b.highestPriority, b.prioritySum, b.count, b.negatedStart, b.node)
        }
    }
}
