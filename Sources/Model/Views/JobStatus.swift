import Foundation

/// A Job's `status` as a value the Job controller computes and the CLI prints. `json(merging:)`
/// writes it back the way upstream serialises it (zero counters omitted, `ready`/`terminating`
/// always present once computed), keeping members it does not know.
public struct JobStatus: Sendable, Equatable {
    public var conditions: [JobCondition] = []
    public var startTime: Date?
    public var completionTime: Date?
    public var active = 0
    public var succeeded = 0
    public var failed = 0
    /// Pods being deleted that are not terminal yet; nil until a controller computed it.
    public var terminating: Int?
    /// Active pods with `Ready=True`; nil until a controller computed it.
    public var ready: Int?
    /// Interval list of succeeded indexes (`"1,3-5"`), Indexed Jobs only.
    public var completedIndexes = ""
    /// Interval list of failed indexes, only with backoffLimitPerIndex.
    public var failedIndexes: String?
    /// Finished pods whose finalizer is not removed yet, by uid: counted once it is.
    public var uncountedSucceeded: [String] = []
    public var uncountedFailed: [String] = []
    /// Whether `uncountedTerminatedPods` is present (upstream writes `{}` once it tracks a Job).
    public var hasUncountedField = false

    public init() {}

    /// Reads a `status` object (nil or non-objects read as empty).
    public init(_ object: JSONValue?) {
        guard let status = object, status.object != nil else { return }
        conditions = status["conditions"]?.array?.map(JobCondition.init) ?? []
        startTime = status["startTime"]?.string.flatMap(Timestamp.parse)
        completionTime = status["completionTime"]?.string.flatMap(Timestamp.parse)
        active = Int(status["active"]?.int ?? 0)
        succeeded = Int(status["succeeded"]?.int ?? 0)
        failed = Int(status["failed"]?.int ?? 0)
        terminating = status["terminating"]?.int.map(Int.init)
        ready = status["ready"]?.int.map(Int.init)
        completedIndexes = status["completedIndexes"]?.string ?? ""
        failedIndexes = status["failedIndexes"]?.string
        if let uncounted = status["uncountedTerminatedPods"], uncounted.object != nil {
            hasUncountedField = true
            uncountedSucceeded = uncounted["succeeded"]?.array?.compactMap(\.string) ?? []
            uncountedFailed = uncounted["failed"]?.array?.compactMap(\.string) ?? []
        }
    }

    /// The condition of `type`, if present.
    public func condition(_ type: String) -> JobCondition? { conditions.first { $0.type == type } }

    /// True when uncountedTerminatedPods holds any uid.
    public var hasUncounted: Bool { !uncountedSucceeded.isEmpty || !uncountedFailed.isEmpty }

    /// Sets a condition as upstream's ensureJobConditionStatus does: an existing one is replaced
    /// (new transition time) when status, reason or message differ; a missing one is appended unless
    /// its status would be False (going from nothing to False says nothing). Returns whether it changed.
    @discardableResult
    public mutating func ensureCondition(_ type: String, status: String, reason: String, message: String, now: Date) -> Bool {
        if let i = conditions.firstIndex(where: { $0.type == type }) {
            let c = conditions[i]
            guard c.status != status || c.reason != reason || c.message != message else { return false }
            conditions[i] = JobCondition(type: type, status: status, reason: reason, message: message, time: now)
            return true
        }
        guard status != "False" else { return false }
        conditions.append(JobCondition(type: type, status: status, reason: reason, message: message, time: now))
        return true
    }

    /// This status written into `existing` (the stored status object), keeping unknown members.
    public func json(merging existing: JSONValue? = nil) -> JSONValue {
        var out = existing?.object ?? JSONObject()
        func set(_ key: String, _ value: JSONValue?) { out[key] = value }
        set("conditions", conditions.isEmpty ? nil : .array(conditions.map(\.json)))
        set("startTime", startTime.map { .string(Timestamp.format($0)) })
        set("completionTime", completionTime.map { .string(Timestamp.format($0)) })
        set("active", active == 0 ? nil : .int(Int64(active)))
        set("succeeded", succeeded == 0 ? nil : .int(Int64(succeeded)))
        set("failed", failed == 0 ? nil : .int(Int64(failed)))
        set("terminating", terminating.map { .int(Int64($0)) })
        set("ready", ready.map { .int(Int64($0)) })
        set("completedIndexes", completedIndexes.isEmpty ? nil : .string(completedIndexes))
        set("failedIndexes", failedIndexes.map { .string($0) })
        if hasUncountedField || hasUncounted {
            var uncounted = JSONObject()
            if !uncountedSucceeded.isEmpty { uncounted["succeeded"] = .array(uncountedSucceeded.map { .string($0) }) }
            if !uncountedFailed.isEmpty { uncounted["failed"] = .array(uncountedFailed.map { .string($0) }) }
            out["uncountedTerminatedPods"] = .object(uncounted)
        } else {
            out["uncountedTerminatedPods"] = nil
        }
        return .object(out)
    }
}

/// A Job condition (`status.conditions[]`).
public struct JobCondition: Sendable, Equatable {
    public static let complete = "Complete"
    public static let failed = "Failed"
    public static let failureTarget = "FailureTarget"
    public static let successCriteriaMet = "SuccessCriteriaMet"
    public static let suspended = "Suspended"

    public var type: String
    /// `True`, `False` or `Unknown`.
    public var status: String
    public var reason: String
    public var message: String
    public var lastProbeTime: Date?
    public var lastTransitionTime: Date?

    public init(type: String, status: String = "True", reason: String = "", message: String = "", time: Date? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        lastProbeTime = time
        lastTransitionTime = time
    }

    public init(_ object: JSONValue) {
        type = object["type"]?.string ?? ""
        status = object["status"]?.string ?? ""
        reason = object["reason"]?.string ?? ""
        message = object["message"]?.string ?? ""
        lastProbeTime = object["lastProbeTime"]?.string.flatMap(Timestamp.parse)
        lastTransitionTime = object["lastTransitionTime"]?.string.flatMap(Timestamp.parse)
    }

    public var isTrue: Bool { status == "True" }

    /// The condition as upstream serialises it (empty reason and message omitted).
    public var json: JSONValue {
        var o = JSONObject()
        o["type"] = .string(type)
        o["status"] = .string(status)
        if let lastProbeTime { o["lastProbeTime"] = .string(Timestamp.format(lastProbeTime)) }
        if let lastTransitionTime { o["lastTransitionTime"] = .string(Timestamp.format(lastTransitionTime)) }
        if !reason.isEmpty { o["reason"] = .string(reason) }
        if !message.isEmpty { o["message"] = .string(message) }
        return .object(o)
    }
}
