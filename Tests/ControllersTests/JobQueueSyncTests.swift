import Foundation
import Model
import Testing
@testable import Controllers

/// The Job side of the queue manager as a table: (Job state, Workload state) → actions.
@Suite struct JobQueueSyncTests {
    enum JobState { case suspended, running, userSuspendedAfterStart, resumedAfterDeactivation, complete, held, unlabelled }
    enum WorkloadState { case none, pending, admitted, deactivated, finished }

    static func job(_ state: JobState) -> JobView {
        var job = JobFixtures.job("train", uid: "job-uid", spec: ["suspend": .bool([.suspended, .userSuspendedAfterStart, .held].contains(state))])
        if state != .unlabelled { job.setValue("research", at: ["metadata", "labels", Kueue.queueNameLabel]) }
        if state == .userSuspendedAfterStart || state == .resumedAfterDeactivation {
            job.setValue("wl-uid", at: ["metadata", "annotations", JobQueueSync.admittedAnnotation])
        }
        if state == .complete { job["status"] = ["conditions": [["type": "Complete", "status": "True", "message": "done"]]] }
        if state == .held { job.setValue("true", at: ["metadata", "annotations", JobDependencies.heldAnnotation]) }
        return JobView(job)
    }

    static func workload(_ state: WorkloadState, of job: JobView) -> WorkloadView? {
        guard state != .none else { return nil }
        var object = WorkloadBuilder.workload(for: job, priority: WorkloadPriority())
        object.setValue("wl-uid", at: ["metadata", "uid"])
        let reserved: JSONValue = ["type": "QuotaReserved", "status": "True", "reason": "QuotaReserved", "message": "Quota reserved in ClusterQueue research"]
        switch state {
        case .pending:
            object["status"] = ["conditions": [["type": "QuotaReserved", "status": "False", "reason": "Pending", "message": "waiting"]]]
        case .admitted, .finished:
            var conditions: [JSONValue] = [reserved, ["type": "Admitted", "status": "True"]]
            if state == .finished { conditions.append(["type": "Finished", "status": "True"]) }
            object["status"] = ["admission": WorkloadAdmission(clusterQueue: "research", podSetAssignments: [
                .init(name: "main", flavors: ["cpu": "default"], resourceUsage: ["cpu": Quantity(1)], count: 1)]).json,
                                "conditions": .array(conditions)]
        case .deactivated:
            object.setValue(false, at: ["spec", "active"])
            object["status"] = ["conditions": [["type": "Evicted", "status": "True", "reason": "Deactivated"]]]
        case .none: break
        }
        return WorkloadView(object)
    }

    static func kinds(_ actions: [JobQueueAction]) -> [String] {
        actions.map { action in
            switch action {
            case .createWorkload: return "create"
            case .startJob: return "start"
            case .suspendJob: return "suspend"
            case .restoreTemplate: return "restore"
            case .finishWorkload(let reason, _): return "finish \(reason)"
            case .deactivateWorkload: return "deactivate"
            case .reactivateWorkload: return "reactivate"
            case .mirrorCondition(let status, _, _): return "mirror \(status)"
            }
        }
    }

    @Test(arguments: [
        (JobState.suspended, WorkloadState.none, ["create"]),
        (.running, .none, ["create", "suspend"]),                         // resumed before it had a Workload
        (.suspended, .pending, ["mirror False"]),
        (.running, .pending, ["mirror False", "suspend"]),                // runs without quota: back to the queue
        (.suspended, .admitted, ["mirror True", "start"]),
        (.running, .admitted, ["mirror True"]),
        (.userSuspendedAfterStart, .admitted, ["mirror True", "deactivate"]),
        (.resumedAfterDeactivation, .deactivated, ["reactivate", "suspend"]),
        (.complete, .admitted, ["finish Succeeded"]),
        (.complete, .finished, []),
        (.held, .none, []),                                               // its dependencies hold it first
        (.unlabelled, .none, []),
    ] as [(JobState, WorkloadState, [String])])
    func aQueuedJobFollowsItsWorkload(job: JobState, workload: WorkloadState, expected: [String]) {
        let view = Self.job(job)
        #expect(Self.kinds(JobQueueSync.plan(JobQueueSyncInput(job: view, workload: Self.workload(workload, of: view)))) == expected)
    }

    @Test func startingInjectsTheFlavorsNodeLabelsAndTolerationsAndRecordsTheWorkload() {
        let job = Self.job(.suspended)
        let flavor = ResourceFlavorView(["metadata": ["name": "default"],
                                         "spec": ["nodeLabels": ["tier": "spot"], "tolerations": [["key": "spot", "operator": "Exists"]]]])
        let actions = JobQueueSync.plan(JobQueueSyncInput(job: job, workload: Self.workload(.admitted, of: job), flavors: ["default": flavor]))
        #expect(actions.last == .startJob(["metadata": ["annotations": [JobQueueSync.admittedAnnotation: "wl-uid"]],
                                           "spec": ["suspend": false, "template": ["spec": ["nodeSelector": ["tier": "spot"],
                                                                                            "tolerations": [["key": "spot", "operator": "Exists"]]]]]]))
    }

    @Test func aSuspendedJobGetsItsOriginalTemplateBack() {
        var object = Self.job(.suspended).object
        let workload = Self.workload(.pending, of: JobView(object))
        object.setValue(["tier": "spot"], at: ["spec", "template", "spec", "nodeSelector"])
        let actions = JobQueueSync.plan(JobQueueSyncInput(job: JobView(object), workload: workload))
        #expect(actions.last == .restoreTemplate(["spec": ["template": ["spec": ["nodeSelector": ["tier": .null]]]]]))
    }

    @Test func theWorkloadsPriorityComesFromItsWorkloadPriorityClassFirst() {
        var object = Self.job(.suspended).object
        object.setValue("high", at: ["metadata", "labels", Kueue.priorityClassLabel])
        object.setValue("batch-low", at: ["spec", "template", "spec", "priorityClassName"])
        let classes = [PriorityClasses.Class(name: "batch-low", value: 10)]
        let fromLabel = WorkloadBuilder.priority(for: JobView(object), workloadClasses: { $0 == "high" ? ["value": 1000] : nil }, podClasses: classes)
        #expect(fromLabel == WorkloadPriority(value: 1000, className: "high", source: Kueue.workloadPriorityClassSource))
        let fromPod = WorkloadBuilder.priority(for: JobView(object), workloadClasses: { _ in nil }, podClasses: classes)
        #expect(fromPod == WorkloadPriority(value: 10, className: "batch-low", source: Kueue.podPriorityClassSource))
    }

    @Test func aWorkloadCountsParallelismCappedByCompletions() {
        var object = Self.job(.suspended).object
        object.setValue(4, at: ["spec", "parallelism"])
        object.setValue(3, at: ["spec", "completions"])
        let workload = WorkloadView(WorkloadBuilder.workload(for: JobView(object), priority: WorkloadPriority()))
        #expect(workload.podSets.map(\.count) == [3])
        #expect(workload.name == "job-train-jobui")
        #expect(workload.ownerJob?.uid == "job-uid")
    }
}
