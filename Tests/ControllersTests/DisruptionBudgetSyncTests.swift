import Foundation
import Model
import Testing
@testable import Controllers

/// The disruption controller's arithmetic (upstream's pkg/controller/disruption), as tables.
@Suite struct DisruptionBudgetSyncTests {
    typealias Sync = DisruptionBudgetSync
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func budget(_ spec: JSONValue, generation: Int64 = 1, status: JSONValue? = nil) -> PodDisruptionBudgetView {
        var spec = spec
        spec["selector"] = ["matchLabels": ["app": "web"]]
        var object: JSONValue = ["metadata": ["name": "web", "namespace": "default", "generation": .int(generation)], "spec": spec]
        if let status { object["status"] = status }
        return PodDisruptionBudgetView(object)
    }

    /// A pod controlled by `kind`/`owner` (nil: no controller).
    static func pod(_ name: String, ready: Bool = true, deleting: Bool = false, kind: String = "ReplicaSet", owner: String? = "rs-uid",
                    apiVersion: String = "apps/v1") -> PodView {
        var metadata: JSONValue = ["name": .string(name), "namespace": "default", "labels": ["app": "web"]]
        if let owner {
            metadata["ownerReferences"] = [OwnerReference.controlling(apiVersion: apiVersion, kind: kind, name: "web", uid: owner).json]
        }
        if deleting { metadata["deletionTimestamp"] = .string(Timestamp.format(t0)) }
        return PodView(["metadata": metadata,
                        "status": ["phase": "Running", "conditions": [["type": "Ready", "status": .string(ready ? "True" : "False")]]]])
    }

    static func pods(_ count: Int) -> [PodView] { (0..<count).map { pod("web-\($0)") } }

    /// The ReplicaSet `rs-uid` of the Deployment `d-uid` (`replicas` each) as the finders see them.
    static func scale(replicas: Int) -> (OwnerReference) -> Sync.ControllerScale {
        let deployment = DeploymentView(["metadata": ["name": "web", "uid": "d-uid"], "spec": ["replicas": .int(Int64(replicas))]])
        let rs = ReplicaSetView(["metadata": ["name": "web", "uid": "rs-uid", "ownerReferences":
                                    [OwnerReference.controlling(apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "d-uid").json]],
                                 "spec": ["replicas": .int(Int64(replicas))]])
        return { Sync.scale(of: $0, namespace: "default", replicaSet: { $0 == "web" ? rs : nil }, deployment: { $0 == "web" ? deployment : nil }) }
    }

    @Test(arguments: [
        // An integer minAvailable expects the pods there are: 3 pods, 2 must stay.
        (["minAvailable": 2] as JSONValue, 3, 5, 3, 2),
        // A percentage takes the Deployment's replicas: ⌈50% × 3⌉ = 2.
        (["minAvailable": "50%"], 3, 3, 3, 2),
        (["minAvailable": "100%"], 2, 3, 3, 3),
        // maxUnavailable rounds up as well (upstream passes roundUp=true): ⌈34% × 3⌉ = 2 → 3 − 2 = 1.
        (["maxUnavailable": "34%"], 3, 3, 3, 1),
        (["maxUnavailable": "10%"], 5, 5, 5, 4),     // ⌈0.5⌉ = 1
        (["maxUnavailable": 1], 2, 5, 5, 4),         // the controller's replicas, not the pods found
        (["maxUnavailable": 7], 3, 3, 3, 0),         // never below zero
        ([:], 3, 3, 0, 0),                           // neither set: nothing expected
    ] as [(JSONValue, Int, Int, Int, Int)])
    func expectedPodsAndDesiredHealthy(spec: JSONValue, pods: Int, replicas: Int, expected: Int, desired: Int) throws {
        let result = try Sync.expectation(Self.budget(spec), pods: Self.pods(pods), scale: Self.scale(replicas: replicas))
        #expect(result.expectedCount == expected && result.desiredHealthy == desired)
    }

