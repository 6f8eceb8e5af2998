import Foundation
import Model
import Testing
import TestSupport
@testable import Controllers

/// Jobs with gang semantics (`drover.dev/gang`): the PodGroup, the pods' label, RestartGang.
@Suite struct JobGangTests {
    static let gangAnnotations: JSONValue = [PodGroupSpec.jobGangAnnotation: "true", PodGroupSpec.jobGangFailureAnnotation: "RestartGang"]

    static func gangJob(parallelism: Int = 3) -> JSONValue {
        var job = JobFixtures.job(spec: ["parallelism": .int(Int64(parallelism)), "completions": .int(Int64(parallelism))])
        job.setValue(gangAnnotations, at: ["metadata", "annotations"])
        return job
    }

    @Test func aGangJobCreatesItsPodGroupAndLabelsItsPods() async throws {
        let h = JobControllerTests.Harness()
        await h.start()
        defer { h.stop() }
        let uid = try await h.createJob(Self.gangJob(parallelism: 3))
        _ = try await h.controller.reconcile("default/pi")
        let group = try #require(h.client.object(ResourceCatalog.podGroups, namespace: "default", name: "pi"))
        #expect(group.value(at: ["spec", "minMember"]) == 3)
        #expect(ObjectMetaView(group["metadata"]).controllerReference?.uid == uid)
        let pods = try await h.storedPods()
        #expect(pods.count == 3)
        #expect(pods.allSatisfy { $0.metadata.labels[PodGroupSpec.podGroupLabel] == "pi" })

        // The next sync finds it in the cache: no second create.
        _ = await eventually { h.controller.podGroups.get("default/pi") != nil }
        try await h.settle()
        _ = try await h.controller.reconcile("default/pi")
        #expect(h.count("create", ResourceCatalog.podGroups) == 1)
    }

    @Test func aFailedMemberRestartsTheWholeGangWithoutCountingTheOthers() {
        let job = Self.gangJob(parallelism: 3)
        let pods = [JobFixtures.pod("a", phase: "Failed", exitCode: 1, finishedAt: JobFixtures.t0.addingTimeInterval(10)),
                    JobFixtures.pod("b"), JobFixtures.pod("c")]
        let plan = JobFixtures.plan(job, pods)
        #expect(Set(plan.deletions.map(\.name)) == ["b", "c"])
        #expect(plan.deletions.allSatisfy { $0.reason == .gangRestart && $0.removeFinalizerFirst })
        #expect(plan.status.uncountedFailed == ["uid-a"])
        #expect(plan.events.contains { $0.reason == "GangRestart" })

        // Without RestartGang the failed member is replaced alone.
        var alone = job
        alone.setValue(nil, at: ["metadata", "annotations", PodGroupSpec.jobGangFailureAnnotation])
        #expect(JobFixtures.plan(alone, pods).deletions.isEmpty)

        // Once counted (finalizer gone), the failure restarts nothing more.
        let counted = [JobFixtures.pod("a", phase: "Failed", finalizer: false, exitCode: 1), JobFixtures.pod("d"), JobFixtures.pod("e")]
        #expect(JobFixtures.plan(job, counted).deletions.isEmpty)
    }
}

@Suite struct PodGroupStatusPlanTests {
    static func pod(_ phase: String, bound: Bool = true) -> PodView {
        var object = JobFixtures.pod("p", phase: phase, node: bound ? "n1" : nil)
        object.setValue(.string(phase), at: ["status", "phase"])
        return PodView(object)
    }

    @Test(arguments: [
        ([String](), "Pending"),
        (["Pending", "Pending", "Pending"], "Scheduling"),
        (["Running", "Running", "Pending"], "Scheduling"),
        (["Running", "Running", "Running"], "Running"),
        (["Succeeded", "Running", "Running"], "Running"),
        (["Succeeded", "Succeeded", "Succeeded"], "Finished"),
        (["Failed", "Running", "Running"], "Failed"),
        (["Failed", "Running", "Running", "Pending"], "Scheduling"),
    ] as [([String], String)])
    func phaseFollowsTheMembers(phases: [String], phase: String) {
        let status = PodGroupStatusPlan.status(minMember: 3, pods: phases.map { Self.pod($0) }, existing: nil, now: JobFixtures.t0)
        #expect(status["phase"]?.string == phase)
        #expect(status["running"]?.int == Int64(phases.filter { $0 == "Running" }.count))
    }

    @Test func unboundMembersAreNotScheduled() {
        let status = PodGroupStatusPlan.status(minMember: 2, pods: [Self.pod("Pending", bound: false), Self.pod("Pending")],
                                               existing: ["scheduleStartTime": "2026-01-01T00:00:00Z"], now: JobFixtures.t0)
        #expect(status["phase"] == "Pending")
        #expect(status["scheduled"] == 1)
        #expect(status["scheduleStartTime"] == "2026-01-01T00:00:00Z")
    }
}
