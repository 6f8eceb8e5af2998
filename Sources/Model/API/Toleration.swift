/// One entry of a pod's `spec.tolerations`, read once so plugins do not walk JSON per node.
public struct Toleration: Sendable, Equatable {
    public enum Operator: Sendable, Equatable {
        /// `Equal` (the default): the taint's value must equal `value`.
        case equal
        /// `Exists`: any value; with an empty key, any taint at all.
        case exists
        /// An operator this version does not know; tolerates nothing.
        case unknown
    }

    /// Empty matches every key (only meaningful with `Exists`).
    public var key: String
    public var op: Operator
    public var value: String
    /// Empty matches every effect.
    public var effect: String
    /// `tolerationSeconds` (NoExecute only): how long a pod stays on a node after the taint
    /// appears; nil tolerates it for ever, zero or less not at all.
    public var seconds: Int64?

    public init(key: String = "", op: Operator = .equal, value: String = "", effect: String = "", seconds: Int64? = nil) {
        self.key = key
        self.op = op
        self.value = value
        self.effect = effect
        self.seconds = seconds
    }

    /// Reads one toleration object; a non-object yields nil.
    public init?(_ json: JSONValue) {
        guard json.object != nil else { return nil }
        let op: Operator
        switch json["operator"]?.string ?? "" {
        case "", "Equal": op = .equal
        case "Exists": op = .exists
        default: op = .unknown
        }
        self.init(key: json["key"]?.string ?? "", op: op, value: json["value"]?.string ?? "",
                  effect: json["effect"]?.string ?? "", seconds: json["tolerationSeconds"]?.int)
    }

    /// Whether this toleration covers `taint` (upstream's ToleratesTaint).
    public func tolerates(_ taint: Taint) -> Bool {
        if !effect.isEmpty && effect != taint.effect { return false }
        if !key.isEmpty && key != taint.key { return false }
        switch op {
        case .exists: return true
        case .equal: return value == taint.value
        case .unknown: return false
        }
    }
}

extension Array where Element == Toleration {
    /// Whether any toleration covers `taint`.
    public func tolerate(_ taint: Taint) -> Bool {
        contains { $0.tolerates(taint) }
    }
}
