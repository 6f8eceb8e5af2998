import Foundation
import Model
import Testing
@testable import Controllers

@Suite struct JobIndexIntervalsTests {
    @Test(arguments: [
        ("", 10, ""),
        ("1,3-5", 10, "1,3-5"),
        ("3-5,1", 10, "1,3-5"),          // sorted on read
        ("1,2", 10, "1,2"),              // two adjacent stay "a,b"
        ("1,2,3", 10, "1-3"),            // three adjacent merge
        ("0-2,3-4", 10, "0-4"),          // touching intervals merge
        ("1-8", 5, "1-4"),               // end clamped to completions-1
        ("1,7,9", 5, "1"),               // parsing stops at the first index >= completions
        ("x,2,4-y,6", 10, "2,6"),        // corrupt intervals skipped
    ])
    func parsesAndFormats(text: String, completions: Int, expected: String) {
        #expect(IndexIntervals(parsing: text, completions: completions).description == expected)
    }

    @Test func unionCountAndMembership() {
        let a = IndexIntervals(parsing: "0,4-6", completions: 100)
        let b = IndexIntervals([1, 7, 9])
        let u = a.union(b)
        #expect(u.description == "0,1,4-7,9")
        #expect(u.count == 7)                         // 2 + 4 + 1
        #expect(u.contains(5) && u.contains(9) && !u.contains(8) && !u.contains(2))
        #expect(a.overlapCount(with: IndexIntervals(parsing: "5-9", completions: 100)) == 2)   // 5,6
    }

    @Test func firstMissingSkipsTakenIndexes() {
        let taken = IndexIntervals(parsing: "0,2-3,6", completions: 10)
        #expect(taken.firstMissing(3, below: 10) == [1, 4, 5])
        #expect(taken.firstMissing(10, below: 8) == [1, 4, 5, 7])   // bounded by completions
        #expect(IndexIntervals().firstMissing(2, below: 5) == [0, 1])
    }
}

@Suite struct JobBackoffTests {
    @Test(arguments: [
        (0, 0.0), (1, 10.0), (2, 20.0), (3, 40.0), (4, 80.0), (5, 160.0), (6, 320.0),
        (7, 360.0),   // 640 capped at 6 minutes
        (30, 360.0),
    ])
    func delayDoublesUpToSixMinutes(failures: Int, seconds: Double) {
        #expect(JobBackoff.delay(failures: failures) == seconds)
    }

    @Test func remainingCountsFromTheLastFailure() {
        let t = JobFixtures.t0
        #expect(JobBackoff.remaining(failures: 2, lastFailure: t, now: t.addingTimeInterval(5)) == 15)    // 20 - 5
        #expect(JobBackoff.remaining(failures: 2, lastFailure: t, now: t.addingTimeInterval(25)) == 0)
        #expect(JobBackoff.remaining(failures: 0, lastFailure: t, now: t) == 0)
    }

    @Test func aSuccessResetsTheFailureCount() {
        let t = JobFixtures.t0
        let f1 = PodView(JobFixtures.pod("f1", phase: "Failed", exitCode: 1, finishedAt: t))
        let s = PodView(JobFixtures.pod("s", phase: "Succeeded", exitCode: 0, finishedAt: t.addingTimeInterval(10)))
        let f2 = PodView(JobFixtures.pod("f2", phase: "Failed", exitCode: 1, finishedAt: t.addingTimeInterval(20)))
        let f3 = PodView(JobFixtures.pod("f3", phase: "Failed", exitCode: 1, finishedAt: t.addingTimeInterval(30)))
        let recent = JobBackoff.recentFailures(failed: [f1, f2, f3], succeeded: [s])
        #expect(recent.count == 2)                               // f2, f3 after the success
        #expect(recent.last == t.addingTimeInterval(30))
        #expect(JobBackoff.recentFailures(failed: [f1, f2], succeeded: []).count == 2)
    }
}

@Suite struct JobPodFailurePolicyTests {
    typealias P = PodFailurePolicy
    static let failed = PodView(JobFixtures.pod("p", phase: "Failed", exitCode: 42))
    static let disrupted = PodView(JobFixtures.pod("p", phase: "Failed", exitCode: 137,
                                                   conditions: [["type": "DisruptionTarget", "status": "True"]]))

    @Test func exitCodeInFailsTheJobWithUpstreamsMessage() {
        let policy = P(rules: [P.Rule(action: .failJob, onExitCodes: P.ExitCodes(operator: "In", values: [42]))])
        let match = PodFailurePolicyMatch.evaluate(policy, pod: Self.failed)
        #expect(match.action == .failJob)
        #expect(match.failJobMessage == "Container main for pod default/p failed with exit code 42 matching FailJob rule at index 0")
    }

