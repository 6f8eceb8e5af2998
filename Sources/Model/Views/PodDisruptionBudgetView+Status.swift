import Foundation

/// The DisruptionAllowed condition, kept as upstream's component-helpers do, shared by the
/// disruption controller (every sync) and the eviction subresource (when it spends the last
/// allowed disruption).
extension PodDisruptionBudgetView {
    /// Reasons of the DisruptionAllowed condition.
    public static let sufficientPods = "SufficientPods"
    public static let insufficientPods = "InsufficientPods"
    public static let syncFailed = "SyncFailed"

    /// Upstream's UpdateDisruptionAllowedCondition: True/SufficientPods while
    /// `status.disruptionsAllowed` is positive, else False/InsufficientPods, with the status's
    /// observedGeneration and an empty message.
    public static func updateDisruptionAllowedCondition(_ status: inout JSONValue, now: Date) {
        let allowed = (status["disruptionsAllowed"]?.int ?? 0) > 0
        setCondition(&status, type: disruptionAllowedCondition, status: allowed ? "True" : "False",
                     reason: allowed ? sufficientPods : insufficientPods, message: "",
                     observedGeneration: status["observedGeneration"]?.int ?? 0, now: now)
    }

    /// Upstream's ConditionsAreUpToDate: the condition is present and says what
    /// disruptionsAllowed says, and the status has observed the budget's generation.
    public var conditionsAreUpToDate: Bool {
        guard let condition = condition(Self.disruptionAllowedCondition), observedGeneration == generation else { return false }
        return disruptionsAllowed > 0 ? condition.status == "True" && condition.reason == Self.sufficientPods
            : condition.status == "False" && condition.reason == Self.insufficientPods
    }

    /// apimachinery's meta.SetStatusCondition on `status.conditions` (metav1.Condition): the
    /// transition time moves only when the status changes; reason, message and
    /// observedGeneration are replaced.
    public static func setCondition(_ status: inout JSONValue, type: String, status value: String, reason: String,
                                    message: String, observedGeneration: Int64, now: Date) {
        var conditions = status["conditions"]?.array ?? []
        let index = conditions.firstIndex { $0["type"]?.string == type }
        var transition = JSONValue.string(Timestamp.format(now))
        if let index, conditions[index]["status"]?.string == value, let kept = conditions[index]["lastTransitionTime"] {
            transition = kept
        }
        let condition: JSONValue = ["type": .string(type), "status": .string(value), "observedGeneration": .int(observedGeneration),
                                    "lastTransitionTime": transition, "reason": .string(reason), "message": .string(message)]
        if let index { conditions[index] = condition } else { conditions.append(condition) }
        status["conditions"] = .array(conditions)
    }
}
