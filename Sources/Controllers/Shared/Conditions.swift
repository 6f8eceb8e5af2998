import Foundation
import Model

/// metav1's SetStatusCondition over a `conditions` list (Kueue's objects, the
/// HorizontalPodAutoscaler): a condition of the type is added when missing, replaced otherwise, and
/// its lastTransitionTime moves only when its status changes.
enum Conditions {
    static func set(_ list: inout [JSONValue], _ type: String, _ value: String, _ reason: String, _ message: String, now: Date) {
        let time = JSONValue.string(Timestamp.format(now))
        if let i = list.firstIndex(where: { $0["type"]?.string == type }) {
            let old = list[i]
            let transition = old["status"]?.string == value ? (old["lastTransitionTime"] ?? time) : time
            list[i] = ["type": .string(type), "status": .string(value), "reason": .string(reason), "message": .string(message),
                       "lastTransitionTime": transition]
        } else {
            list.append(["type": .string(type), "status": .string(value), "reason": .string(reason), "message": .string(message),
                         "lastTransitionTime": time])
        }
    }

    /// `set` on `status.conditions`.
    static func set(_ status: inout JSONValue, _ type: String, _ value: String, _ reason: String, _ message: String, now: Date) {
        var list = status["conditions"]?.array ?? []
        set(&list, type, value, reason, message, now: now)
        status["conditions"] = .array(list)
    }
}
