import Foundation
import Model

/// Which taints a node's conditions call for (upstream's nodeConditionToTaintKeyStatusMap and
/// TaintNodesByCondition), and the edit of `spec.taints` that puts them there.
enum NodeTaintRules {
    static let notReadyNoExecute = Taint(key: Taint.notReadyKey, effect: "NoExecute")
    static let unreachableNoExecute = Taint(key: Taint.unreachableKey, effect: "NoExecute")

    /// (condition type, status) → the NoSchedule taint key it brings.
    static let conditionTaints: [(type: String, status: String, key: String)] = [
        ("Ready", "False", Taint.notReadyKey), ("Ready", "Unknown", Taint.unreachableKey),
        ("MemoryPressure", "True", Taint.memoryPressureKey), ("DiskPressure", "True", Taint.diskPressureKey),
        ("PIDPressure", "True", Taint.pidPressureKey), ("NetworkUnavailable", "True", Taint.networkUnavailableKey),
    ]

    /// The NoSchedule taint keys this controller owns: a NoSchedule taint of another key is never touched.
    static let managedNoScheduleKeys: Set<String> = Set(conditionTaints.map(\.key)).union([Taint.unschedulableKey])

    /// The NoSchedule taints `conditions` and a cordon call for, in a stable order.
    static func noScheduleTaints(conditions: [ConditionView], unschedulable: Bool) -> [Taint] {
        var taints = conditionTaints.filter { rule in conditions.contains { $0.type == rule.type && $0.status == rule.status } }
            .map { Taint(key: $0.key, effect: "NoSchedule") }
        if unschedulable { taints.append(Taint(key: Taint.unschedulableKey, effect: "NoSchedule")) }
        return taints
    }

    /// The NoExecute taint a Ready status calls for: not-ready for False, unreachable for Unknown,
    /// none for True or no condition at all (a node that never posted one is judged once stale).
    static func noExecuteTaint(readyStatus: String?) -> Taint? {
        switch readyStatus {
        case "False"?: return notReadyNoExecute
        case "Unknown"?: return unreachableNoExecute
        default: return nil
        }
    }

    /// `entries` without the taints in `remove` (by key and effect) and with those of `add` that
    /// are missing appended, stamped with `timeAdded`. Other entries are kept whole.
    static func edit(_ entries: [JSONValue], add: [Taint], remove: [Taint], now: Date) -> [JSONValue] {
        var result = entries.filter { entry in
            guard let taint = Taint(json: entry) else { return true }
            return !remove.contains { $0.matches(taint) }
        }
        for taint in add where !result.contains(where: { Taint(json: $0)?.matches(taint) == true }) {
            var entry = taint.json
            entry["timeAdded"] = .string(Timestamp.format(now))
            result.append(entry)
        }
        return result
    }
}
