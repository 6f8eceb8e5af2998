import Foundation
import Model
import Testing
@testable import Controllers

/// Jobs with dependency annotations, as the API server stores them.
enum DependencyJobs {
    static let now = JobFixtures.t0.addingTimeInterval(60)

    enum State { case held, userSuspended, running, complete, failed }

    static func job(_ name: String, _ state: State = .running, dependsOn: String? = nil, satisfied: String? = nil,
                    generateName: String? = nil, conditions: [JSONValue] = [], startTime: Bool? = nil) -> JSONValue {
        var status: JSONValue = [:]
        switch state {
        case .running: status = ["active": 1, "startTime": .string(Timestamp.format(JobFixtures.t0))]
        case .complete: status = ["succeeded": 1, "conditions": [["type": "Complete", "status": "True"]]]
        case .failed: status = ["failed": 1, "conditions": [["type": "Failed", "status": "True"]]]
        case .held, .userSuspended: break
        }
        if startTime == true { status["startTime"] = .string(Timestamp.format(JobFixtures.t0)) }
        if !conditions.isEmpty { status["conditions"] = .array((status["conditions"]?.array ?? []) + conditions) }
        let suspended = state == .held || state == .userSuspended
        var job = JobFixtures.job(name, uid: "uid-\(name)", spec: ["suspend": .bool(suspended)], status: status)
        var annotations: [String: String] = [:]
        if let dependsOn { annotations[JobDependencies.annotation] = dependsOn }
        if state == .held { annotations[JobDependencies.heldAnnotation] = "true" }
        if let satisfied { annotations[JobDependencies.satisfiedAnnotation] = satisfied }
        if !annotations.isEmpty { job.setValue(.stringMap(annotations), at: ["metadata", "annotations"]) }
        if let generateName { job.setValue(.string(generateName), at: ["metadata", "generateName"]) }
        return job
    }

    static func plan(_ job: JSONValue, _ upstream: [JSONValue] = [], group: [JSONValue] = []) -> DependencyPlan {
        let byName = Dictionary(uniqueKeysWithValues: upstream.map { (JobView($0).name, JobView($0)) })
        return DependencySync.plan(DependencySyncInput(job: JobView(job), upstream: byName, group: group.map(JobView.init), now: now))
    }

    static func condition(_ plan: DependencyPlan, _ type: String = JobDependencies.condition) -> String? {
        plan.status.condition(type).map { "\($0.status) \($0.reason) \($0.message)" }
    }
}

@Suite struct DependencySyncTests {
    typealias D = DependencyJobs

    @Test func aHeldJobSaysWhatItWaitsFor() {
        let plan = D.plan(D.job("b", .held, dependsOn: "afterok:a"), [D.job("a", .running)])
        #expect(D.condition(plan) == "False WaitingForDependencies waiting for afterok:a (Running)")
        #expect(!plan.changesJob)
    }

