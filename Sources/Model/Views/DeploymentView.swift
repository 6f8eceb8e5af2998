import Foundation

/// An apps/v1 Deployment read through computed properties (defaults as DeploymentAdmission applies
/// them, so an undefaulted object still answers).
public struct DeploymentView: Sendable, Equatable {
    /// The whole Deployment.
    public var object: JSONValue

    public init(_ object: JSONValue) { self.object = object }

    // MARK: well-known keys (upstream's apps/v1 and deployment util constants)

    public static let revisionAnnotation = "deployment.kubernetes.io/revision"
    public static let revisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
    public static let desiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
    public static let maxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"
    public static let podTemplateHashLabel = "pod-template-hash"

    public var metadata: ObjectMetaView { ObjectMetaView(object["metadata"]) }
    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
    public var uid: String { metadata.uid }
    public var generation: Int64 { metadata.generation }
    public var isDeleting: Bool { metadata.isDeleting }
    public var annotations: [String: String] { metadata.annotations }

    private var spec: JSONValue { object["spec"] ?? .emptyObject }
    private func int(_ key: String) -> Int? { spec[key]?.int.map { Int(clamping: $0) } }
    /// `spec.replicas` (1 when unset).
    public var replicas: Int { int("replicas") ?? 1 }
    public var minReadySeconds: Int { int("minReadySeconds") ?? 0 }
    /// `spec.revisionHistoryLimit` (10 when unset).
    public var revisionHistoryLimit: Int { int("revisionHistoryLimit") ?? 10 }
    /// `spec.progressDeadlineSeconds` (600 when unset; Int32.max means "no deadline", as upstream).
    public var progressDeadlineSeconds: Int? {
        let value = int("progressDeadlineSeconds") ?? 600
        return value >= Int(Int32.max) ? nil : value
    }
    public var paused: Bool { spec["paused"]?.bool ?? false }
    public var selector: JSONValue? { spec["selector"].flatMap { $0.isNull ? nil : $0 } }
    public var template: JSONValue { spec["template"] ?? .emptyObject }
    /// `spec.strategy.type`: `RollingUpdate` (default) or `Recreate`.
    public var strategyType: String { spec["strategy"]?["type"]?.string ?? "RollingUpdate" }
    public var isRecreate: Bool { strategyType == "Recreate" }
    /// `spec.strategy.rollingUpdate.maxSurge` as sent (an int or a percentage string; 25% when unset).
    public var maxSurge: JSONValue { spec["strategy"]?["rollingUpdate"]?["maxSurge"] ?? "25%" }
    /// `spec.strategy.rollingUpdate.maxUnavailable` as sent (25% when unset).
    public var maxUnavailable: JSONValue { spec["strategy"]?["rollingUpdate"]?["maxUnavailable"] ?? "25%" }

    // MARK: status

    private func status(_ key: String) -> Int { object["status"]?[key]?.int.map { Int(clamping: $0) } ?? 0 }
    public var statusReplicas: Int { status("replicas") }
    public var updatedReplicas: Int { status("updatedReplicas") }
    public var readyReplicas: Int { status("readyReplicas") }
    public var availableReplicas: Int { status("availableReplicas") }
    public var collisionCount: Int? { object["status"]?["collisionCount"]?.int.map { Int(clamping: $0) } }
    public var observedGeneration: Int64 { object["status"]?["observedGeneration"]?.int ?? 0 }
    public var conditions: [ConditionView] { object["status"]?["conditions"]?.array?.map(ConditionView.init) ?? [] }
    public func condition(_ type: String) -> ConditionView? { conditions.first { $0.type == type } }
}
