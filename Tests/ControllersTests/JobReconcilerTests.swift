import Foundation
import Model
import Testing
@testable import Controllers

/// The pure Job reconcile: (job, pods, now) → plan.
@Suite struct JobReconcilerTests {
    typealias F = JobFixtures
    let t0 = JobFixtures.t0

    @Test func newJobCreatesOnePodAndStarts() {
        let plan = F.plan(F.job())
        #expect(plan.creations.count == 1)
        #expect(plan.status.startTime == t0.addingTimeInterval(60))
        #expect(plan.status.active == 1)
        #expect(plan.status.json()["uncountedTerminatedPods"] == .emptyObject)
    }

    @Test func succeededPodsGoToUncountedThenToTheCounter() {
        // parallelism 3, completions 5, 2 succeeded: want min(5-2, 3) = 3 new pods.
        let job = F.job(spec: ["parallelism": 3, "completions": 5])
        let pods = [F.pod("a", phase: "Succeeded", exitCode: 0), F.pod("b", phase: "Succeeded", exitCode: 0)]
        let plan = F.plan(job, pods)
        #expect(plan.creations.count == 3)
        #expect(plan.status.uncountedSucceeded == ["uid-a", "uid-b"])
        #expect(plan.status.succeeded == 0)
        #expect(plan.finalizerRemovals.map(\.name) == ["a", "b"])
        let final = plan.finalStatus(removed: ["uid-a"]).status   // b's removal failed
        #expect(final.succeeded == 1 && final.uncountedSucceeded == ["uid-b"])
    }

    @Test func aPodGoneWithItsUidUncountedIsCountedOnce() {
        let job = F.job(spec: ["completions": 2, "parallelism": 1],
                        status: ["succeeded": 0, "uncountedTerminatedPods": ["succeeded": ["uid-gone"]]])
        let plan = F.plan(job, [])
        #expect(plan.status.succeeded == 1 && plan.status.uncountedSucceeded.isEmpty)
        #expect(plan.creations.count == 1)          // 2 - 1
        // Seen again with the counter written: still 1.
        let again = F.plan(F.job(spec: ["completions": 2], status: ["succeeded": 1, "uncountedTerminatedPods": [:]]), [])
        #expect(again.status.succeeded == 1)
    }

    @Test func lastSuccessCompletesAfterTheFinalizerIsRemoved() throws {
        let plan = F.plan(F.job(), [F.pod("a", phase: "Succeeded", exitCode: 0)])
        #expect(plan.creations.isEmpty)
        #expect(plan.status.condition("SuccessCriteriaMet")?.reason == "CompletionsReached")
        #expect(plan.status.condition("Complete") == nil)                 // first write: interim only
        let (final, events) = plan.finalStatus(removed: ["uid-a"])
        #expect(final.conditions.map(\.type) == ["SuccessCriteriaMet", "Complete"])
        #expect(final.succeeded == 1 && final.completionTime != nil)
        #expect(events.map(\.reason) == ["Completed"])
    }

    @Test func failedPodIsRecreatedOnlyAfterTheBackoff() {
        let failed = F.pod("a", phase: "Failed", exitCode: 1, finishedAt: t0.addingTimeInterval(55))
        let plan = F.plan(F.job(), [failed])                              // now = t0+60
        #expect(plan.creations.isEmpty)
        #expect(plan.requeueAfter == 5)                                   // 10 s - 5 s elapsed
        #expect(plan.status.uncountedFailed == ["uid-a"])
        let later = F.plan(F.job(), [failed], now: t0.addingTimeInterval(66))
        #expect(later.creations.count == 1)
    }

    @Test func backoffLimitExceededFailsTheJob() {
        let job = F.job(spec: ["backoffLimit": 0])
        let plan = F.plan(job, [F.pod("a", phase: "Failed", exitCode: 1)])
        #expect(plan.status.condition("FailureTarget")?.reason == "BackoffLimitExceeded")
        let (final, events) = plan.finalStatus(removed: ["uid-a"])
        let failed = final.condition("Failed")
        #expect(failed?.message == "Job has reached the specified backoff limit")
        #expect(final.failed == 1)
        #expect(events.first?.type == "Warning" && events.first?.reason == "BackoffLimitExceeded")
    }

