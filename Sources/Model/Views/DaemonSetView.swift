import Foundation

/// An apps/v1 DaemonSet read through computed properties (defaults as DaemonSetAdmission applies
/// them, so an undefaulted object still answers).
public struct DaemonSetView: Sendable, Equatable {
    /// The whole DaemonSet.
    public var object: JSONValue

    public init(_ object: JSONValue) { self.object = object }

    // MARK: well-known keys (upstream's apps/v1 constants)

    /// The pod and ControllerRevision label naming the template revision (`<ds>-<hash>` is the revision's name).
    public static let revisionHashLabel = "controller-revision-hash"
    /// The pod label carrying the DaemonSet's generation when the pod was made (upstream still writes it).
    public static let templateGenerationLabel = "pod-template-generation"
    /// The DaemonSet annotation upstream keeps in step with `metadata.generation`.
    public static let templateGenerationAnnotation = "deprecated.daemonset.template.generation"

    public var metadata: ObjectMetaView { ObjectMetaView(object["metadata"]) }
    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
    public var uid: String { metadata.uid }
    public var generation: Int64 { metadata.generation }
    public var isDeleting: Bool { metadata.isDeleting }
    public var annotations: [String: String] { metadata.annotations }

    private var spec: JSONValue { object["spec"] ?? .emptyObject }
    private func int(_ key: String) -> Int? { spec[key]?.int.map { Int(clamping: $0) } }
    public var minReadySeconds: Int { int("minReadySeconds") ?? 0 }
    /// `spec.revisionHistoryLimit` (10 when unset).
    public var revisionHistoryLimit: Int { int("revisionHistoryLimit") ?? 10 }
    public var selector: JSONValue? { spec["selector"].flatMap { $0.isNull ? nil : $0 } }
    /// `spec.template` (`{}` when absent).
    public var template: JSONValue { spec["template"] ?? .emptyObject }
    /// `spec.updateStrategy.type`: `RollingUpdate` (default) or `OnDelete`.
    public var updateStrategyType: String { spec["updateStrategy"]?["type"]?.string ?? "RollingUpdate" }
    public var isOnDelete: Bool { updateStrategyType == "OnDelete" }
    /// `spec.updateStrategy.rollingUpdate.maxUnavailable` as sent (1 when unset).
    public var maxUnavailable: JSONValue { spec["updateStrategy"]?["rollingUpdate"]?["maxUnavailable"] ?? 1 }
    /// `spec.updateStrategy.rollingUpdate.maxSurge` as sent (0 when unset).
    public var maxSurge: JSONValue { spec["updateStrategy"]?["rollingUpdate"]?["maxSurge"] ?? 0 }

    // MARK: status

    private func status(_ key: String) -> Int { object["status"]?[key]?.int.map { Int(clamping: $0) } ?? 0 }
    public var desiredNumberScheduled: Int { status("desiredNumberScheduled") }
    public var currentNumberScheduled: Int { status("currentNumberScheduled") }
    public var updatedNumberScheduled: Int { status("updatedNumberScheduled") }
    public var numberReady: Int { status("numberReady") }
    public var numberAvailable: Int { status("numberAvailable") }
    public var numberUnavailable: Int { status("numberUnavailable") }
    public var numberMisscheduled: Int { status("numberMisscheduled") }
    public var collisionCount: Int? { object["status"]?["collisionCount"]?.int.map { Int(clamping: $0) } }
    public var observedGeneration: Int64 { object["status"]?["observedGeneration"]?.int ?? 0 }
}
