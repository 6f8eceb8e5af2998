import Foundation
import Model
import Testing
@testable import Controllers

/// The ReplicaSet controller's pure decisions: victims, create/delete counts, status.
@Suite struct ReplicaSetSyncTests {
    typealias F = ReplicaSetFixtures
    let now = ReplicaSetFixtures.t0.addingTimeInterval(3600)

    /// Each row: two pods; the first must be deleted before the second.
    @Test(arguments: [
        ("unscheduled before scheduled", F.pod("a", node: nil, ready: false), F.pod("b", ready: false), 1, 1),
        ("pending before running", F.pod("a", phase: "Pending", ready: false), F.pod("b", phase: "Running", ready: false), 1, 1),
        ("unknown before running", F.pod("a", phase: "Unknown"), F.pod("b"), 1, 1),
        ("not ready before ready", F.pod("a", ready: false), F.pod("b"), 1, 1),
        ("lower deletion cost first", F.pod("b", annotations: [ScaleDownVictims.deletionCostAnnotation: "-5"]), F.pod("a"), 1, 1),
        ("crowded node first", F.pod("b", node: "n2"), F.pod("a", node: "n1"), 3, 1),
        // ready 10 s (bucket 4) versus ready 3600 s (bucket 12): the shorter goes first
        ("ready for less time first", F.pod("b", readySince: F.t0.addingTimeInterval(3590)), F.pod("a"), 1, 1),
        ("more restarts first", F.pod("b", restarts: 3), F.pod("a", restarts: 1), 1, 1),
        // created 100 s ago (bucket 7) versus 3600 s ago (bucket 12)
        ("newer first", F.pod("b", created: F.t0.addingTimeInterval(3500)), F.pod("a"), 1, 1),
        // 40 s and 50 s old are both in bucket 6 (32–64 s): the name decides
        ("same age bucket falls back to the name", F.pod("a", created: F.t0.addingTimeInterval(3560)),
         F.pod("b", created: F.t0.addingTimeInterval(3550)), 1, 1),
    ] as [(String, JSONValue, JSONValue, Int, Int)])
    func victimOrder(_ label: String, _ first: JSONValue, _ second: JSONValue, _ rankFirst: Int, _ rankSecond: Int) {
        let a = PodView(first), b = PodView(second)
        #expect(ScaleDownVictims.deletesBefore(a, rank: rankFirst, b, rank: rankSecond, now: now), "\(label)")
        #expect(!ScaleDownVictims.deletesBefore(b, rank: rankSecond, a, rank: rankFirst, now: now), "\(label)")
    }

    @Test func victimsSpreadAcrossNodesByRank() {
        // n1 holds 3 related pods, n2 one: scaling 4 → 2 takes two from n1.
        let pods = [F.pod("a", node: "n1"), F.pod("b", node: "n1"), F.pod("c", node: "n1"), F.pod("d", node: "n2")].map(PodView.init)
        let victims = ScaleDownVictims.choose(2, from: pods, related: pods, now: now)
        #expect(victims.map(\.nodeName) == ["n1", "n1"])
    }

    @Test(arguments: [
        (3, 0, true, 3, 0), (3, 1, true, 2, 0), (3, 3, true, 0, 0), (1, 3, true, 0, 2),
        (3, 0, false, 0, 0),      // expectations pending: nothing
        (1000, 0, true, 500, 0),  // burstReplicas caps one sync
    ])
    func createAndDeleteCounts(replicas: Int, existing: Int, satisfied: Bool, create: Int, delete: Int) {
        let pods = (0..<existing).map { PodView(F.pod("p\($0)")) }
        let plan = ReplicaSetSync.plan(ReplicaSetView(F.replicaSet(replicas: replicas)), pods: pods, related: pods,
                                       expectationsSatisfied: satisfied, now: now)
        #expect(plan.create == create)
        #expect(plan.delete.count == delete)
    }

    @Test func statusCountsLabelsReadinessAndAvailability() {
        // minReadySeconds 30: ready 60 s ago is available, ready 10 s ago is not yet.
        let rs = ReplicaSetView(F.replicaSet(minReadySeconds: 30, generation: 4))
        let pods = [F.pod("a", readySince: now.addingTimeInterval(-60)), F.pod("b", readySince: now.addingTimeInterval(-10)),
                    F.pod("c", ready: false, labels: ["app": "web"])].map(PodView.init)
        let status = ReplicaSetSync.status(rs, pods: pods, failure: nil, now: now)
        #expect(status["replicas"] == 3)
        #expect(status["fullyLabeledReplicas"] == 2)
        #expect(status["readyReplicas"] == 2)
        #expect(status["availableReplicas"] == 1)
        #expect(status["observedGeneration"] == 4)
        #expect(status["conditions"] == nil)
        let wait = PodAvailability.nextAvailability(pods, minReadySeconds: 30, now: now)
        #expect(wait.map { abs($0 - 20.001) < 0.0001 } == true)
    }

    @Test func replicaFailureIsAddedOnceAndRemovedAfterACleanSync() {
        let failure = ReplicaSetSync.Failure(reason: "FailedCreate", message: "pods \"web-\" is forbidden: exceeded quota")
        let failed = ReplicaSetSync.status(ReplicaSetView(F.replicaSet()), pods: [], failure: failure, now: now)
        let condition = failed["conditions"]?.array?.first
        #expect(condition?["type"] == "ReplicaFailure")
        #expect(condition?["reason"] == "FailedCreate")
        #expect(condition?["status"] == "True")
        let again = ReplicaSetSync.status(ReplicaSetView(F.replicaSet(status: failed)), pods: [],
                                          failure: failure, now: now.addingTimeInterval(5))
        #expect(again == failed)
        let cleared = ReplicaSetSync.status(ReplicaSetView(F.replicaSet(status: failed)), pods: [], failure: nil, now: now)
        #expect(cleared["conditions"] == nil)
    }

    @Test func podFromTemplateCarriesLabelsGenerateNameAndControllerReference() {
        let pod = ReplicaSetSync.pod(from: ReplicaSetView(F.replicaSet()))
        #expect(pod.value(at: ["metadata", "generateName"]) == "web-")
        #expect(pod.value(at: ["metadata", "labels", "tier"]) == "front")
        let ref = OwnerReference.controller(of: pod)
        #expect(ref == OwnerReference.controlling(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: "rs-uid"))
        #expect(pod.value(at: ["spec", "containers"])?.array?.count == 1)
    }
}
