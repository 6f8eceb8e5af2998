import Foundation
import Model
import Testing

@Suite struct JobViewTests {
    @Test func specDefaultsWhenFieldsAreAbsent() {
        let job = JobView(["metadata": ["name": "pi", "namespace": "default", "uid": "u"], "spec": [:]])
        #expect(job.parallelism == 1 && job.completions == nil && job.backoffLimit == 6)
        #expect(job.completionMode == "NonIndexed" && !job.suspend && job.podReplacementPolicy == "TerminatingOrFailed")
        #expect(!job.isManagedExternally && !job.isFinished)
        let perIndex = JobView(["spec": ["backoffLimitPerIndex": 1, "podFailurePolicy": ["rules": []]]])
        #expect(perIndex.backoffLimit == Int(Int32.max) && perIndex.podReplacementPolicy == "Failed")
        #expect(JobView(["spec": ["managedBy": "example.com/q"]]).isManagedExternally)
        #expect(!JobView(["spec": ["managedBy": "kubernetes.io/job-controller"]]).isManagedExternally)
    }

    @Test func policiesParse() {
        let job = JobView(["spec": [
            "podFailurePolicy": ["rules": [
                ["action": "FailJob", "onExitCodes": ["containerName": "main", "operator": "In", "values": [1, 2]]],
                ["action": "Ignore", "onPodConditions": [["type": "DisruptionTarget", "status": "True"]]],
                ["action": "Bogus", "onExitCodes": ["operator": "In", "values": [3]]]]],
            "successPolicy": ["rules": [["succeededIndexes": "0-2", "succeededCount": 2]]]]])
        let rules = job.podFailurePolicy?.rules ?? []
        #expect(rules.map(\.action) == [.failJob, .ignore, nil])
        #expect(rules[0].onExitCodes == PodFailurePolicy.ExitCodes(containerName: "main", operator: "In", values: [1, 2]))
        #expect(rules[1].onPodConditions == [PodFailurePolicy.ConditionPattern(type: "DisruptionTarget")])
        #expect(job.successPolicy?.rules == [SuccessPolicy.Rule(succeededIndexes: "0-2", succeededCount: 2)])
    }

    @Test func statusRoundTripsAndKeepsUnknownMembers() {
        let stored: JSONValue = ["active": 1, "ready": 0, "terminating": 0, "completedIndexes": "0,2-3",
                                 "uncountedTerminatedPods": ["failed": ["a"]], "future": "kept",
                                 "conditions": [["type": "Suspended", "status": "False", "reason": "JobResumed",
                                                 "lastTransitionTime": "2027-01-15T08:00:00Z"]]]
        var status = JobStatus(stored)
        #expect(status.active == 1 && status.uncountedFailed == ["a"] && status.completedIndexes == "0,2-3")
        #expect(status.condition("Suspended")?.reason == "JobResumed")
        #expect(status.json(merging: stored) == stored)
        status.active = 0
        status.uncountedFailed = []
        let written = status.json(merging: stored)
        #expect(written["active"] == nil && written["future"] == "kept")
        #expect(written["uncountedTerminatedPods"] == .emptyObject)
    }

    @Test func ensureConditionNeverAddsFalseAndReplacesOnChange() {
        var status = JobStatus()
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        var changed = false
        changed = status.ensureCondition("Suspended", status: "False", reason: "JobResumed", message: "Job resumed", now: t)
        #expect(!changed)
        changed = status.ensureCondition("Suspended", status: "True", reason: "JobSuspended", message: "Job suspended", now: t)
        #expect(changed)
        changed = status.ensureCondition("Suspended", status: "True", reason: "JobSuspended", message: "Job suspended", now: t)
        #expect(!changed)
        changed = status.ensureCondition("Suspended", status: "False", reason: "JobResumed", message: "Job resumed", now: t)
        #expect(changed)
        #expect(status.conditions.count == 1 && status.conditions[0].status == "False")
    }

    @Test func podViewReadsJobBookkeepingAndScheduling() {
        let pod = PodView(["metadata": ["name": "p", "annotations": ["batch.kubernetes.io/job-completion-index": "3",
                                                                     "batch.kubernetes.io/job-index-failure-count": "x"],
                                        "ownerReferences": [["apiVersion": "batch/v1", "kind": "Job", "name": "pi", "uid": "j", "controller": true]]],
                           "status": ["phase": "Pending", "conditions": [
                            ["type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "0/3 nodes are available"]],
                                      "containerStatuses": [["name": "main", "restartCount": 2,
                                                             "state": ["terminated": ["exitCode": 137, "reason": "OOMKilled"]]]]]])
        #expect(pod.completionIndex == 3 && pod.indexFailureCount == 0)   // garbage count reads 0
        #expect(pod.controllerUID == "j" && pod.isActive && pod.isUnschedulable)
        #expect(pod.scheduledCondition?.message == "0/3 nodes are available")
        #expect(pod.containerStatuses.first?.exitCode == 137 && pod.containerStatuses.first?.terminatedReason == "OOMKilled")
        #expect(PodView(["metadata": ["annotations": ["batch.kubernetes.io/job-completion-index": "-1"]]]).completionIndex == nil)
    }
}
