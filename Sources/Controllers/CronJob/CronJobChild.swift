import Foundation
import Model

/// The few fields of a child Job the CronJob controller reads (a view of its own, so this
/// controller does not depend on the Job controller's richer JobView).
struct CronJobChild: Sendable, Equatable {
    /// How a finished Job ended (its `Complete` or `Failed` condition with status True).
    enum Outcome: String, Sendable {
        case complete = "Complete"
        case failed = "Failed"
    }

    var object: JSONValue

    init(_ object: JSONValue) { self.object = object }

    var metadata: ObjectMetaView { ObjectMetaView(object["metadata"]) }
    var name: String { metadata.name }
    var namespace: String { metadata.namespace }
    var uid: String { metadata.uid }
    var resourceVersion: String? { object.value(at: ["metadata", "resourceVersion"])?.string }

    /// The controlling owner reference, if any.
    var controller: OwnerReference? { metadata.controllerReference }

    /// Whether `cronJob` is this Job's controller (kind CronJob and the same uid).
    func isControlled(by cronJob: CronJobView) -> Bool {
        guard let controller else { return false }
        return controller.kind == "CronJob" && controller.uid == cronJob.uid
    }

    /// `Complete` or `Failed` when the Job has finished (upstream's getFinishedStatus).
    var outcome: Outcome? {
        for condition in object.value(at: ["status", "conditions"])?.array ?? [] where condition["status"]?.string == "True" {
            if let type = condition["type"]?.string, let outcome = Outcome(rawValue: type) { return outcome }
        }
        return nil
    }

    var isFinished: Bool { outcome != nil }
    var startTime: Date? { object.value(at: ["status", "startTime"])?.string.flatMap(Timestamp.parse) }
    /// Whole seconds, as metav1.Time keeps them: the status written from it compares equal next time.
    var completionTime: Date? {
        object.value(at: ["status", "completionTime"])?.string.flatMap(Timestamp.parse)
            .map { Date(timeIntervalSince1970: $0.timeIntervalSince1970.rounded(.down)) }
    }

    /// The reference `status.active` holds for this Job.
    var activeReference: CronJobView.ActiveReference {
        CronJobView.ActiveReference(name: name, namespace: namespace, uid: uid, resourceVersion: resourceVersion)
    }

    /// upstream's byJobStartTime: started Jobs first, earliest first; then by name.
    static func byStartTime(_ a: CronJobChild, _ b: CronJobChild) -> Bool {
        switch (a.startTime, b.startTime) {
        case let (x?, y?) where x != y: return x < y
        case (nil, _?): return false
        case (_?, nil): return true
        default: return a.name < b.name
        }
    }
}
