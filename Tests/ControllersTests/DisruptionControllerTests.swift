import Client
import ControllerRuntime
import Foundation
import Model
import Testing
import TestSupport
@testable import Controllers

/// The DisruptionController over a FakeAPIClient and a ManualClock, driven by calling reconcile(key).
@Suite struct DisruptionControllerTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    final class Harness: @unchecked Sendable {
        let client = FakeAPIClient()
        let clock = ManualClock(now: DisruptionControllerTests.t0)
        let events = RecordedJobEvents()
        let factory: SharedInformerFactory
        let controller: DisruptionController

        init() {
            factory = SharedInformerFactory(client: client, clock: clock)
            controller = DisruptionController(client: client, factory: factory, recorder: events, clock: clock)
        }

        func start() async {
            factory.start()
            await factory.waitForSync()
        }

        var budget: PodDisruptionBudgetView {
            PodDisruptionBudgetView(client.object(ResourceCatalog.podDisruptionBudgets, namespace: "default", name: "web") ?? .null)
        }

        /// Waits until the informers show what the fake stores.
        func settle() async throws {
            for (resource, informer) in [(ResourceCatalog.pods, controller.pods), (ResourceCatalog.podDisruptionBudgets, controller.budgets)] {
                let stored = try await client.list(resource, namespace: "default").items.map { ObjectMetaView($0["metadata"]).resourceVersion }
                _ = await eventually { Set(informer.list().map { ObjectMetaView($0["metadata"]).resourceVersion }) == Set(stored) }
            }
        }
    }

    /// The Deployment `web` (3 replicas), its ReplicaSet, and pods web-0…web-2 of which `ready` are Ready.
    /// (The fake gives every seeded object a uid of its own, so the references are made from the stored ones.)
    static func seedWorkload(_ client: FakeAPIClient, ready: Int) throws {
        try client.seed(ResourceCatalog.deployments, DeploymentFixtures.deployment(replicas: 3))
        let deployment = DeploymentView(client.object(ResourceCatalog.deployments, namespace: "default", name: "web") ?? .null)
        var rs = DeploymentFixtures.replicaSet(revision: 1, replicas: 3)
        rs.setValue([OwnerReference.controlling(apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: deployment.uid).json],
                    at: ["metadata", "ownerReferences"])
        try client.seed(ResourceCatalog.replicaSets, rs)
        let rsName = ReplicaSetView(rs).name
        let rsUID = ReplicaSetView(client.object(ResourceCatalog.replicaSets, namespace: "default", name: rsName) ?? .null).uid
        for i in 0..<3 {
            try client.seed(ResourceCatalog.pods, ReplicaSetFixtures.pod("web-\(i)", owner: rsUID, ownerName: rsName, ready: i < ready,
                                                                          labels: ["app": "web"]))
        }
    }

    static func pdb(_ spec: JSONValue) -> JSONValue {
        var spec = spec
        spec["selector"] = ["matchLabels": ["app": "web"]]
        return ["apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                "metadata": ["name": "web", "namespace": "default", "uid": "pdb-uid", "generation": 1, "resourceVersion": "1"],
                "spec": spec, "status": ["disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0]]
    }

    @Test func theStatusFollowsTheReadyPodsOfTheDeployment() async throws {
        let h = Harness()
        try Self.seedWorkload(h.client, ready: 2)
        try h.client.seed(ResourceCatalog.podDisruptionBudgets, Self.pdb(["minAvailable": "50%"]))
        await h.start()
        defer { h.factory.stop() }
        _ = try await h.controller.reconcile("default/web")
        #expect(h.budget.expectedPods == 3 && h.budget.desiredHealthy == 2 && h.budget.currentHealthy == 2)
        #expect(h.budget.disruptionsAllowed == 0 && h.budget.observedGeneration == 1)
        #expect(h.budget.condition("DisruptionAllowed")?.reason == "InsufficientPods")

        var pod = try #require(h.client.object(ResourceCatalog.pods, namespace: "default", name: "web-2"))
        pod.setValue([["type": "Ready", "status": "True"]], at: ["status", "conditions"])
        _ = try await h.client.updateStatus(ResourceCatalog.pods, namespace: "default", object: pod)
        try await h.settle()
        _ = try await h.controller.reconcile("default/web")
        #expect(h.budget.currentHealthy == 3 && h.budget.disruptionsAllowed == 1)
        #expect(h.budget.condition("DisruptionAllowed")?.reason == "SufficientPods")

        // Nothing changed: no second write.
        try await h.settle()
        let writes = h.client.calls.filter { $0.verb == "updateStatus" && $0.resource == ResourceCatalog.podDisruptionBudgets.storageName }.count
        _ = try await h.controller.reconcile("default/web")
        #expect(h.client.calls.filter { $0.verb == "updateStatus" && $0.resource == ResourceCatalog.podDisruptionBudgets.storageName }.count == writes)
    }

    @Test func anApprovedEvictionIsRecheckedWhenItTimesOut() async throws {
        let h = Harness()
        try Self.seedWorkload(h.client, ready: 3)
        var budget = Self.pdb(["minAvailable": 2])
        budget.setValue(["web-0": .string(Timestamp.format(Self.t0.addingTimeInterval(-20)))], at: ["status", "disruptedPods"])
        try h.client.seed(ResourceCatalog.podDisruptionBudgets, budget)
        await h.start()
        defer { h.factory.stop() }
        let result = try await h.controller.reconcile("default/web")
        #expect(result.requeueAfter == 100)
        #expect(h.budget.currentHealthy == 2 && h.budget.disruptionsAllowed == 0 && h.budget.disruptedPods.keys.sorted() == ["web-0"])
    }

    @Test func podsWithoutAControllerGiveAPercentageNothingToCount() async throws {
        let h = Harness()
        try h.client.seed(ResourceCatalog.pods, ReplicaSetFixtures.pod("orphan", owner: nil, labels: ["app": "web"]))
        try h.client.seed(ResourceCatalog.podDisruptionBudgets, Self.pdb(["maxUnavailable": "50%"]))
        await h.start()
        defer { h.factory.stop() }
        // A pod without a controller adds nothing to the percentage's base: 0 expected, 0 allowed.
        _ = try await h.controller.reconcile("default/web")
        #expect(h.budget.disruptionsAllowed == 0 && h.budget.expectedPods == 0)
        #expect(h.events.reasons.contains("UnmanagedPods"))
    }

    @Test func aStaleDisruptionTargetConditionIsTurnedOffAfterTwoMinutes() async throws {
        let h = Harness()
        var pod = ReplicaSetFixtures.pod("web-0", labels: ["app": "web"])
        pod.setValue([["type": "Ready", "status": "True"],
                      ["type": "DisruptionTarget", "status": "True", "reason": "EvictionByEvictionAPI",
                       "lastTransitionTime": .string(Timestamp.format(Self.t0.addingTimeInterval(-60)))]], at: ["status", "conditions"])
        try h.client.seed(ResourceCatalog.pods, pod)
        await h.start()
        defer { h.factory.stop() }
        #expect(try await h.controller.reconcile("pod|default/web-0").requeueAfter == 60)
        h.clock.advance(by: 61)
        _ = try await h.controller.reconcile("pod|default/web-0")
        let stored = PodView(try #require(h.client.object(ResourceCatalog.pods, namespace: "default", name: "web-0")))
        #expect(stored.condition("DisruptionTarget")?.status == "False")
        #expect(stored.isReady)
    }
}
