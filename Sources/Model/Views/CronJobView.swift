import Foundation

/// A batch/v1 CronJob read through typed properties (the JSON tree stays the source of truth).
/// Defaults are upstream's for fields admission normally fills (`Allow`, history limits 3 and 1).
public struct CronJobView: Sendable, Equatable {
    /// How a new run treats runs still active (`spec.concurrencyPolicy`).
    public enum ConcurrencyPolicy: String, Sendable {
        case allow = "Allow"
        case forbid = "Forbid"
        case replace = "Replace"
    }

    /// One entry of `status.active`: a core/v1 ObjectReference to a running Job.
    public struct ActiveReference: Sendable, Equatable {
        public var name: String
        public var namespace: String
        public var uid: String
        public var resourceVersion: String?

        public init(name: String, namespace: String, uid: String, resourceVersion: String? = nil) {
            self.name = name
            self.namespace = namespace
            self.uid = uid
            self.resourceVersion = resourceVersion
        }

        init?(json: JSONValue) {
            guard let name = json["name"]?.string else { return nil }
            self.init(name: name, namespace: json["namespace"]?.string ?? "", uid: json["uid"]?.string ?? "",
                      resourceVersion: json["resourceVersion"]?.string)
        }

        /// The JSON form, in the field order client-go writes (`kind, namespace, name, uid, apiVersion, resourceVersion`).
        public var json: JSONValue {
            var object = JSONObject([("kind", "Job"), ("namespace", .string(namespace)), ("name", .string(name)),
                                     ("uid", .string(uid)), ("apiVersion", "batch/v1")])
            if let resourceVersion { object["resourceVersion"] = .string(resourceVersion) }
            return .object(object)
        }
    }

    /// The status fields the controller owns.
    public struct Status: Sendable, Equatable {
        public var active: [ActiveReference]
        public var lastScheduleTime: Date?
        public var lastSuccessfulTime: Date?

        public init(active: [ActiveReference] = [], lastScheduleTime: Date? = nil, lastSuccessfulTime: Date? = nil) {
            self.active = active
            self.lastScheduleTime = lastScheduleTime
            self.lastSuccessfulTime = lastSuccessfulTime
        }
    }

    /// The whole object.
    public var object: JSONValue

    public init(_ object: JSONValue) { self.object = object }

    /// `metadata`, read through the shared view.
    public var metadata: ObjectMetaView { ObjectMetaView(object["metadata"]) }
    private var spec: JSONValue? { object["spec"] }

    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
    public var uid: String { metadata.uid }
    /// `namespace/name`, the work queue key.
    public var key: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
    public var creationTimestamp: Date? { metadata.creationTimestamp }
    public var isBeingDeleted: Bool { metadata.isDeleting }

    public var schedule: String { spec?["schedule"]?.string ?? "" }
    /// `spec.timeZone`; nil when unset.
    public var timeZone: String? { spec?["timeZone"]?.string }
    public var startingDeadlineSeconds: Int64? { spec?["startingDeadlineSeconds"]?.int }
    public var concurrencyPolicy: ConcurrencyPolicy {
        spec?["concurrencyPolicy"]?.string.flatMap(ConcurrencyPolicy.init(rawValue:)) ?? .allow
    }
    public var suspend: Bool { spec?["suspend"]?.bool ?? false }
    /// nil only when explicitly null (no limit); absent means upstream's default.
    public var successfulJobsHistoryLimit: Int64? { limit("successfulJobsHistoryLimit", default: 3) }
    public var failedJobsHistoryLimit: Int64? { limit("failedJobsHistoryLimit", default: 1) }

    private func limit(_ key: String, default value: Int64) -> Int64? {
        guard let field = spec?[key] else { return value }
        return field.int
    }

    /// `spec.jobTemplate` (metadata and spec of the Jobs to create).
    public var jobTemplate: JSONValue { spec?["jobTemplate"] ?? .emptyObject }

    public var status: Status {
        let status = object["status"]
        return Status(active: (status?["active"]?.array ?? []).compactMap(ActiveReference.init(json:)),
                      lastScheduleTime: status?["lastScheduleTime"]?.string.flatMap(Timestamp.parse),
                      lastSuccessfulTime: status?["lastSuccessfulTime"]?.string.flatMap(Timestamp.parse))
    }

    /// The object with its controller-owned status fields replaced (other status fields kept);
    /// an empty active list and unset times are left out, as Go's omitempty does.
    public func withStatus(_ status: Status) -> JSONValue {
        var copy = object
        var current = copy["status"] ?? .emptyObject
        if current.object == nil { current = .emptyObject }
        current["active"] = status.active.isEmpty ? nil : .array(status.active.map(\.json))
        current["lastScheduleTime"] = status.lastScheduleTime.map { .string(Timestamp.format($0)) }
        current["lastSuccessfulTime"] = status.lastSuccessfulTime.map { .string(Timestamp.format($0)) }
        copy["status"] = current
        return copy
    }
}
