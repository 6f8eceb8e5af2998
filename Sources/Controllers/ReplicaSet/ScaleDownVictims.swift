import Foundation
import Model

/// Which pods a ReplicaSet deletes when it has too many (upstream's getPodsToDelete with
/// ActivePodsWithRanks and LogarithmicScaleDown, pure). Earlier in the order goes first:
/// 1. unscheduled before scheduled; 2. Pending before Unknown before Running; 3. not Ready before
/// Ready; 4. lower `controller.kubernetes.io/pod-deletion-cost` first; 5. pods on nodes crowded
/// with related pods (higher rank) first — the spread across nodes; 6. Ready for less time first
/// (compared in power-of-two buckets of age); 7. more container restarts first; 8. newer first
/// (same buckets); then by name so the choice is deterministic.
enum ScaleDownVictims {
    static let deletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

    /// - Parameters:
    ///   - pods: the ReplicaSet's active pods.
    ///   - related: the active pods of the ReplicaSet and its siblings (a Deployment's other
    ///     ReplicaSets); a pod's rank is how many of these share its node.
    static func choose(_ count: Int, from pods: [PodView], related: [PodView], now: Date) -> [PodView] {
        guard count > 0 else { return [] }
        guard count < pods.count else { return pods }
        var perNode: [String: Int] = [:]
        for pod in related { if let node = pod.nodeName { perNode[node, default: 0] += 1 } }
        let ranked = pods.map { pod in (pod, pod.nodeName.map { perNode[$0] ?? 0 } ?? 0) }
        let ordered = ranked.sorted { deletesBefore($0.0, rank: $0.1, $1.0, rank: $1.1, now: now) }
        return Array(ordered.prefix(count).map(\.0))
    }

    /// True when `a` should be deleted before `b`.
    static func deletesBefore(_ a: PodView, rank rankA: Int, _ b: PodView, rank rankB: Int, now: Date) -> Bool {
        if (a.nodeName == nil) != (b.nodeName == nil) { return a.nodeName == nil }
        let phaseA = phaseOrdinal(a.phase), phaseB = phaseOrdinal(b.phase)
        if phaseA != phaseB { return phaseA < phaseB }
        if a.isReady != b.isReady { return !a.isReady }
        let costA = deletionCost(a), costB = deletionCost(b)
        if costA != costB { return costA < costB }
        if rankA != rankB { return rankA > rankB }
        if a.isReady, b.isReady, let readyA = PodAvailability.readySince(a), let readyB = PodAvailability.readySince(b) {
            let bucketA = ageBucket(readyA, now: now), bucketB = ageBucket(readyB, now: now)
            if bucketA != bucketB { return bucketA < bucketB }
        }
        let restartsA = maxRestarts(a), restartsB = maxRestarts(b)
        if restartsA != restartsB { return restartsA > restartsB }
        let createdA = ageBucket(a.creationTimestamp ?? now, now: now), createdB = ageBucket(b.creationTimestamp ?? now, now: now)
        if createdA != createdB { return createdA < createdB }
        return a.name < b.name
    }

    /// Pending 0, Unknown 1, Running 2 (anything else sorts with Pending, as upstream's default).
    static func phaseOrdinal(_ phase: String) -> Int {
        switch phase {
        case "Unknown": return 1
        case "Running": return 2
        default: return 0
        }
    }

    /// The annotation as an int32; 0 when absent or invalid.
    static func deletionCost(_ pod: PodView) -> Int {
        guard let text = pod.annotations[deletionCostAnnotation], let value = Int32(text) else { return 0 }
        return Int(value)
    }

    static func maxRestarts(_ pod: PodView) -> Int {
        (pod.containerStatuses + pod.initContainerStatuses).map(\.restartCount).max() ?? 0
    }

    /// floor(log2(age in seconds)) + 1, 0 for an age under a second: times in one bucket compare
    /// equal (upstream's logarithmic comparison, which makes the newest-first rule fuzzy on
    /// purpose so scale-down does not always hit the same freshly started pods).
    static func ageBucket(_ time: Date, now: Date) -> Int {
        let age = now.timeIntervalSince(time)
        guard age >= 1 else { return 0 }
        return Int(log2(age).rounded(.down)) + 1
    }
}
