import Foundation
import Model

/// Upstream's taint eviction decisions (pkg/controller/tainteviction: processPodOnNode,
/// getMinTolerationTime), pure.
enum TaintEviction {
    enum Decision: Sendable, Equatable {
        /// Every NoExecute taint is tolerated for ever (or there is none): the pod stays.
        case keep
        /// Some taint is not tolerated, or tolerated for no time: delete the pod now.
        case evict
        /// Every taint is tolerated, the first only until then.
        case evictAt(Date)
    }

    /// One NoExecute taint on the pod's node and since when it counts against the pod: when it was
    /// added, or when the pod came to the node if that was later.
    struct TaintSince: Sendable, Equatable {
        var taint: Taint
        var since: Date
    }

    /// The DisruptionTarget condition a pod gets before the deletion, in upstream's words.
    static let conditionReason = "DeletionByTaintManager"
    static let conditionMessage = "Taint manager: deleting due to NoExecute taint"

    /// Each taint is matched by the first toleration that covers it (upstream's
    /// GetMatchingTolerations); an uncovered taint evicts at once, a toleration of zero seconds or
    /// less too; otherwise the pod goes when the earliest covered taint's tolerationSeconds have
    /// run out, and never when every matching toleration has no seconds.
    ///
    /// Upstream counts every toleration from when it noticed the taint; here each counts from its
    /// own taint's `timeAdded`, which survives a controller restart (the same instant when the
    /// taints came together, as the node lifecycle controller's do).
    static func decide(_ taints: [TaintSince], tolerations: [Toleration], now: Date) -> Decision {
        var deadline: Date?
        for entry in taints {
            guard let toleration = tolerations.first(where: { $0.tolerates(entry.taint) }) else { return .evict }
            guard let seconds = toleration.seconds else { continue }
            if seconds <= 0 { return .evict }
            let end = entry.since.addingTimeInterval(TimeInterval(seconds))
            deadline = min(deadline ?? end, end)
        }
        guard let deadline else { return .keep }
        return deadline <= now ? .evict : .evictAt(deadline)
    }

    /// When a pod came to its node: the PodScheduled condition's transition, else its creation.
    static func arrival(of pod: PodView) -> Date? {
        if let scheduled = pod.condition("PodScheduled"), scheduled.isTrue, let time = scheduled.lastTransitionTime { return time }
        return pod.creationTimestamp
    }

    /// A pod being deleted on a node whose agent cannot confirm it (tainted unreachable): when the
    /// controller finishes the deletion itself — the end of the pod's grace period — or nil when it
    /// is left to the agent.
    static func finishDeletionAt(_ pod: PodView, nodeTaints: [Taint]) -> Date? {
        guard pod.isDeleting, !pod.isTerminal,
              nodeTaints.contains(where: { $0.matches(NodeTaintRules.unreachableNoExecute) }) else { return nil }
        return pod.deletionTimestamp ?? .distantPast
    }
}
