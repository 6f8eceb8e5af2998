@testable import CLI
import Foundation
import Model
import Testing

@Suite struct PodChangeTests {
    static func pod(node: String? = nil, phase: String = "Pending", containers: [JSONValue] = [], conditions: [JSONValue] = [],
                    reason: String? = nil) -> PodView {
        var pod: JSONValue = ["metadata": ["name": "p"], "spec": ["containers": [["name": "main"]]], "status": ["phase": .string(phase)]]
        if let node { pod.setValue(.string(node), at: ["spec", "nodeName"]) }
        if !containers.isEmpty { pod.setValue(.array(containers), at: ["status", "containerStatuses"]) }
        if !conditions.isEmpty { pod.setValue(.array(conditions), at: ["status", "conditions"]) }
        if let reason { pod.setValue(.string(reason), at: ["status", "reason"]) }
        return PodView(pod)
    }
    static let unschedulable: JSONValue = ["type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                           "message": "0/3 nodes are available: 3 Insufficient memory."]
    static func terminated(_ code: Int, _ reason: String) -> JSONValue {
        ["name": "main", "state": ["terminated": ["exitCode": .int(Int64(code)), "reason": .string(reason)]]]
    }

    @Test(arguments: [
        (nil, pod(), [String]()),
        (pod(), pod(conditions: [unschedulable]), ["pod/p unschedulable: 0/3 nodes are available: 3 Insufficient memory."]),
        (pod(conditions: [unschedulable]), pod(conditions: [unschedulable]), []),
        (pod(), pod(node: "n1"), ["pod/p scheduled to n1"]),
        (pod(node: "n1"), pod(node: "n1", phase: "Running"), ["pod/p running"]),
        (pod(node: "n1", phase: "Running"), pod(node: "n1", phase: "Running",
            containers: [["name": "main", "restartCount": 1, "lastState": ["terminated": ["exitCode": 2]],
                          "state": ["waiting": ["reason": "CrashLoopBackOff"]]]]),
         ["pod/p restarted (1 restart) after exit code 2", "pod/p waiting: CrashLoopBackOff"]),
        (pod(node: "n1"), pod(node: "n1", containers: [["name": "main", "state": ["waiting": ["reason": "ContainerCreating"]]]]), []),
        (pod(node: "n1", phase: "Running"), pod(node: "n1", phase: "Succeeded", containers: [terminated(0, "Completed")]), ["pod/p succeeded"]),
        (pod(node: "n1", phase: "Running"), pod(node: "n1", phase: "Failed", containers: [terminated(137, "OOMKilled")]),
         ["pod/p failed: OOMKilled (exit code 137)"]),
        (pod(node: "n1", phase: "Running"), pod(node: "n1", phase: "Failed", reason: "DeadlineExceeded"), ["pod/p failed: DeadlineExceeded"]),
        (pod(node: "n1", phase: "Running"), nil, ["pod/p deleted before it finished"]),
        (pod(node: "n1", phase: "Succeeded"), nil, []),
    ] as [(PodView?, PodView?, [String])])
    func eachChangeAUserFollowsIsOneLine(old: PodView?, new: PodView?, lines: [String]) {
        #expect(PodChange.lines(old: old, new: new) == lines)
    }
}

@Suite struct JobProgressTests {
    static func progress(completions: Int? = 10, succeeded: Int = 0, failed: Int = 0, active: Int = 0, conditions: [JSONValue] = []) -> JobProgress {
        var spec: JSONValue = ["parallelism": 4]
        if let completions { spec["completions"] = .int(Int64(completions)) }
        return JobProgress(JobView(["metadata": ["name": "sweep"], "spec": spec,
                                    "status": ["succeeded": .int(Int64(succeeded)), "failed": .int(Int64(failed)), "active": .int(Int64(active)),
                                               "startTime": "2026-01-01T00:00:00Z", "conditions": .array(conditions)]]))
    }
    static let t0 = Timestamp.parse("2026-01-01T00:00:00Z")!

    @Test func theBarShowsSucceededFailedAndActiveOutOfCompletions() {
        #expect(Self.progress(succeeded: 5, failed: 1, active: 2).bar(width: 10) == "[█████▓▒▒··]")
        #expect(Self.progress(succeeded: 10).bar(width: 10) == "[██████████]")
        #expect(Self.progress(completions: nil, active: 4).bar(width: 8) == "[▒▒▒▒▒▒▒▒]")   // work queue: out of parallelism
    }

    @Test func theStatusLineEstimatesTimeLeftFromTheRateSoFar() {
        let line = Self.progress(succeeded: 4, active: 4).statusLine(now: Self.t0.addingTimeInterval(20), withBar: false)
        #expect(line == "job/sweep: 4/10 succeeded, 4 active, elapsed 20s, ~30s left")
        let pending = Self.progress(active: 2, conditions: [["type": "PodsUnschedulable", "status": "True", "message": "0/1 nodes are available: 1 Insufficient cpu."]])
        #expect(pending.statusLine(now: Self.t0, withBar: false).hasSuffix("pending: 0/1 nodes are available: 1 Insufficient cpu."))
    }

    @Test func aFailureBeforeTheEndSaysWhenTheReplacementComes() {
        let lines = Self.progress(failed: 2, active: 0).changes(from: Self.progress(failed: 1, active: 1))
        #expect(lines == ["job/sweep: 2 failed (backoff limit 6); a replacement starts after a back-off of ~20s"])
        #expect(Self.progress(failed: 9).changes(from: Self.progress(failed: 8)).first?.hasSuffix("~6m00s") == true)
        let failedJob = Self.progress(failed: 7, conditions: [["type": "Failed", "status": "True"]])
        #expect(failedJob.changes(from: Self.progress(failed: 6)).isEmpty)
    }

    @Test(arguments: [(45.0, "45s"), (192, "3m12s"), (7500, "2h05m")])
    func durationsAreShort(seconds: Double, text: String) {
        #expect(JobProgress.duration(seconds) == text)
    }
}
