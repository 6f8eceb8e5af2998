import Foundation
import Model

/// What one sync of a Job decided, before any I/O: the pure reconcile's answer. The controller
/// applies it in order: deletions, creations (slow start), the status write, finalizer removals,
/// and — only when finalizers were removed — a second status write with the counters moved out of
/// `uncountedTerminatedPods` (`finalStatus(removed:)`).
public struct JobPlan: Sendable, Equatable {
    /// Why a sync does nothing at all.
    public enum Skip: Sendable, Equatable {
        /// `spec.managedBy` names another controller.
        case managedExternally
        /// Complete or Failed already; only TTL and leftover finalizers are handled.
        case finished
    }

    /// A pod to create; `index` for Indexed Jobs.
    public struct Creation: Sendable, Equatable {
        public var index: Int?
        public var pod: JSONValue
    }

    /// Why an active pod is deleted.
    public enum DeletionReason: String, Sendable, Equatable {
        /// The Job is suspended.
        case suspended
        /// More pods run than parallelism / remaining completions allow.
        case excess
        /// Indexed Job: a second pod for one index, or a pod without a valid index.
        case duplicateIndex
        /// The Job failed or met its success criteria; the pod's end is counted (finalizer kept).
        case jobFinished
        /// A gang member failed and the Job restarts its whole gang (`drover.dev/gang-failure`);
        /// the other members are not counted as failures.
        case gangRestart
    }

    /// An active pod to delete. Pods deleted for scale-down or suspension lose their finalizer
    /// first, so they are never counted as failures; those deleted because the Job finished keep it.
    public struct Deletion: Sendable, Equatable {
        public var name: String
        public var uid: String
        public var reason: DeletionReason
        public var removeFinalizerFirst: Bool
        public var wasReady: Bool
    }

    /// A pod whose tracking finalizer is to be removed.
    public struct PodRef: Sendable, Equatable, Hashable {
        public var namespace: String
        public var name: String
        public var uid: String
    }

    /// An Event about the Job.
    public struct Event: Sendable, Equatable {
        /// `Normal` or `Warning`.
        public var type: String
        public var reason: String
        public var message: String
    }

    public var skip: Skip?
    public var creations: [Creation] = []
    public var deletions: [Deletion] = []
    public var finalizerRemovals: [PodRef] = []
    /// The status to write first (with new uncounted uids and interim conditions).
    public var status: JobStatus
    /// Events to record once the status is written (Suspended, Resumed).
    public var events: [Event] = []
    /// Seconds until the Job wants another sync (back-off end, deadline, TTL).
    public var requeueAfter: Double?
    /// The TTL expired: delete the Job (Foreground propagation).
    public var deleteJob = false

    /// The terminal condition (Complete or Failed) to add once nothing is uncounted or terminating.
    public var finishCondition: JobCondition?
    /// uids of pods that hold the finalizer (and are not already being stripped of it).
    public var podsWithFinalizer: Set<String> = []
    /// True when the 500-uid cap on uncountedTerminatedPods cut this sync short.
    public var reachedMaxUncounted = false
    /// `spec.completions`, for the TooManySucceededPods warning.
    public var completions: Int?
    public var now: Date

    public init(status: JobStatus, now: Date) {
        self.status = status
        self.now = now
    }

    /// The status after the finalizers of `removed` (uids) were removed: their uids leave
    /// uncountedTerminatedPods for the counters, and the terminal condition is added once nothing
    /// is uncounted and no pod is terminating. Returns the events of finishing (Completed, or the
    /// failure reason as a Warning).
    public func finalStatus(removed: Set<String>) -> (status: JobStatus, events: [Event]) {
        var status = self.status
        JobAccounting.countUncounted(&status, stillWithFinalizer: podsWithFinalizer.subtracting(removed))
        guard let finish = finishCondition, !reachedMaxUncounted, !status.hasUncounted, (status.terminating ?? 0) == 0 else {
            return (status, [])
        }
        status.ensureCondition(finish.type, status: finish.status, reason: finish.reason, message: finish.message, now: now)
        var events: [Event] = []
        if finish.type == JobCondition.complete {
            status.completionTime = now
            if let completions, status.succeeded > completions {
                events.append(Event(type: "Warning", reason: "TooManySucceededPods",
                                    message: "Too many succeeded pods running after completion count reached"))
            }
            events.append(Event(type: "Normal", reason: "Completed", message: "Job completed"))
        } else {
            events.append(Event(type: "Warning", reason: finish.reason, message: finish.message))
        }
        return (status, events)
    }
}

/// The exactly-once bookkeeping of `uncountedTerminatedPods`.
public enum JobAccounting {
    /// Upstream caps each sync's uncounted uids so the status stays small (~20 KB).
    public static let maxUncountedPods = 500

    /// Moves uids whose pod no longer holds the finalizer (removed, or the pod is gone) from the
    /// uncounted lists into `succeeded` / `failed`. Returns whether anything moved.
    @discardableResult
    public static func countUncounted(_ status: inout JobStatus, stillWithFinalizer: Set<String>) -> Bool {
        let keptSucceeded = status.uncountedSucceeded.filter(stillWithFinalizer.contains)
        let keptFailed = status.uncountedFailed.filter(stillWithFinalizer.contains)
        let moved = keptSucceeded.count != status.uncountedSucceeded.count || keptFailed.count != status.uncountedFailed.count
        status.succeeded += status.uncountedSucceeded.count - keptSucceeded.count
        status.failed += status.uncountedFailed.count - keptFailed.count
        status.uncountedSucceeded = keptSucceeded
        status.uncountedFailed = keptFailed
        return moved
    }
}