    @Test func deadlineDeletesActivePodsAndWaitsForThemToTerminate() {
        let start = ["startTime": JSONValue.string(Timestamp.format(t0))]
        let job = F.job(spec: ["activeDeadlineSeconds": 30], status: .object(JSONObject(start.map { ($0.key, $0.value) })))
        let plan = F.plan(job, [F.pod("a", ready: true)])                 // now = t0+60 ≥ 30 s
        #expect(plan.status.condition("FailureTarget")?.reason == "DeadlineExceeded")
        #expect(plan.deletions.map(\.reason) == [.jobFinished])
        #expect(plan.deletions.first?.removeFinalizerFirst == false)
        #expect(plan.status.terminating == 1 && plan.status.active == 0 && plan.status.ready == 0)
        // Still terminating: no Failed yet.
        #expect(plan.finalStatus(removed: ["uid-a"]).status.condition("Failed") == nil)
        // Before the deadline the sync asks to come back when it falls.
        let early = F.plan(job, [F.pod("a")], now: t0.addingTimeInterval(20))
        #expect(early.requeueAfter == 10)
    }

    @Test func suspendDeletesActivePodsWithoutCountingThem() {
        let plan = F.plan(F.job(spec: ["suspend": true]), [F.pod("a")])
        #expect(plan.deletions.map(\.reason) == [.suspended])
        #expect(plan.deletions.first?.removeFinalizerFirst == true)
        #expect(plan.status.condition("Suspended")?.reason == "JobSuspended")
        #expect(plan.events.map(\.reason) == ["Suspended"])
        #expect(plan.status.startTime == nil)
    }

    @Test func resumeResetsStartTime() {
        let status: JSONValue = ["startTime": .string(Timestamp.format(t0)),
                                 "conditions": [["type": "Suspended", "status": "True", "reason": "JobSuspended"]]]
        let job = F.job(spec: ["activeDeadlineSeconds": 30], status: status)
        let plan = F.plan(job, [], now: t0.addingTimeInterval(600))       // suspended longer than the deadline
        #expect(plan.status.condition("Suspended")?.status == "False")
        #expect(plan.status.condition("Suspended")?.reason == "JobResumed")
        #expect(plan.status.startTime == t0.addingTimeInterval(600))
        #expect(plan.status.condition("FailureTarget") == nil)
        #expect(plan.creations.count == 1)
        #expect(plan.events.map(\.reason) == ["Resumed"])
    }

    @Test func replacementWaitsForTerminatingPodOnlyWithPolicyFailed() {
        let terminating = F.pod("a", deleting: true)
        let failedPolicy = F.plan(F.job(spec: ["podReplacementPolicy": "Failed"]), [terminating])
        #expect(failedPolicy.creations.isEmpty)
        #expect(failedPolicy.status.terminating == 1)
        #expect(failedPolicy.status.uncountedFailed.isEmpty)
        // TerminatingOrFailed: the deleted pod counts as failed and is replaced (after back-off).
        let defaultPolicy = F.plan(F.job(), [terminating], now: t0.addingTimeInterval(600))
        #expect(defaultPolicy.creations.count == 1)
        #expect(defaultPolicy.status.uncountedFailed == ["uid-a"])
    }

    @Test func jobManagedByAnotherControllerIsLeftAlone() {
        let plan = F.plan(F.job(spec: ["managedBy": "example.com/queue"]))
        #expect(plan.skip == .managedExternally && plan.creations.isEmpty)
        #expect(F.plan(F.job(spec: ["managedBy": "kubernetes.io/job-controller"])).creations.count == 1)
    }

    @Test func ttlRequeuesUntilExpiryThenDeletesTheJob() {
        let status: JSONValue = ["conditions": [["type": "Complete", "status": "True",
                                                 "lastTransitionTime": .string(Timestamp.format(t0))]]]
        let job = F.job(spec: ["ttlSecondsAfterFinished": 100], status: status)
        let early = F.plan(job, now: t0.addingTimeInterval(60))
        #expect(early.skip == .finished && early.requeueAfter == 40 && !early.deleteJob)   // 100 - 60
        #expect(F.plan(job, now: t0.addingTimeInterval(100)).deleteJob)
    }

