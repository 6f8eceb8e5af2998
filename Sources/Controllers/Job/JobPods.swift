import Foundation
import Model

/// How the Job controller classifies its pods (upstream's isPodFailed, FilterActivePods,
/// controller.ActivePods ordering, duplicate-index detection).
enum JobPods {
    /// Failed phase, or — unless replacements wait for Failed — deleted before succeeding (an
    /// orphaned or evicted pod may never reach a terminal phase).
    static func isFailed(_ pod: PodView, job: JobView) -> Bool {
        if pod.isFailedPhase { return true }
        if job.onlyReplaceFailedPods { return false }
        return pod.isDeleting && !pod.isSucceeded
    }

    /// The pod's index when it is valid for the Job (below completions); nil otherwise.
    static func validIndex(_ pod: PodView, job: JobView) -> Int? {
        guard let index = pod.completionIndex, index < (job.completions ?? 0) else { return nil }
        return index
    }

    /// Pods that should go first when some must be deleted: unassigned before assigned, Pending
    /// before Unknown before Running, not ready before ready, more restarts first, newer first.
    static func deletionOrder(_ a: PodView, _ b: PodView) -> Bool {
        let assignedA = a.nodeName != nil, assignedB = b.nodeName != nil
        if assignedA != assignedB { return !assignedA }
        let rank = ["Pending": 0, "Unknown": 1, "Running": 2]
        let phaseA = rank[a.phase] ?? 0, phaseB = rank[b.phase] ?? 0
        if phaseA != phaseB { return phaseA < phaseB }
        if a.isReady != b.isReady { return !a.isReady }
        let restartsA = a.containerStatuses.reduce(0) { $0 + $1.restartCount }
        let restartsB = b.containerStatuses.reduce(0) { $0 + $1.restartCount }
        if restartsA != restartsB { return restartsA > restartsB }
        let createdA = a.creationTimestamp ?? .distantPast, createdB = b.creationTimestamp ?? .distantPast
        if createdA != createdB { return createdA > createdB }
        return a.name < b.name
    }

    /// Indexed Jobs: active pods without a valid index, and all but the most advanced pod of each
    /// repeated index (upstream's appendDuplicatedIndexPodsForRemoval). Returns (remove, keep).
    static func duplicateIndexPods(_ active: [PodView], job: JobView) -> (remove: [PodView], keep: [PodView]) {
        var remove: [PodView] = []
        var byIndex: [Int: [PodView]] = [:]
        for pod in active {
            if let index = validIndex(pod, job: job) { byIndex[index, default: []].append(pod) } else { remove.append(pod) }
        }
        var keep: [PodView] = []
        for index in byIndex.keys.sorted() {
            let pods = byIndex[index]!.sorted(by: deletionOrder)
            remove += pods.dropLast()
            keep.append(pods.last!)
        }
        return (remove, keep)
    }

    /// Active pods to delete so at least `atLeast` go: duplicates first (Indexed), then in deletion order.
    static func activePodsForRemoval(_ active: [PodView], job: JobView, atLeast: Int) -> [(PodView, JobPlan.DeletionReason)] {
        var remove: [(PodView, JobPlan.DeletionReason)] = []
        var left = active
        if job.isIndexed {
            let split = duplicateIndexPods(active, job: job)
            remove = split.remove.map { ($0, .duplicateIndex) }
            left = split.keep
        }
        if remove.count < atLeast {
            remove += left.sorted(by: deletionOrder).prefix(atLeast - remove.count).map { ($0, .excess) }
        }
        return remove
    }

    /// restartPolicy OnFailure: container restarts of running and pending pods reach backoffLimit.
    static func pastBackoffLimitOnFailure(_ job: JobView, pods: [PodView]) -> Bool {
        guard job.templateRestartPolicy == "OnFailure" else { return false }
        let restarts = pods.filter { $0.phase == "Running" || $0.phase == "Pending" }
            .reduce(0) { sum, pod in sum + (pod.initContainerStatuses + pod.containerStatuses).reduce(0) { $0 + $1.restartCount } }
        return job.backoffLimit == 0 ? restarts > 0 : restarts >= job.backoffLimit
    }
}
