/// A node taint (`key=value:Effect`), as the scheduler matches it against tolerations and the agent
/// registers it from `--taints`.
public struct Taint: Sendable, Equatable, Hashable {
    public var key: String
    public var value: String
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    public var effect: String

    public init(key: String, value: String = "", effect: String) {
        self.key = key
        self.value = value
        self.effect = effect
    }

    /// Reads one entry of a Node's `spec.taints`; nil without a key or an effect.
    public init?(json: JSONValue) {
        guard let key = json["key"]?.string, let effect = json["effect"]?.string else { return nil }
        self.init(key: key, value: json["value"]?.string ?? "", effect: effect)
    }

    /// The entry for a Node's `spec.taints` (no `value` when it is empty).
    public var json: JSONValue {
        var taint: JSONValue = ["key": .string(key)]
        if !value.isEmpty { taint["value"] = .string(value) }
        taint["effect"] = .string(effect)
        return taint
    }
}