    @Test(arguments: [
        // (rules, expected action, counts)
        ([P.Rule(action: .ignore, onExitCodes: P.ExitCodes(operator: "NotIn", values: [1, 2]))], P.Action.ignore, false),   // 42 ∉ {1,2}
        ([P.Rule(action: .ignore, onExitCodes: P.ExitCodes(operator: "In", values: [1]))], nil, true),                    // no match → default
        ([P.Rule(action: .count, onExitCodes: P.ExitCodes(containerName: "other", operator: "In", values: [42]))], nil, true), // other container
        ([P.Rule(action: nil, onExitCodes: P.ExitCodes(operator: "In", values: [42])),                                     // unknown action skipped
          P.Rule(action: .failIndex, onExitCodes: P.ExitCodes(operator: "In", values: [42]))], .failIndex, true),
        ([P.Rule(action: .count, onExitCodes: P.ExitCodes(operator: "In", values: [42])),                                  // first match wins
          P.Rule(action: .ignore, onExitCodes: P.ExitCodes(operator: "In", values: [42]))], .count, true),
    ])
    func rulesInOrderFirstMatchWins(rules: [P.Rule], action: P.Action?, counts: Bool) {
        let match = PodFailurePolicyMatch.evaluate(P(rules: rules), pod: Self.failed)
        #expect(match.action == action)
        #expect(match.countsTowardsBackoff == counts)
    }

    @Test func disruptionTargetConditionIsIgnored() {
        let policy = P(rules: [P.Rule(action: .ignore, onPodConditions: [P.ConditionPattern(type: "DisruptionTarget")])])
        #expect(PodFailurePolicyMatch.evaluate(policy, pod: Self.disrupted).action == .ignore)
        #expect(PodFailurePolicyMatch.evaluate(policy, pod: Self.failed).action == nil)
        let failJob = P(rules: [P.Rule(action: .failJob, onPodConditions: [P.ConditionPattern(type: "DisruptionTarget")])])
        #expect(PodFailurePolicyMatch.evaluate(failJob, pod: Self.disrupted).failJobMessage
                == "Pod default/p has condition DisruptionTarget matching FailJob rule at index 0")
    }

    @Test func exitCodeZeroNeverMatches() {
        let pod = PodView(JobFixtures.pod("p", phase: "Failed", exitCode: 0))
        let policy = P(rules: [P.Rule(action: .failJob, onExitCodes: P.ExitCodes(operator: "NotIn", values: [1]))])
        #expect(PodFailurePolicyMatch.evaluate(policy, pod: pod) == .noMatch)
    }
}

@Suite struct JobSuccessPolicyTests {
    typealias R = SuccessPolicy.Rule
    @Test(arguments: [
        ([R(succeededIndexes: "0-2")], "0-2,5", "Matched rules at index 0"),        // all of 0,1,2
        ([R(succeededIndexes: "0-3")], "0-2,5", nil),                              // 3 missing
        ([R(succeededIndexes: "0-3", succeededCount: 2)], "1,3", "Matched rules at index 0"),  // 2 of them
        ([R(succeededCount: 5), R(succeededCount: 3)], "0,4,7", "Matched rules at index 1"),   // 3 >= 3
        ([R(succeededIndexes: "8-9")], "0-9", "Matched rules at index 0"),
        ([R(succeededCount: 1)], "", nil),                                         // nothing succeeded
    ] as [([R], String, String?)])
    func firstRuleThatHolds(rules: [R], succeeded: String, expected: String?) {
        let message = SuccessPolicyMatch.evaluate(SuccessPolicy(rules: rules), completions: 10,
                                                  succeeded: IndexIntervals(parsing: succeeded, completions: 10))
        #expect(message == expected)
    }
}

@Suite struct JobPodTemplateTests {
    @Test func generateNames() {
        #expect(JobPodTemplate.generateName(job: "pi", index: nil) == "pi-")
        #expect(JobPodTemplate.generateName(job: "pi", index: 3) == "pi-3-")
        let long = String(repeating: "a", count: 70)
        #expect(JobPodTemplate.generateName(job: long, index: 12) == String(repeating: "a", count: 54) + "-12-")  // 58 chars
    }

    @Test func indexedPodCarriesIndexLabelsEnvHostnameOwnerAndFinalizer() {
        let job = JobView(JobFixtures.job(spec: ["completionMode": "Indexed", "completions": 3]))
        let pod = PodView(JobPodTemplate.pod(for: job, index: 2))
        #expect(pod.metadata.generateName == "pi-2-")
        #expect(pod.labels[JobView.completionIndexKey] == "2")
        #expect(pod.annotations[JobView.completionIndexKey] == "2")
        #expect(pod.completionIndex == 2)
        #expect(pod.labels["job-name"] == "pi" && pod.labels["batch.kubernetes.io/controller-uid"] == "job-uid")
        #expect(pod.finalizers == [JobView.trackingFinalizer])
        let owner = pod.ownerReferences.first
        #expect(owner?.apiVersion == "batch/v1" && owner?.kind == "Job" && owner?.uid == "job-uid")
        #expect(owner?.controller == true && owner?.blockOwnerDeletion == true)
        #expect(pod.object["spec"]?["hostname"]?.string == "pi-2")
        let env = pod.object["spec"]?["containers"]?[0]?["env"]?[0]
        #expect(env?["name"]?.string == "JOB_COMPLETION_INDEX")
        #expect(env?.value(at: ["valueFrom", "fieldRef", "fieldPath"])?.string == "metadata.labels['batch.kubernetes.io/job-completion-index']")
    }

    @Test func nonIndexedPodHasNoIndex() {
        let pod = PodView(JobPodTemplate.pod(for: JobView(JobFixtures.job()), index: nil))
        #expect(pod.metadata.generateName == "pi-")
        #expect(pod.completionIndex == nil)
        #expect(pod.object["spec"]?["hostname"] == nil)
        #expect(pod.object["spec"]?["containers"]?[0]?["env"] == nil)
    }
}
