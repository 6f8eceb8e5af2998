import Foundation
import Model

/// What an informer tells its consumers, in the order the server reported it. Handlers run on the
/// informer's own task, one event at a time; they should be quick (hand work to a queue).
public struct InformerHandler: Sendable {
    /// A new object (also every object of a first list, or one that appeared during a relist).
    public var onAdd: @Sendable (JSONValue) -> Void
    /// An object changed: old cached state, new state.
    public var onUpdate: @Sendable (JSONValue, JSONValue) -> Void
    /// An object went away (its last known state).
    public var onDelete: @Sendable (JSONValue) -> Void

    public init(onAdd: @escaping @Sendable (JSONValue) -> Void = { _ in },
                onUpdate: @escaping @Sendable (JSONValue, JSONValue) -> Void = { _, _ in },
                onDelete: @escaping @Sendable (JSONValue) -> Void = { _ in }) {
        self.onAdd = onAdd
        self.onUpdate = onUpdate
        self.onDelete = onDelete
    }
}

/// How an informer waits before relisting after a failure: `initial` seconds, doubling up to `maximum`.
public struct InformerBackoff: Sendable, Equatable {
    public var initial: Double
    public var maximum: Double

    public init(initial: Double = 0.5, maximum: Double = 30) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before attempt `failures` (1 = the first retry).
    public func delay(afterFailures failures: Int) -> Double {
        guard failures > 0 else { return 0 }
        return min(maximum, initial * pow(2, Double(min(failures - 1, 30))))
    }
}

/// `namespace/name` (or `name` for cluster-scoped objects), the key of an informer's cache.
public func objectKey(_ object: JSONValue) -> String {
    let name = object.value(at: ["metadata", "name"])?.string ?? ""
    guard let namespace = object.value(at: ["metadata", "namespace"])?.string, !namespace.isEmpty else { return name }
    return namespace + "/" + name
}
