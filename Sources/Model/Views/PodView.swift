import Foundation

/// A pod read through computed properties: what controllers and the CLI need without path
/// literals. The JSON stays the source of truth; nothing is decoded up front.
public struct PodView: Sendable, Equatable {
    /// The whole pod.
    public var object: JSONValue

    public init(_ object: JSONValue) { self.object = object }

    /// The pod's metadata.
    public var metadata: ObjectMetaView { ObjectMetaView(object["metadata"]) }
    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
    public var uid: String { metadata.uid }
    public var labels: [String: String] { metadata.labels }
    public var annotations: [String: String] { metadata.annotations }
    public var finalizers: [String] { metadata.finalizers }
    public var creationTimestamp: Date? { metadata.creationTimestamp }
    public var deletionTimestamp: Date? { metadata.deletionTimestamp }
    /// True once deletion was requested (`metadata.deletionTimestamp` present).
    public var isDeleting: Bool { metadata.isDeleting }
    public var ownerReferences: [OwnerReference] { metadata.ownerReferences }
    /// The uid of the controlling owner (`ownerReferences[].controller == true`).
    public var controllerUID: String? { metadata.controllerReference?.uid }

    // MARK: spec

    public var nodeName: String? { object["spec"]?["nodeName"]?.string.flatMap { $0.isEmpty ? nil : $0 } }
    public var restartPolicy: String { object["spec"]?["restartPolicy"]?.string ?? "Always" }
    public var containerNames: [String] {
        object["spec"]?["containers"]?.array?.compactMap { $0["name"]?.string } ?? []
    }

    // MARK: status

    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown` (`Pending` when unset).
    public var phase: String { object["status"]?["phase"]?.string ?? "Pending" }
    /// `status.reason` (`DeadlineExceeded`, `Evicted`, ...), when the pod has one.
    public var reason: String? { object["status"]?["reason"]?.string }
    /// `status.message`, when the pod has one.
    public var message: String? { object["status"]?["message"]?.string }
    public var isSucceeded: Bool { phase == "Succeeded" }
    public var isFailedPhase: Bool { phase == "Failed" }
    /// Succeeded or Failed.
    public var isTerminal: Bool { isSucceeded || isFailedPhase }
    /// Not terminal and not being deleted (upstream's FilterActivePods).
    public var isActive: Bool { !isTerminal && !isDeleting }
    /// Being deleted but not yet terminal (upstream's terminating pods).
    public var isTerminating: Bool { !isTerminal && isDeleting }

    public var conditions: [ConditionView] {
        object["status"]?["conditions"]?.array?.map(ConditionView.init) ?? []
    }
    /// The condition of `type`, if present.
    public func condition(_ type: String) -> ConditionView? { conditions.first { $0.type == type } }
    /// `Ready=True`.
    public var isReady: Bool { condition("Ready")?.isTrue ?? false }
    /// `PodScheduled`, which carries the scheduler's reason and message when it is False.
    public var scheduledCondition: ConditionView? { condition("PodScheduled") }
    /// `PodScheduled=False, reason=Unschedulable`.
    public var isUnschedulable: Bool {
        guard let c = scheduledCondition else { return false }
        return c.status == "False" && c.reason == "Unschedulable"
    }
    /// `DisruptionTarget=True`: the pod is being evicted or preempted.
    public var isDisruptionTarget: Bool { condition("DisruptionTarget")?.isTrue ?? false }

    public var containerStatuses: [ContainerStatusView] {
        object["status"]?["containerStatuses"]?.array?.map(ContainerStatusView.init) ?? []
    }
    public var initContainerStatuses: [ContainerStatusView] {
        object["status"]?["initContainerStatuses"]?.array?.map(ContainerStatusView.init) ?? []
    }

    // MARK: Job bookkeeping

    /// `batch.kubernetes.io/job-completion-index` from the annotation (upstream reads the annotation,
    /// not the label); nil when absent, not a number or negative.
    public var completionIndex: Int? {
        guard let text = annotations[JobView.completionIndexKey], let value = Int(text), value >= 0 else { return nil }
        return value
    }
    /// `batch.kubernetes.io/job-index-failure-count` (0 when absent or invalid).
    public var indexFailureCount: Int { Self.count(annotations[JobView.indexFailureCountKey]) }
    /// `batch.kubernetes.io/job-index-ignored-failure-count` (0 when absent or invalid).
    public var indexIgnoredFailureCount: Int { Self.count(annotations[JobView.indexIgnoredFailureCountKey]) }

    private static func count(_ text: String?) -> Int {
        guard let text, let value = Int(text), value >= 0, value <= Int(Int32.max) else { return 0 }
        return value
    }
}

/// One entry of `status.containerStatuses[]` (or `initContainerStatuses[]`).
public struct ContainerStatusView: Sendable, Equatable {
    public var object: JSONValue
    public init(_ object: JSONValue) { self.object = object }

    public var name: String { object["name"]?.string ?? "" }
    public var ready: Bool { object["ready"]?.bool ?? false }
    public var restartCount: Int { Int(object["restartCount"]?.int ?? 0) }
    /// `state.terminated`, when the container has finished.
    public var terminated: JSONValue? { object["state"]?["terminated"].flatMap { $0.object == nil ? nil : $0 } }
    /// `state.terminated.exitCode`.
    public var exitCode: Int? { terminated?["exitCode"]?.int.map(Int.init) }
    /// `state.terminated.reason` (`Completed`, `Error`, `OOMKilled`, ...).
    public var terminatedReason: String? { terminated?["reason"]?.string }
    /// `state.terminated.finishedAt`.
    public var finishedAt: Date? { terminated?["finishedAt"]?.string.flatMap(Timestamp.parse) }
    /// True while the container is running.
    public var isRunning: Bool { object["state"]?["running"]?.object != nil }
    /// `state.waiting.reason` (`ContainerCreating`, `CrashLoopBackOff`, ...).
    public var waitingReason: String? { object["state"]?["waiting"]?["reason"]?.string }
    /// `lastState.terminated.exitCode`: how the previous run of a restarted container ended.
    public var lastExitCode: Int? { object["lastState"]?["terminated"]?["exitCode"]?.int.map(Int.init) }
}