    @Test func itIsReleasedWhenEveryRequirementHolds() {
        let plan = D.plan(D.job("c", .held, dependsOn: "afterok:a,afterany:b"), [D.job("a", .complete), D.job("b", .failed)])
        #expect(D.condition(plan) == "True DependenciesSatisfied afterok:a (Complete), afterany:b (Failed)")
        #expect(plan.release && plan.record == nil)
        #expect(plan.patch == [
            ["op": "test", "path": "/metadata/uid", "value": "uid-c"],
            ["op": "test", "path": "/metadata/annotations/drover.dev~1depends-on", "value": "afterok:a,afterany:b"],
            ["op": "test", "path": "/spec/suspend", "value": true],
            ["op": "replace", "path": "/spec/suspend", "value": false],
            ["op": "test", "path": "/metadata/annotations/drover.dev~1held-by-dependencies", "value": "true"],
            ["op": "remove", "path": "/metadata/annotations/drover.dev~1held-by-dependencies"],
        ])
    }

    @Test func aJobThatCanNeverStartIsMarkedToFail() {
        let plan = D.plan(D.job("b", .held, dependsOn: "afterok:a"), [D.job("a", .failed)])
        let message = "afterok:a can never be satisfied: a failed"
        #expect(D.condition(plan) == "False DependencyNeverSatisfied \(message)")
        #expect(D.condition(plan, JobCondition.failureTarget) == "True DependencyNeverSatisfied \(message)")
        #expect(!plan.changesJob, "the Job controller finishes it; it stays suspended")
    }

    @Test func aDeletedDependencyFailsAfterokButSatisfiesAfterany() {
        #expect(D.condition(D.plan(D.job("b", .held, dependsOn: "afterok:a")), JobCondition.failureTarget)
                == "True DependencyNeverSatisfied afterok:a can never be satisfied: a was deleted before it completed")
        #expect(D.plan(D.job("b", .held, dependsOn: "afterany:a")).release)
    }

    @Test func partialProgressIsRecordedSoAGoneJobStillCounts() {
        let waiting = D.plan(D.job("c", .held, dependsOn: "afterok:a1,afterok:a2"), [D.job("a1", .complete), D.job("a2", .running)])
        #expect(waiting.record == ["afterok:a1"])
        #expect(waiting.patch == [
            ["op": "test", "path": "/metadata/uid", "value": "uid-c"],
            ["op": "test", "path": "/metadata/annotations/drover.dev~1depends-on", "value": "afterok:a1,afterok:a2"],
            ["op": "add", "path": "/metadata/annotations/drover.dev~1dependencies-satisfied", "value": "afterok:a1"],
        ])
        // a1 deleted (by its TTL) afterwards: the record keeps it satisfied.
        let later = D.plan(D.job("c", .held, dependsOn: "afterok:a1,afterok:a2", satisfied: "afterok:a1"), [D.job("a2", .complete)])
        #expect(later.release)
        // Nothing new: no write of the record.
        let same = D.plan(D.job("c", .held, dependsOn: "afterok:a1,afterok:a2", satisfied: "afterok:a1"),
                          [D.job("a1", .complete), D.job("a2", .running)])
        #expect(same.record == nil)
    }

    @Test func aJobItsUserSuspendedIsNeverUnsuspended() {
        let plan = D.plan(D.job("b", .userSuspended, dependsOn: "afterok:a"), [D.job("a", .complete)])
        #expect(D.condition(plan) == "True DependenciesSatisfied afterok:a (Complete)")
        #expect(!plan.release)
        #expect(plan.record == ["afterok:a"], "it may be resumed long after a is gone")
    }

    @Test func aJobResumedByItsUserBeforeItsDependenciesSaysSo() {
        let waiting: JSONValue = ["type": "DependenciesSatisfied", "status": "False", "reason": "WaitingForDependencies",
                                  "message": "waiting for afterok:a (Running)"]
        var job = D.job("b", .running, dependsOn: "afterok:a", conditions: [waiting])
        job.setValue("true", at: ["metadata", "annotations", JobDependencies.heldAnnotation])
        let plan = D.plan(job, [D.job("a", .running)])
        #expect(plan.dropHold && !plan.release)
        #expect(D.condition(plan) == "False ResumedBeforeDependencies resumed before its dependencies were satisfied (waiting for afterok:a (Running))")
        #expect(plan.patch == [
            ["op": "test", "path": "/metadata/uid", "value": "uid-b"],
            ["op": "test", "path": "/metadata/annotations/drover.dev~1held-by-dependencies", "value": "true"],
            ["op": "remove", "path": "/metadata/annotations/drover.dev~1held-by-dependencies"],
        ])
    }

    @Test func removingTheAnnotationOfAHeldJobReleasesIt() {
        let plan = D.plan(D.job("b", .held))
        #expect(plan.release)
        #expect(D.condition(plan) == "True DependenciesSatisfied no dependencies")
    }

    @Test(arguments: [
        D.job("b", .complete, dependsOn: "afterok:a"),
        D.job("b", .userSuspended, dependsOn: "afterok:a", startTime: true),
        D.job("b", .running, dependsOn: "afterok:a"),
    ])
    func finishedStartedOrRunningJobsAreLeftAlone(job: JSONValue) {
        let plan = D.plan(job, [D.job("a", .failed)])
        #expect(plan.status == JobView(job).status)
        #expect(!plan.changesJob)
    }

    @Test func anExistingFailureTargetIsNotAddedTwice() {
        let target: JSONValue = ["type": "FailureTarget", "status": "True", "reason": "DependencyNeverSatisfied",
                                 "message": "afterok:a can never be satisfied: a failed"]
        let plan = D.plan(D.job("b", .held, dependsOn: "afterok:a", conditions: [target]), [D.job("a", .failed)])
        #expect(plan.status.conditions.filter { $0.type == JobCondition.failureTarget }.count == 1)
    }

    @Test func anAnnotationThatDoesNotParseKeepsTheJobHeldAndSaysWhy() {
        let plan = D.plan(D.job("b", .held, dependsOn: "afterwards:a"))
        #expect(D.condition(plan)?.hasPrefix("False InvalidDependencies unknown dependency type") == true)
        #expect(!plan.release)
    }

    @Test func fanInWaitsForAllAndFanOutReleasesEach() {
        let upstream = [D.job("a1", .complete), D.job("a2", .complete)]
        #expect(D.plan(D.job("join", .held, dependsOn: "afterok:a1:a2"), upstream).release)
        for name in ["left", "right"] {
            #expect(D.plan(D.job(name, .held, dependsOn: "afterok:a1"), upstream).release)
        }
    }

    @Test func singletonWaitsForTheEarlierJobOfItsGroup() {
        var first = D.job("s-aaaaa", .running, generateName: "s-")
        first.setValue(.string(Timestamp.format(JobFixtures.t0.addingTimeInterval(-5))), at: ["metadata", "creationTimestamp"])
        let me = D.job("s-bbbbb", .held, dependsOn: "singleton", generateName: "s-")
        #expect(D.condition(D.plan(me, group: [first, me])) == "False WaitingForDependencies waiting for singleton (s-aaaaa Running)")
        first["status"] = ["succeeded": 1, "conditions": [["type": "Complete", "status": "True"]]]
        #expect(D.plan(me, group: [first, me]).release)
    }
}
