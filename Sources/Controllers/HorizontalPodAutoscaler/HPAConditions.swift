import Foundation
import Model

/// An HPA status's `conditions` while a sync decides them (`Conditions.set`, upstream's
/// setCondition).
struct HPAConditions: Equatable {
    var list: [JSONValue]

    mutating func set(_ type: String, _ status: String, _ reason: String, _ message: String, now: Date) {
        Conditions.set(&list, type, status, reason, message, now: now)
    }
}
