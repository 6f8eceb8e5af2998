import Foundation
import Model

/// What one sync of a queued Job looks at: the Job, its Workload (if any), the flavors, and the
/// priority its Workload gets.
public struct JobQueueSyncInput: Sendable {
    public var job: JobView
    public var workload: WorkloadView?
    public var flavors: [String: ResourceFlavorView]
    /// The priority (and where it came from) a new Workload gets.
    public var priority: WorkloadPriority

    public init(job: JobView, workload: WorkloadView?, flavors: [String: ResourceFlavorView] = [:],
                priority: WorkloadPriority = WorkloadPriority()) {
        self.job = job
        self.workload = workload
        self.flavors = flavors
        self.priority = priority
    }
}

/// A Workload's priority: a WorkloadPriorityClass (the Job's `kueue.x-k8s.io/priority-class`
/// label), else the pod template's PriorityClass, else 0.
public struct WorkloadPriority: Sendable, Equatable {
    public var value: Int
    public var className: String?
    public var source: String?
    public init(value: Int = 0, className: String? = nil, source: String? = nil) {
        self.value = value
        self.className = className
        self.source = source
    }
}

/// The changes one sync makes, in order.
public enum JobQueueAction: Sendable, Equatable {
    /// Create this Workload for the Job.
    case createWorkload(JSONValue)
    /// Unsuspend the admitted Job with this merge patch (flavor node labels and tolerations in
    /// its template, the Workload's uid in `drover.dev/admitted-workload`).
    case startJob(JSONValue)
    /// Suspend a Job that runs without quota (merge patch).
    case suspendJob(JSONValue)
    /// Give a suspended Job back the template its Workload was made from (merge patch).
    case restoreTemplate(JSONValue)
    /// Mark the Workload Finished (reason Succeeded or Failed) so its quota is released.
    case finishWorkload(reason: String, message: String)
    /// The user suspended the admitted Job: the Workload leaves the queue (spec.active=false,
    /// Evicted=True reason Deactivated) and its quota is released.
    case deactivateWorkload(message: String)
    /// The user resumed a Job whose Workload was deactivated: it queues again (active=true).
    case reactivateWorkload
    /// Mirror the Workload's QuotaReserved condition onto the Job (status, condition `QuotaReserved`).
    case mirrorCondition(status: String, reason: String, message: String)
}

/// The Job side of the queue manager, pure: Kueue's jobframework reconciler for batch/v1 Jobs.
public enum JobQueueSync {
    /// The Job annotation recording the Workload whose admission started it: a queued Job that is
    /// suspended while it carries its Workload's uid was suspended by its user.
    public static let admittedAnnotation = "drover.dev/admitted-workload"

    public static func plan(_ input: JobQueueSyncInput) -> [JobQueueAction] {
        let job = input.job
        guard job.queueName != nil, !job.isDeleting else { return [] }
        // Held by its dependencies: it enters the queue once they release it.
        if job.isHeldByDependencies { return [] }
        guard let workload = input.workload else {
            if job.isFinished { return [] }
            var actions: [JobQueueAction] = [.createWorkload(WorkloadBuilder.workload(for: job, priority: input.priority))]
            if !job.suspend { actions.append(.suspendJob(suspendPatch())) }
            return actions
        }
        if job.isFinished {
            guard !workload.isFinished else { return [] }
            let failed = job.condition(JobCondition.failed)?.isTrue ?? false
            let condition = job.condition(failed ? JobCondition.failed : JobCondition.complete)
            return [.finishWorkload(reason: failed ? "Failed" : "Succeeded",
                                    message: condition?.message.isEmpty == false ? condition!.message : "Job finished successfully")]
        }
        var actions: [JobQueueAction] = []
        if let reserved = workload.condition(Kueue.Condition.quotaReserved) {
            let mirrored = job.condition(Kueue.Condition.quotaReserved)
            if mirrored?.status != reserved.status || mirrored?.reason != reserved.reason || mirrored?.message != reserved.message {
                actions.append(.mirrorCondition(status: reserved.status, reason: reserved.reason, message: reserved.message))
            }
        }
        let startedByThis = job.metadata.annotations[admittedAnnotation] == workload.uid
        if workload.isAdmitted, !workload.isFinished, let admission = workload.admission {
            if job.suspend {
                if startedByThis {
                    actions.append(.deactivateWorkload(message: "The Job was suspended by its user: its quota is released; "
                                                       + "resume it to queue it again"))
                } else {
                    actions.append(.startJob(startPatch(job: job, workload: workload, admission: admission, flavors: input.flavors)))
                }
            }
            return actions
        }
        if !job.suspend {
            if !workload.isActive && startedByThis {
                actions.append(.reactivateWorkload)
            }
            actions.append(.suspendJob(suspendPatch()))
        } else if job.status.active == 0, let original = workload.podSets.first?.template,
                  let restore = restorePatch(job: job, original: original) {
            actions.append(.restoreTemplate(restore))
        }
        return actions
    }

