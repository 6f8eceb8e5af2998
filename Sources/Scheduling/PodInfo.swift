import Foundation
import Model

/// What scheduling needs to know about a pod, read once from its JSON.
public struct PodInfo: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var uid: String
    /// `spec.priority` (0 when unset).
    public var priority: Int32
    public var creationTimestamp: Date
    /// `status.startTime`, else the creation time: how long the pod has been working (preemption
    /// spares pods that started earlier).
    public var startTime: Date
    /// `spec.preemptionPolicy`: `Never` pods wait instead of evicting others.
    public var preemptionPolicy: String
    /// `spec.schedulerName` (`default-scheduler` when unset).
    public var schedulerName: String
    /// max(Σ containers + Σ sidecars, each init container + the sidecars declared before it),
    /// plus overhead (upstream's effective request). `pods` is always 1.
    public var requests: ResourceAmounts
    public var nodeSelector: [String: String]
    /// `spec.affinity.nodeAffinity` as sent; `affinityRules` is its parsed form.
    public var nodeAffinity: JSONValue? {
        didSet { affinityRules = NodeAffinityRules(nodeAffinity) }
    }
    /// `spec.tolerations` as sent; `tolerationRules` is their parsed form.
    public var tolerations: [JSONValue] {
        didSet { tolerationRules = tolerations.compactMap(Toleration.init) }
    }
    /// `nodeAffinity`, read once so filters do not walk JSON for every node.
    public private(set) var affinityRules: NodeAffinityRules
    /// `tolerations`, read once.
    public private(set) var tolerationRules: [Toleration]
    /// `metadata.deletionTimestamp` is set: the pod is on its way out. Kept with `object` (a
    /// preemptor asks it of every pod on hundreds of nodes).
    public private(set) var isDeleting: Bool
    /// The whole pod, for plugins that need more.
    public var object: JSONValue {
        didSet { isDeleting = Self.isDeleting(object) }
    }

    private static func isDeleting(_ pod: JSONValue) -> Bool { !(pod.value(at: ["metadata", "deletionTimestamp"]) ?? .null).isNull }

    /// Reads a pod object; quantities that do not parse count as zero (the API validated them).
    public init(_ pod: JSONValue) {
        object = pod
        isDeleting = Self.isDeleting(pod)
        namespace = pod.value(at: ["metadata", "namespace"])?.string ?? ""
        name = pod.value(at: ["metadata", "name"])?.string ?? ""
        uid = pod.value(at: ["metadata", "uid"])?.string ?? ""
        priority = Int32(clamping: pod.value(at: ["spec", "priority"])?.int ?? 0)
        creationTimestamp = pod.value(at: ["metadata", "creationTimestamp"])?.string.flatMap(Timestamp.parse) ?? Date(timeIntervalSince1970: 0)
        startTime = pod.value(at: ["status", "startTime"])?.string.flatMap(Timestamp.parse) ?? creationTimestamp
        preemptionPolicy = pod.value(at: ["spec", "preemptionPolicy"])?.string ?? "PreemptLowerPriority"
        schedulerName = pod.value(at: ["spec", "schedulerName"])?.string ?? "default-scheduler"
        nodeSelector = pod.value(at: ["spec", "nodeSelector"])?.stringMap ?? [:]
        nodeAffinity = pod.value(at: ["spec", "affinity", "nodeAffinity"])
        tolerations = pod.value(at: ["spec", "tolerations"])?.array ?? []
        affinityRules = NodeAffinityRules(nodeAffinity)
        tolerationRules = tolerations.compactMap(Toleration.init)
        requests = ResourceAmounts(effectiveRequestsOf: pod)
    }
}
