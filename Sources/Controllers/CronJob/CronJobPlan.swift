import Foundation
import Model

/// An Event to record on the CronJob (type, upstream reason, upstream message).
struct CronJobEvent: Sendable, Equatable {
    /// The Event's `type`.
    enum Severity: String, Sendable {
        case normal = "Normal"
        case warning = "Warning"
    }

    var type: Severity
    var reason: String
    var message: String

    static func normal(_ reason: String, _ message: String) -> CronJobEvent { CronJobEvent(type: .normal, reason: reason, message: message) }
    static func warning(_ reason: String, _ message: String) -> CronJobEvent { CronJobEvent(type: .warning, reason: reason, message: message) }
}

/// What one sync of a CronJob decides; the controller carries it out in this order: history
/// deletions, events, Replace deletions, the create, then one status write.
struct CronJobPlan: Sendable, Equatable {
    /// The Job to create for a slot.
    struct Creation: Sendable, Equatable {
        var job: JSONValue
        var scheduledTime: Date
    }

    /// Finished Jobs beyond the history limits, oldest first (Background propagation).
    var historyDeletions: [CronJobView.ActiveReference] = []
    /// Active Jobs the Replace policy deletes before starting the new run.
    var replaceDeletions: [CronJobView.ActiveReference] = []
    /// The run to start, if a slot is due.
    var creation: Creation?
    /// The status after bookkeeping and deletions, before the create (the controller adds the
    /// created Job to `active` and sets `lastScheduleTime` once the create succeeded).
    var status: CronJobView.Status
    /// Events of the decisions (deletion and creation events come from the controller, which
    /// knows whether the writes succeeded).
    var events: [CronJobEvent] = []
    /// When to sync again; nil when only a change to the object can help (suspended, bad schedule).
    var requeueAfter: Double?
}

/// What the controller knows when it plans one sync.
struct CronJobSyncInput: Sendable {
    var cronJob: CronJobView
    /// Jobs whose controller is this CronJob (scheduled and manual ones), from the cache.
    var jobs: [CronJobChild]
    /// uids of `status.active` entries absent from the cache that a live GET confirmed gone.
    var goneActive: Set<String> = []
    var now: Date
    /// The zone of schedules without `spec.timeZone` (upstream: the controller manager's zone).
    var localTimeZone: TimeZone
}