    @Test func indexedJobCreatesTheLowestPendingIndexes() {
        let job = F.job(spec: ["completionMode": "Indexed", "completions": 4, "parallelism": 2])
        let pods = [F.pod("p0", phase: "Succeeded", index: 0, exitCode: 0), F.pod("p2", index: 2)]
        let plan = F.plan(job, pods)
        // want min(4-1, 2) = 2, active 1 → 1 new pod, lowest index not succeeded or active = 1.
        #expect(plan.creations.map(\.index) == [1])
        #expect(plan.status.completedIndexes == "0" && plan.status.succeeded == 1)
        #expect(plan.status.uncountedSucceeded.isEmpty)                   // indexes are the record
    }

    @Test func indexedJobDeletesDuplicateIndexes() {
        let job = F.job(spec: ["completionMode": "Indexed", "completions": 2, "parallelism": 2])
        let plan = F.plan(job, [F.pod("a", index: 0, ready: true), F.pod("b", index: 0), F.pod("c", index: 1)])
        #expect(plan.deletions.map(\.name) == ["b"] && plan.deletions.first?.reason == .duplicateIndex)
        #expect(plan.creations.isEmpty)
    }

    @Test func backoffLimitPerIndexFailsIndexesAndMaxFailedIndexes() {
        let job = F.job(spec: ["completionMode": "Indexed", "completions": 3, "parallelism": 3,
                               "backoffLimitPerIndex": 1, "maxFailedIndexes": 0, "backoffLimit": 2147483647])
        let failed = F.pod("a", phase: "Failed", index: 0, exitCode: 1,
                           annotations: [JobView.indexFailureCountKey: "1"])   // second failure of index 0
        let plan = F.plan(job, [failed, F.pod("b", index: 1), F.pod("c", index: 2)])
        #expect(plan.status.failedIndexes == "0")
        #expect(plan.status.condition("FailureTarget")?.reason == "MaxFailedIndexesExceeded")
        // A first failure keeps its finalizer until the replacement carries failure-count 1.
        let first = F.pod("a", phase: "Failed", index: 0, exitCode: 1, finishedAt: t0,
                          annotations: [JobView.indexFailureCountKey: "0"])
        let retry = F.plan(job, [first, F.pod("b", index: 1), F.pod("c", index: 2)], now: t0.addingTimeInterval(30))
        #expect(retry.status.failedIndexes == "")
        #expect(retry.creations.map(\.index) == [0])
        #expect(PodView(retry.creations[0].pod).indexFailureCount == 1)
        #expect(!retry.finalizerRemovals.contains { $0.name == "a" })
    }

    @Test func failJobRuleFailsWithPodFailurePolicyReason() {
        let policy: JSONValue = ["rules": [["action": "FailJob", "onExitCodes": ["operator": "In", "values": [42]]]]]
        let plan = F.plan(F.job(spec: ["podFailurePolicy": policy, "podReplacementPolicy": "Failed"]),
                          [F.pod("a", phase: "Failed", exitCode: 42)])
        let target = plan.status.condition("FailureTarget")
        #expect(target?.reason == "PodFailurePolicy")
        #expect(target?.message == "Container main for pod default/a failed with exit code 42 matching FailJob rule at index 0")
        #expect(plan.finalStatus(removed: ["uid-a"]).status.condition("Failed")?.reason == "PodFailurePolicy")
    }

    @Test func ignoredFailuresDoNotCount() {
        let policy: JSONValue = ["rules": [["action": "Ignore", "onPodConditions": [["type": "DisruptionTarget", "status": "True"]]]]]
        let evicted = F.pod("a", phase: "Failed", exitCode: 137, conditions: [["type": "DisruptionTarget", "status": "True"]])
        let plan = F.plan(F.job(spec: ["podFailurePolicy": policy, "backoffLimit": 0]), [evicted], now: t0.addingTimeInterval(600))
        #expect(plan.status.condition("FailureTarget") == nil)
        #expect(plan.status.uncountedFailed.isEmpty)
        #expect(plan.finalizerRemovals.map(\.name) == ["a"])
        #expect(plan.creations.count == 1)
    }

