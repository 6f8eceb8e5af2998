import Model
import Foundation
import Scheduling

/// The scheduler's view of the cluster: every node with the requests of the pods on it, counting
/// both pods the informer has shown bound and pods this scheduler has placed but not yet seen
/// bound ("assumed"), so back-to-back placements never overcommit a node while the watch catches
/// up. Not thread-safe: the scheduler guards it with its lock.
struct SchedulerCache {
    private struct Placement {
        var node: String
        var requests: ResourceAmounts
        /// Placed by this scheduler and not yet observed bound.
        var assumed: Bool
        /// When an assumed placement whose bind succeeded is dropped if the watch never shows it.
        var expiresAt: Date?
        /// A preemptor's hold on the room its victims free (upstream's nominated pods): counted on
        /// the node so other pods do not take that room, dropped when the pod binds or goes.
        var nominated = false
        /// The nominated pod's priority: its hold does not count against pods of higher priority.
        var priority: Int32 = 0
    }

    /// Nodes in a stable order, `requested` kept current.
    private(set) var nodes: [NodeInfo] = []
    private var index: [String: Int] = [:]
    private var placements: [String: Placement] = [:]
    /// Requests of pods on nodes the informer has not shown yet.
    private var requestedOnUnknownNodes: [String: ResourceAmounts] = [:]
    /// Keys of the assumed placements (a subset of `placements`), so expiry does not scan them all.
    private var assumedKeys: Set<String> = []
    /// Keys of the nominations (a subset of `placements`), by node.
    private var nominatedByNode: [String: Set<String>] = [:]
    /// How many nominations there are of each priority, so a pod's view of the nodes knows at once
    /// whether any lower-priority hold needs releasing.
    private var nominationsByPriority: [Int32: Int] = [:]
    /// The pods the informer shows bound, by node, for choosing preemption victims.
    private var boundPods: [String: NodePods] = [:]

    /// The node with this name.
    func node(_ name: String) -> NodeInfo? { index[name].map { nodes[$0] } }

    /// Number of pods assumed and not yet observed.
    var assumedCount: Int { assumedKeys.count }

    func isAssumed(_ key: String) -> Bool { placements[key]?.assumed ?? false }

    /// Where a pod is placed (bound or assumed), if anywhere.
    func placement(of key: String) -> String? { placements[key]?.node }

    // MARK: Nodes

    /// Adds or replaces a node (its `requested` is kept from the pods); returns true when the node
    /// is new or may now fit pods it did not before (a cluster change worth retrying for).
    @discardableResult
    mutating func setNode(_ new: NodeInfo) -> Bool {
        var node = new
        if let i = index[node.name] {
            let old = nodes[i]
            node.requested = old.requested
            nodes[i] = node
            return (old.unschedulable && !node.unschedulable) || (!old.ready && node.ready) || old.labels != node.labels
                || old.taints != node.taints || old.allocatable != node.allocatable
        }
        node.requested = requestedOnUnknownNodes.removeValue(forKey: node.name) ?? ResourceAmounts()
        index[node.name] = nodes.count
        nodes.append(node)
        return true
    }

    mutating func removeNode(_ name: String) {
        guard let i = index.removeValue(forKey: name) else { return }
        let removed = nodes[i]
        let last = nodes.count - 1
        if i != last {
            nodes[i] = nodes[last]
            index[nodes[i].name] = i
        }
        nodes.removeLast()
        // Pods still placed there keep counting if the node comes back.
        if removed.requested != ResourceAmounts() { requestedOnUnknownNodes[name] = removed.requested }
    }

    // MARK: Pods

    /// The informer shows `key` on `node` (bound, not finished): replaces any assumption.
    mutating func observeBound(_ key: String, pod: PodInfo, node: String) {
        boundPods[node, default: NodePods()][key] = pod
        if let existing = placements[key], !existing.assumed, !existing.nominated, existing.node == node,
           existing.requests == pod.requests { return }
        removePod(key)
        boundPods[node, default: NodePods()][key] = pod
        placements[key] = Placement(node: node, requests: pod.requests, assumed: false, expiresAt: nil)
        add(pod.requests, to: node)
    }

    /// The pod is gone, finished, or no longer placed: its requests leave its node.
    mutating func removePod(_ key: String) {
        guard let old = placements.removeValue(forKey: key) else { return }
        assumedKeys.remove(key)
        if old.nominated {
            nominatedByNode[old.node]?.remove(key)
            if nominatedByNode[old.node]?.isEmpty == true { nominatedByNode[old.node] = nil }
            nominationsByPriority[old.priority, default: 1] -= 1
            if nominationsByPriority[old.priority] == 0 { nominationsByPriority[old.priority] = nil }
        }
        boundPods[old.node]?[key] = nil
        if boundPods[old.node]?.isEmpty == true { boundPods[old.node] = nil }
        subtract(old.requests, from: old.node)
    }

