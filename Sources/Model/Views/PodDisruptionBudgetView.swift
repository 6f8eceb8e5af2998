import Foundation

/// A policy/v1 PodDisruptionBudget read through computed properties: the budget (`minAvailable`
/// or `maxUnavailable`, an int or a percentage), the selector, the unhealthy-pod eviction policy,
/// and the status the disruption controller keeps and the eviction subresource spends.
public struct PodDisruptionBudgetView: Sendable, Equatable {
    /// The whole PodDisruptionBudget.
    public var object: JSONValue

    public init(_ object: JSONValue) { self.object = object }

    /// `IfHealthyBudget` (the behaviour when unset) and `AlwaysAllow`.
    public static let ifHealthyBudget = "IfHealthyBudget"
    public static let alwaysAllow = "AlwaysAllow"
    /// The status condition the controller and the eviction subresource keep.
    public static let disruptionAllowedCondition = "DisruptionAllowed"
    /// Upstream's policy.DisruptionBudgetCause: the `reason` of a 429's cause.
    public static let disruptionBudgetCause = "DisruptionBudget"

    public var metadata: ObjectMetaView { ObjectMetaView(object["metadata"]) }
    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
    public var generation: Int64 { metadata.generation }

    private var spec: JSONValue { object["spec"] ?? .emptyObject }
    private func present(_ key: String) -> JSONValue? { spec[key].flatMap { $0.isNull ? nil : $0 } }
    /// `spec.minAvailable` as sent (an int or `N%`), nil when unset.
    public var minAvailable: JSONValue? { present("minAvailable") }
    /// `spec.maxUnavailable` as sent, nil when unset.
    public var maxUnavailable: JSONValue? { present("maxUnavailable") }
    /// `spec.selector` as sent; nil (null or absent) selects no pods.
    public var selector: JSONValue? { present("selector") }
    /// `spec.unhealthyPodEvictionPolicy`, `IfHealthyBudget` when unset.
    public var unhealthyPodEvictionPolicy: String { present("unhealthyPodEvictionPolicy")?.string ?? Self.ifHealthyBudget }

    /// The selector of the pods the disruption controller counts: nil (no pods) for a null
    /// selector, every pod of the namespace for an empty one (policy/v1); throws when it cannot
    /// be parsed.
    public func podSelector() throws(SelectorError) -> LabelSelector? {
        guard let selector else { return nil }
        return try LabelSelector.from(selector)
    }

    /// Whether this budget guards a pod with `labels` when it is evicted or preempted: as
    /// upstream's eviction subresource and scheduler do, a null, empty or unparsable selector
    /// guards nothing.
    public func guards(namespace: String, labels: [String: String]) -> Bool {
        guard namespace == self.namespace, let selector, let parsed = try? LabelSelector.from(selector),
              !parsed.isEmpty else { return false }
        return parsed.matches(labels)
    }

    // MARK: status

    private var status: JSONValue { object["status"] ?? .emptyObject }
    private func count(_ key: String) -> Int { status[key]?.int.map { Int(clamping: $0) } ?? 0 }
    public var observedGeneration: Int64 { status["observedGeneration"]?.int ?? 0 }
    public var disruptionsAllowed: Int { count("disruptionsAllowed") }
    public var currentHealthy: Int { count("currentHealthy") }
    public var desiredHealthy: Int { count("desiredHealthy") }
    public var expectedPods: Int { count("expectedPods") }
    /// `status.disruptedPods`: pod name → when the eviction subresource approved its deletion.
    public var disruptedPods: [String: Date] {
        var result: [String: Date] = [:]
        for (name, time) in status["disruptedPods"]?.object?.pairs ?? [] {
            if let date = time.string.flatMap(Timestamp.parse) { result[name] = date }
        }
        return result
    }
    public var conditions: [ConditionView] { status["conditions"]?.array?.map(ConditionView.init) ?? [] }
    /// The condition of `type`, if present.
    public func condition(_ type: String) -> ConditionView? { conditions.first { $0.type == type } }
}