    @Test func aPodEvictedByTheTaintManagerIsIgnoredByAPolicyOnceFailedAndCountedWithoutOne() {
        let policy: JSONValue = ["rules": [["action": "Ignore", "onPodConditions": [["type": "DisruptionTarget"]]]]]
        let evicted: [JSONValue] = [["type": "DisruptionTarget", "status": "True", "reason": "DeletionByTaintManager"]]
        let later = t0.addingTimeInterval(600)
        // Still on the dead node: deleted, not yet Failed. With a policy the Job waits for the phase.
        let terminating = F.pod("a", deleting: true, conditions: evicted)
        let waiting = F.plan(F.job(spec: ["podFailurePolicy": policy, "backoffLimit": 0]), [terminating], now: later)
        #expect(waiting.creations.isEmpty && waiting.status.terminating == 1)
        #expect(waiting.status.uncountedFailed.isEmpty && waiting.status.condition("FailureTarget") == nil)
        // The taint eviction controller finished the deletion (phase Failed): ignored, replaced, never counted.
        let failed = F.pod("a", phase: "Failed", deleting: true, conditions: evicted)
        let ignored = F.plan(F.job(spec: ["podFailurePolicy": policy, "backoffLimit": 0]), [failed], now: later)
        #expect(ignored.status.condition("FailureTarget") == nil && ignored.status.uncountedFailed.isEmpty)
        #expect(ignored.finalizerRemovals.map(\.name) == ["a"])
        #expect(ignored.creations.count == 1)
        // Without a policy a deleted pod is a failure at once and is replaced at once (upstream's isPodFailed).
        let counted = F.plan(F.job(spec: ["backoffLimit": 6]), [terminating], now: later)
        #expect(counted.status.uncountedFailed == ["uid-a"])
        #expect(counted.creations.count == 1)
    }

    @Test func successPolicyEndsAnIndexedJobEarly() {
        let job = F.job(spec: ["completionMode": "Indexed", "completions": 3, "parallelism": 3,
                               "successPolicy": ["rules": [["succeededIndexes": "0"]]]])
        let plan = F.plan(job, [F.pod("a", phase: "Succeeded", index: 0, exitCode: 0), F.pod("b", index: 1)])
        #expect(plan.status.condition("SuccessCriteriaMet")?.reason == "SuccessPolicy")
        #expect(plan.status.condition("SuccessCriteriaMet")?.message == "Matched rules at index 0")
        #expect(plan.deletions.map(\.name) == ["b"])
    }

    @Test func unschedulablePodsSetAConditionQuotingTheScheduler() {
        let job = F.job(spec: ["parallelism": 2, "completions": 2])
        let msg = "0/3 nodes are available: 3 Insufficient memory."
        let plan = F.plan(job, [F.pod("a", node: nil, conditions: [F.unschedulable(msg)]), F.pod("b")])
        let c = plan.status.condition("PodsUnschedulable")
        #expect(c?.status == "True" && c?.reason == "Unschedulable")
        #expect(c?.message == "1 of 2 active pods cannot be scheduled: \(msg)")
        // Once scheduled the condition turns False.
        let next = F.plan(F.job(spec: ["parallelism": 2, "completions": 2], status: plan.status.json()), [F.pod("a"), F.pod("b")])
        #expect(next.status.condition("PodsUnschedulable")?.status == "False")
        // Never added as False.
        #expect(F.plan(job, [F.pod("a"), F.pod("b")]).status.condition("PodsUnschedulable") == nil)
    }

    @Test func unsatisfiedExpectationsCreateNothing() {
        #expect(F.plan(F.job(), [], satisfied: false).creations.isEmpty)
    }

    @Test func workQueueJobCompletesWhenOneSucceededAndNoneIsActive() {
        let job = F.job(spec: ["completions": .null, "parallelism": 2])
        let running = F.plan(job, [F.pod("a", phase: "Succeeded", exitCode: 0), F.pod("b")])
        #expect(running.creations.isEmpty && running.finishCondition == nil)
        let done = F.plan(job, [F.pod("a", phase: "Succeeded", exitCode: 0), F.pod("b", phase: "Succeeded", exitCode: 0)])
        #expect(done.finishCondition?.type == "Complete")
    }

    @Test func atMost500CreationsPerSync() {
        #expect(F.plan(F.job(spec: ["parallelism": 600, "completions": 600])).creations.count == 500)
    }

    @Test func finishedJobLosesLeftoverFinalizers() {
        let job = F.job(status: ["conditions": [["type": "Complete", "status": "True"]]])
        let plan = F.plan(job, [F.pod("a", phase: "Succeeded")])
        #expect(plan.skip == .finished && plan.finalizerRemovals.map(\.name) == ["a"])
    }
}