    /// The pods bound to `node`, as the informer showed them.
    func pods(on node: String) -> [PodInfo] { boundPods[node]?.list ?? [] }

    /// True while a pod of lower priority than `priority` on `node` is being deleted: a preemptor
    /// nominated there waits for it rather than evicting more.
    func hasTerminatingPods(on node: String, below priority: Int32) -> Bool {
        boundPods[node]?.list.contains { $0.priority < priority && $0.isDeleting } ?? false
    }

    /// Marks a victim as leaving before the watch shows its deletion, so the next attempt of its
    /// preemptor waits for it instead of choosing more victims.
    mutating func markTerminating(_ key: String, on node: String, at time: String) {
        guard var pod = boundPods[node]?[key] else { return }
        pod.object.setValue(.string(time), at: ["metadata", "deletionTimestamp"])
        boundPods[node]?[key] = pod
    }

    // MARK: Nominations

    /// Holds `requests` on `node` for preemptor `key` (of `priority`) while its victims leave.
    mutating func nominate(_ key: String, requests: ResourceAmounts, node: String, priority: Int32) {
        removePod(key)
        placements[key] = Placement(node: node, requests: requests, assumed: false, expiresAt: nil, nominated: true,
                                    priority: priority)
        nominatedByNode[node, default: []].insert(key)
        nominationsByPriority[priority, default: 0] += 1
        add(requests, to: node)
    }

    /// The preemptors nominated to `node`.
    func nominated(on node: String) -> Set<String> { nominatedByNode[node] ?? [] }

    /// Each node's position in `nodes` (and in every `nodes(forPriority:)`), by name.
    var nodeIndex: [String: Int] { index }

    /// The nodes as a pod of `priority` sees them: holds of lower-priority nominations do not
    /// count against it (upstream adds only nominated pods of equal or higher priority).
    func nodes(forPriority priority: Int32) -> [NodeInfo] {
        guard nominationsByPriority.keys.contains(where: { $0 < priority }) else { return nodes }
        let lower = nominatedByNode.values.joined().compactMap { placements[$0] }.filter { $0.priority < priority }
        guard !lower.isEmpty else { return nodes }
        var view = nodes
        for hold in lower {
            guard let i = index[hold.node] else { continue }
            view[i].requested = view[i].requested - hold.requests
        }
        return view
    }

    /// Releases `key`'s nomination (before it is scheduled again); returns the node it held.
    mutating func takeNomination(_ key: String) -> String? {
        guard let placement = placements[key], placement.nominated else { return nil }
        removePod(key)
        return placement.node
    }

    /// Records this scheduler's placement before the bind is sent.
    mutating func assume(_ key: String, requests: ResourceAmounts, node: String) {
        removePod(key)
        placements[key] = Placement(node: node, requests: requests, assumed: true, expiresAt: nil)
        assumedKeys.insert(key)
        add(requests, to: node)
    }

    /// The bind succeeded: the assumption now waits for the watch, at most until `expiresAt`.
    mutating func finishBinding(_ key: String, expiresAt: Date) {
        guard placements[key]?.assumed == true else { return }
        placements[key]?.expiresAt = expiresAt
    }

    /// Drops an assumption (failed bind); bound placements are left alone.
    mutating func forget(_ key: String) {
        guard placements[key]?.assumed == true else { return }
        removePod(key)
    }

    /// Drops assumptions the watch never confirmed in time; returns their keys.
    mutating func expireAssumptions(now: Date) -> [String] {
        let expired = assumedKeys.filter { placements[$0]?.expiresAt.map { $0 <= now } ?? false }.sorted()
        expired.forEach { removePod($0) }
        return expired
    }

    private mutating func add(_ requests: ResourceAmounts, to node: String) {
        if let i = index[node] {
            nodes[i].requested = nodes[i].requested + requests
        } else {
            requestedOnUnknownNodes[node] = (requestedOnUnknownNodes[node] ?? ResourceAmounts()) + requests
        }
    }

    private mutating func subtract(_ requests: ResourceAmounts, from node: String) {
        if let i = index[node] {
            nodes[i].requested = nodes[i].requested - requests
        } else if let current = requestedOnUnknownNodes[node] {
            let left = current - requests
            requestedOnUnknownNodes[node] = left.pods <= 0 ? nil : left
        }
    }
}