    /// suspend=true and the admitted-workload mark removed.
    static func suspendPatch() -> JSONValue {
        ["metadata": ["annotations": [admittedAnnotation: .null]], "spec": ["suspend": true]]
    }

    /// Unsuspends the Job with the chosen flavors' node labels in its node selector and their
    /// tolerations added to its template (Kueue's podset info injection).
    static func startPatch(job: JobView, workload: WorkloadView, admission: WorkloadAdmission,
                           flavors: [String: ResourceFlavorView]) -> JSONValue {
        let templateSpec = job.template["spec"] ?? .emptyObject
        var selector = templateSpec["nodeSelector"]?.object ?? JSONObject()
        var tolerations = templateSpec["tolerations"]?.array ?? []
        let used = Set(admission.podSetAssignments.flatMap { $0.flavors.values })
        for name in used.sorted() {
            guard let flavor = flavors[name] else { continue }
            for (key, value) in flavor.nodeLabels.sorted(by: { $0.key < $1.key }) { selector[key] = .string(value) }
            for toleration in flavor.tolerations where !tolerations.contains(toleration) { tolerations.append(toleration) }
        }
        var spec: JSONValue = ["nodeSelector": selector.isEmpty ? .null : .object(selector)]
        spec["tolerations"] = tolerations.isEmpty ? .null : .array(tolerations)
        return ["metadata": ["annotations": [admittedAnnotation: .string(workload.uid)]],
                "spec": ["suspend": false, "template": ["spec": spec]]]
    }

    /// Puts back the node selector and tolerations the Workload was created with, if they differ.
    static func restorePatch(job: JobView, original: JSONValue) -> JSONValue? {
        let current = job.template["spec"] ?? .emptyObject
        let originalSpec = original["spec"] ?? .emptyObject
        var spec = JSONObject()
        let currentSelector = current["nodeSelector"] ?? .null, originalSelector = originalSpec["nodeSelector"] ?? .null
        if currentSelector != originalSelector {
            // A merge patch merges maps: keys the flavor added are removed one by one.
            var selector = JSONObject()
            for (key, _) in currentSelector.object?.pairs ?? [] where originalSelector[key] == nil { selector[key] = .null }
            for (key, value) in originalSelector.object?.pairs ?? [] { selector[key] = value }
            spec["nodeSelector"] = .object(selector)
        }
        if (current["tolerations"] ?? .null) != (originalSpec["tolerations"] ?? .null) {
            spec["tolerations"] = originalSpec["tolerations"] ?? .null
        }
        return spec.isEmpty ? nil : ["spec": ["template": ["spec": .object(spec)]]]
    }
}

extension JobView {
    /// The LocalQueue of a queued Job (`kueue.x-k8s.io/queue-name`), nil when it is not queued.
    public var queueName: String? {
        metadata.labels[Kueue.queueNameLabel].flatMap { $0.isEmpty ? nil : $0 }
    }
}
