import Foundation
import Model

/// Upstream's setCondition over a status's `conditions`: a condition of the type is added when
/// missing, its lastTransitionTime moves only when its status changes.
struct HPAConditions: Equatable {
    var list: [JSONValue]

    mutating func set(_ type: String, _ status: String, _ reason: String, _ message: String, now: Date) {
        var condition: JSONValue = ["type": .string(type), "status": .string(status)]
        if let i = list.firstIndex(where: { $0["type"]?.string == type }) {
            let old = list[i]
            condition["lastTransitionTime"] = old["status"]?.string == status
                ? (old["lastTransitionTime"] ?? .string(Timestamp.format(now))) : .string(Timestamp.format(now))
            condition["reason"] = .string(reason)
            condition["message"] = .string(message)
            list[i] = condition
        } else {
            condition["lastTransitionTime"] = .string(Timestamp.format(now))
            condition["reason"] = .string(reason)
            condition["message"] = .string(message)
            list.append(condition)
        }
    }
}
