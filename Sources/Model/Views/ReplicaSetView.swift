import Foundation

/// An apps/v1 ReplicaSet read through computed properties (defaults as ReplicaSetAdmission applies
/// them, so an undefaulted object still answers).
public struct ReplicaSetView: Sendable, Equatable {
    /// The whole ReplicaSet.
    public var object: JSONValue

    public init(_ object: JSONValue) { self.object = object }

    public var metadata: ObjectMetaView { ObjectMetaView(object["metadata"]) }
    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
    public var uid: String { metadata.uid }
    public var generation: Int64 { metadata.generation }
    public var isDeleting: Bool { metadata.isDeleting }
    public var annotations: [String: String] { metadata.annotations }
    public var creationTimestamp: Date? { metadata.creationTimestamp }

    private var spec: JSONValue { object["spec"] ?? .emptyObject }
    /// `spec.replicas` (1 when unset).
    public var replicas: Int { spec["replicas"]?.int.map { Int(clamping: $0) } ?? 1 }
    /// `spec.minReadySeconds` (0 when unset).
    public var minReadySeconds: Int { spec["minReadySeconds"]?.int.map { Int(clamping: $0) } ?? 0 }
    /// `spec.selector` as sent.
    public var selector: JSONValue? { spec["selector"].flatMap { $0.isNull ? nil : $0 } }
    /// `spec.template` (`{}` when absent).
    public var template: JSONValue { spec["template"] ?? .emptyObject }
    /// `spec.template.metadata.labels`.
    public var templateLabels: [String: String] { template["metadata"]?["labels"]?.stringMap ?? [:] }

    // MARK: status

    private func status(_ key: String) -> Int { object["status"]?[key]?.int.map { Int(clamping: $0) } ?? 0 }
    public var statusReplicas: Int { status("replicas") }
    public var readyReplicas: Int { status("readyReplicas") }
    public var availableReplicas: Int { status("availableReplicas") }
    public var observedGeneration: Int64 { object["status"]?["observedGeneration"]?.int ?? 0 }
    public var conditions: [ConditionView] { object["status"]?["conditions"]?.array?.map(ConditionView.init) ?? [] }
    /// The condition of `type`, if present.
    public func condition(_ type: String) -> ConditionView? { conditions.first { $0.type == type } }
}
