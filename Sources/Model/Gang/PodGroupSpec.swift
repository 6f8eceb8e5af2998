import Foundation

/// A scheduling.x-k8s.io/v1alpha1 PodGroup (the coscheduling plugin's gang) as the scheduler and
/// controllers read it. Pods join a group with the label `scheduling.x-k8s.io/pod-group: <name>`
/// in the group's namespace; the scheduler binds none of them until `minMember` can be placed at once.
public struct PodGroupSpec: Sendable, Equatable {
    /// The label naming the PodGroup a pod belongs to (upstream's `PodGroupLabel`).
    public static let podGroupLabel = "scheduling.x-k8s.io/pod-group"
    /// Drover's Job annotation asking for gang semantics: `"true"` makes the Job controller create
    /// a PodGroup named after the Job (minMember = parallelism, owned by the Job) and label its pods.
    public static let jobGangAnnotation = "drover.dev/gang"
    /// Drover's Job annotation choosing what a member's failure does once the gang has started:
    /// `RestartGang` deletes the other running members so the whole gang is created and scheduled
    /// again together; anything else (the default) lets the Job's own policy handle the pod alone.
    public static let jobGangFailureAnnotation = "drover.dev/gang-failure"
    /// The value of `jobGangFailureAnnotation` that restarts the whole gang.
    public static let restartGang = "RestartGang"
    /// How long a gang may hold reservations on part of the cluster while it waits for the rest
    /// when `scheduleTimeoutSeconds` is unset (the coscheduling plugin's permitWaitingTimeSeconds).
    public static let defaultScheduleTimeoutSeconds = 60

    public var namespace: String
    public var name: String
    /// `spec.minMember`: pods that must be placeable together (at least 1).
    public var minMember: Int
    /// `spec.minResources`: the free room the cluster must have before the gang is tried.
    public var minResources: ResourceAmounts
    /// `spec.scheduleTimeoutSeconds`, defaulted.
    public var scheduleTimeoutSeconds: Int
    public var creationTimestamp: Date

    /// Reads a stored PodGroup (admission has validated it).
    public init(_ object: JSONValue) {
        namespace = object.value(at: ["metadata", "namespace"])?.string ?? ""
        name = object.value(at: ["metadata", "name"])?.string ?? ""
        minMember = max(1, Int(object.value(at: ["spec", "minMember"])?.int ?? 1))
        minResources = ResourceAmounts(requests: object.value(at: ["spec", "minResources"]))
        minResources.pods = 0
        scheduleTimeoutSeconds = Int(object.value(at: ["spec", "scheduleTimeoutSeconds"])?.int
                                     ?? Int64(Self.defaultScheduleTimeoutSeconds))
        creationTimestamp = object.value(at: ["metadata", "creationTimestamp"])?.string.flatMap(Timestamp.parse)
            ?? Date(timeIntervalSince1970: 0)
    }

    public init(namespace: String, name: String, minMember: Int, minResources: ResourceAmounts = ResourceAmounts(),
                scheduleTimeoutSeconds: Int = PodGroupSpec.defaultScheduleTimeoutSeconds,
                creationTimestamp: Date = Date(timeIntervalSince1970: 0)) {
        self.namespace = namespace
        self.name = name
        self.minMember = minMember
        self.minResources = minResources
        self.scheduleTimeoutSeconds = scheduleTimeoutSeconds
        self.creationTimestamp = creationTimestamp
    }

    /// `namespace/name`, the key pods' labels resolve to.
    public var key: String { "\(namespace)/\(name)" }

    /// The group key of a pod (`namespace/<label value>`), or nil when it belongs to no group.
    public static func groupKey(ofPod pod: JSONValue) -> String? {
        guard let group = pod.value(at: ["metadata", "labels", podGroupLabel])?.string, !group.isEmpty else { return nil }
        return "\(pod.value(at: ["metadata", "namespace"])?.string ?? "")/\(group)"
    }
}