    @Test(arguments: [
        (pod("a", kind: "Job", owner: "job-uid", apiVersion: "batch/v1"), "jobs.batch does not implement the scale subresource"),
        (pod("a", kind: "StatefulSet", owner: "ss-uid"), #"no matches for kind "StatefulSet" in version "apps/v1""#),
        (pod("a", owner: "another-rs"), #"found no controllers for pod "a""#),
    ])
    func aPercentageOverPodsWithoutAScalableControllerFails(pod: PodView, message: String) {
        #expect(throws: Sync.Failure(message: message)) {
            try Sync.expectation(Self.budget(["maxUnavailable": "50%"]), pods: [pod], scale: Self.scale(replicas: 3))
        }
        // An integer minAvailable needs no controller.
        #expect((try? Sync.expectation(Self.budget(["minAvailable": 1]), pods: [pod], scale: Self.scale(replicas: 3)))?.expectedCount == 1)
    }

    @Test func podsWithoutAControllerAreReportedAndLeftOutOfThePercentage() throws {
        let result = try Sync.expectation(Self.budget(["minAvailable": "50%"]), pods: Self.pods(2) + [Self.pod("stray", owner: nil)],
                                          scale: Self.scale(replicas: 2))
        #expect(result == Sync.Expectation(expectedCount: 2, desiredHealthy: 1, unmanagedPods: ["stray"]))
        let plan = Sync.plan(Self.budget(["minAvailable": "50%"]), pods: [Self.pod("stray", owner: nil)], scale: Self.scale(replicas: 2), now: Self.t0)
        #expect(plan.events.map(\.reason) == ["UnmanagedPods"])
    }

    @Test func aReplicaSetWithoutItsDeploymentCountsItsOwnReplicas() {
        let rs = ReplicaSetView(["metadata": ["name": "web", "uid": "rs-uid"], "spec": ["replicas": 4]])
        let reference = OwnerReference.controlling(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: "rs-uid")
        #expect(Sync.scale(of: reference, namespace: "default", replicaSet: { _ in rs }, deployment: { _ in nil }) == .scale(uid: "rs-uid", replicas: 4))
    }

    @Test func onlyReadyPodsNotLeavingAndNotApprovedForEvictionAreHealthy() {
        let pods = [Self.pod("ready"), Self.pod("unready", ready: false), Self.pod("leaving", deleting: true),
                    Self.pod("approved"), Self.pod("approved-long-ago")]
        let disrupted = ["approved": Self.t0.addingTimeInterval(-60), "approved-long-ago": Self.t0.addingTimeInterval(-121)]
        #expect(Sync.currentHealthy(pods, disrupted: disrupted, now: Self.t0) == 2)   // ready, approved-long-ago
    }

    @Test func approvedEvictionsStayUntilTheirPodLeavesOrTheTimeoutPasses() {
        let status: JSONValue = ["disruptedPods": ["waiting": .string(Timestamp.format(Self.t0.addingTimeInterval(-30))),
                                                   "stale": .string(Timestamp.format(Self.t0.addingTimeInterval(-150))),
                                                   "leaving": .string(Timestamp.format(Self.t0.addingTimeInterval(-10))),
                                                   "gone": .string(Timestamp.format(Self.t0.addingTimeInterval(-10)))]]
        let pdb = Self.budget(["minAvailable": 1], status: status)
        let pending = Sync.pendingDisruptions(pdb, pods: [Self.pod("waiting"), Self.pod("stale"), Self.pod("leaving", deleting: true)], now: Self.t0)
        #expect(pending.kept == ["waiting": Self.t0.addingTimeInterval(-30)])
        #expect(pending.recheckAt == Self.t0.addingTimeInterval(90))
        #expect(pending.events.map(\.reason) == ["NotDeleted"] && pending.events.first?.pod?.name == "stale")
    }

    @Test(arguments: [
        // (minAvailable, ready pods, pods) → disruptionsAllowed
        (2, 3, 3, 1), (2, 2, 3, 0), (3, 2, 3, 0), (0, 3, 3, 3),
    ])
    func disruptionsAllowedIsHealthyMinusDesired(minAvailable: Int, ready: Int, total: Int, allowed: Int) {
        let pods = (0..<total).map { Self.pod("p\($0)", ready: $0 < ready) }
        let plan = Sync.plan(Self.budget(["minAvailable": .int(Int64(minAvailable))]), pods: pods, scale: Self.scale(replicas: total), now: Self.t0)
        #expect(plan.status["disruptionsAllowed"]?.int == Int64(allowed))
        #expect(plan.status["currentHealthy"]?.int == Int64(ready) && plan.status["desiredHealthy"]?.int == Int64(minAvailable))
        let condition = plan.status["conditions"]?[0]
        #expect(condition?["reason"]?.string == (allowed > 0 ? "SufficientPods" : "InsufficientPods"))
        #expect(plan.status["observedGeneration"] == 1 && plan.failure == nil)
    }

    @Test func aBudgetWithNoPodsAllowsNothingAndSaysSo() {
        let plan = Sync.plan(Self.budget(["maxUnavailable": 1]), pods: [], scale: Self.scale(replicas: 3), now: Self.t0)
        #expect(plan.status["disruptionsAllowed"] == 0 && plan.status["expectedPods"] == 0)
        #expect(plan.events.map(\.reason) == ["NoPods"])
    }

    @Test func anUnchangedStatusIsReturnedAsStored() {
        let first = Sync.plan(Self.budget(["minAvailable": 2]), pods: Self.pods(3), scale: Self.scale(replicas: 3), now: Self.t0)
        let again = Sync.plan(Self.budget(["minAvailable": 2], status: first.status), pods: Self.pods(3), scale: Self.scale(replicas: 3),
                              now: Self.t0.addingTimeInterval(600))
        #expect(again.status == first.status)
        // A new generation is observed even when the numbers stay.
        let changed = Sync.plan(Self.budget(["minAvailable": 2], generation: 2, status: first.status), pods: Self.pods(3),
                                scale: Self.scale(replicas: 3), now: Self.t0)
        #expect(changed.status["observedGeneration"] == 2)
    }

    @Test func aFailedSyncAllowsNoDisruptionAndSaysWhy() {
        let status: JSONValue = ["observedGeneration": 1, "disruptionsAllowed": 2, "currentHealthy": 3, "desiredHealthy": 1, "expectedPods": 3]
        let plan = Sync.plan(Self.budget(["minAvailable": "50%"], status: status),
                             pods: [Self.pod("a", kind: "Job", owner: "job-uid", apiVersion: "batch/v1")], scale: Self.scale(replicas: 3), now: Self.t0)
        #expect(plan.failure?.message == "jobs.batch does not implement the scale subresource")
        #expect(plan.status["disruptionsAllowed"] == 0 && plan.status["currentHealthy"] == 3)
        #expect(plan.status["conditions"] == [["type": "DisruptionAllowed", "status": "False", "observedGeneration": 1,
                                               "lastTransitionTime": .string(Timestamp.format(Self.t0)), "reason": "SyncFailed",
                                               "message": "jobs.batch does not implement the scale subresource"]])
        #expect(plan.events.map(\.reason) == ["CalculateExpectedPodCountFailed"])
    }
}
