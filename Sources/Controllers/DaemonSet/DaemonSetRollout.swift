import Foundation
import Model

/// A DaemonSet's RollingUpdate (upstream's rollingUpdate in daemon/update.go), pure. Without
/// surge, old pods are deleted while no more than maxUnavailable nodes are without an available
/// pod; with surge, new pods start beside old ones on at most maxSurge nodes at a time and each
/// old pod goes once its replacement is available.
enum DaemonSetRollout {
    /// Both bounds scale against the number of nodes that should run the pod, rounding up (as
    /// upstream's SurgeCount / UnavailableCount); 0 and 0 would never progress, so unavailable is 1.
    static func bounds(_ ds: DaemonSetView, desired: Int) -> (surge: Int, unavailable: Int) {
        let surge = RolloutBounds.scaled(ds.maxSurge, of: desired, roundUp: true)
        let unavailable = RolloutBounds.scaled(ds.maxUnavailable, of: desired, roundUp: true)
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable)
    }

    /// RollingUpdate with a non-zero maxSurge.
    static func allowsSurge(_ ds: DaemonSetView) -> Bool {
        !ds.isOnDelete && RolloutBounds.scaled(ds.maxSurge, of: 1, roundUp: true) > 0
    }

    /// The node's one up-to-date and one old pod (deleting pods ignored); nil when it has more of
    /// either, which `manage` cleans up first (upstream's findUpdatedPodsOnNode).
    static func updatedAndOld(_ pods: [PodView], hash: String) -> (new: PodView?, old: PodView?)? {
        var new: PodView?, old: PodView?
        for pod in pods where !pod.isDeleting {
            if DaemonSetSync.isUpdated(pod, hash: hash) {
                if new != nil { return nil }
                new = pod
            } else {
                if old != nil { return nil }
                old = pod
            }
        }
        return (new, old)
    }

    /// The deletions (and, with surge, creations) of one rollout step.
    static func plan(_ ds: DaemonSetView, nodes: [DaemonSetSync.Node], pods: [String: [PodView]], hash: String,
                     now: Date) -> DaemonSetSync.Plan {
        var plan = DaemonSetSync.Plan()
        guard !ds.isOnDelete else { return plan }
        let desired = nodes.filter(\.verdict.shouldRun).count
        let (maxSurge, maxUnavailable) = bounds(ds, desired: desired)
        let available = { (pod: PodView) in PodAvailability.isAvailable(pod, minReadySeconds: ds.minReadySeconds, now: now) }
        let shouldRun = Dictionary(nodes.map { ($0.name, $0.verdict.shouldRun) }, uniquingKeysWith: { a, _ in a })
        // Eligible nodes without a pod count too (as unavailable), as upstream's updatedDesiredNodeCounts adds them.
        let nodesWithPods = Set(pods.keys).union(nodes.filter(\.verdict.shouldRun).map(\.name)).sorted()
        if maxSurge == 0 {
            var unavailable = 0
            var replacements: [PodView] = [], candidates: [PodView] = []
            for node in nodesWithPods {
                guard let (new, old) = updatedAndOld(pods[node] ?? [], hash: hash) else {
                    unavailable += 1
                    continue
                }
                switch (new, old) {
                case (nil, nil), (.some, .some):
                    unavailable += 1
                case (.some(let new), nil):
                    if !available(new) { unavailable += 1 }
                case (nil, .some(let old)):
                    if !available(old) {
                        replacements.append(old)
                    } else if unavailable < maxUnavailable {
                        candidates.append(old)
                    }
                }
            }
            let room = min(max(0, maxUnavailable - unavailable), candidates.count)
            plan.delete = replacements + candidates.prefix(room)
            return plan
        }
        var surging = 0
        var allowed: [String] = [], candidates: [String] = []
        for node in nodesWithPods {
            guard let (new, old) = updatedAndOld(pods[node] ?? [], hash: hash) else {
                surging += 1
                continue
            }
            guard let old else { continue }
            if let new {
                if available(new) { plan.delete.append(old) } else { surging += 1 }
            } else if shouldRun[node] == true {
                if !available(old) {
                    allowed.append(node)
                } else if surging < maxSurge {
                    candidates.append(node)
                }
            }
        }
        let room = min(max(0, maxSurge - surging), candidates.count)
        plan.createOn = allowed + candidates.prefix(room)
        return plan
    }
}
