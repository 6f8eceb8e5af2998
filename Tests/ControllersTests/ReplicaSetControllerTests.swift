import Client
import ControllerRuntime
import Foundation
import Model
import Testing
import TestSupport
@testable import Controllers

/// The ReplicaSetController over a FakeAPIClient and a ManualClock, driven by calling reconcile(key).
@Suite struct ReplicaSetControllerTests {
    typealias F = ReplicaSetFixtures
    let pods = ResourceCatalog.pods
    let replicaSets = ResourceCatalog.replicaSets

    final class Harness: @unchecked Sendable {
        let client = FakeAPIClient()
        let clock = ManualClock(now: F.t0.addingTimeInterval(3600))
        let events = RecordedJobEvents()
        let factory: SharedInformerFactory
        let controller: ReplicaSetController

        init() {
            factory = SharedInformerFactory(client: client, clock: clock)
            controller = ReplicaSetController(client: client, factory: factory, recorder: events, clock: clock)
        }

        func start() async {
            factory.start()
            await factory.waitForSync()
        }

        func stop() { factory.stop() }

        func stored(_ name: String = "web") -> ReplicaSetView {
            ReplicaSetView(client.object(ResourceCatalog.replicaSets, namespace: "default", name: name) ?? .null)
        }

        func storedPods() async throws -> [PodView] {
            try await client.list(ResourceCatalog.pods, namespace: "default").items.map(PodView.init).sorted { $0.name < $1.name }
        }

        func count(_ verb: String, _ resource: ResourceInfo) -> Int {
            client.calls.filter { $0.verb == verb && $0.resource == resource.storageName }.count
        }

        /// Waits until both caches agree with the fake's store.
        func settle() async throws {
            for resource in [ResourceCatalog.pods, ResourceCatalog.replicaSets] {
                let stored = try await client.list(resource, namespace: "default").items.map { ObjectMetaView($0["metadata"]) }
                let informer = resource == ResourceCatalog.pods ? controller.pods : controller.replicaSets
                _ = await eventually {
                    let cached = informer.list().map { ObjectMetaView($0["metadata"]) }
                    return cached.count == stored.count && stored.allSatisfy { s in
                        cached.contains { $0.uid == s.uid && $0.resourceVersion == s.resourceVersion }
                    }
                }
            }
        }

        func setPod(_ name: String, ready: Bool, at time: Date) async throws {
            var pod = client.object(ResourceCatalog.pods, namespace: "default", name: name)!
            pod["status"] = ["phase": "Running", "conditions": [["type": "Ready", "status": .string(ready ? "True" : "False"),
                                                                 "lastTransitionTime": .string(Timestamp.format(time))]]]
            _ = try await client.updateStatus(ResourceCatalog.pods, namespace: "default", object: pod)
        }
    }

    @Test func scalesUpOnceDespiteALaggingCacheAndReportsStatus() async throws {
        let h = Harness()
        try h.client.seed(replicaSets, F.replicaSet(replicas: 3))
        await h.start()
        defer { h.stop() }
        _ = try await h.controller.reconcile("default/web")
        _ = try? await h.controller.reconcile("default/web")   // before the cache caught up: no more creates
        #expect(h.count("create", pods) == 3)
        try await h.settle()
        _ = try await h.controller.reconcile("default/web")
        #expect(h.count("create", pods) == 3)
        let created = try await h.storedPods()
        #expect(created.allSatisfy { $0.name.hasPrefix("web-") && $0.controllerUID == h.stored().uid })
        #expect(created.allSatisfy { $0.metadata.controllerReference?.blockOwnerDeletion == true })
        #expect(h.stored().statusReplicas == 3 && h.stored().readyReplicas == 0)
        #expect(h.stored().observedGeneration == 1)
        #expect(h.events.reasons == ["SuccessfulCreate", "SuccessfulCreate", "SuccessfulCreate"])
    }

    @Test func aFailedCreateStopsTheBatchAndSetsReplicaFailure() async throws {
        let h = Harness()
        try h.client.seed(replicaSets, F.replicaSet(replicas: 5))
        await h.start()
        defer { h.stop() }
        h.client.failNext("create", with: StatusError(code: 403, reason: "Forbidden", message: "exceeded quota"))
        await #expect(throws: StatusError.self) { _ = try await h.controller.reconcile("default/web") }
        #expect(h.count("create", pods) == 1, "the first batch of one failed: the other four were not tried")
        let condition = h.stored().condition("ReplicaFailure")
        #expect(condition?.reason == "FailedCreate" && condition?.isTrue == true)
        #expect(h.events.reasons == ["FailedCreate"])
        // The next sync (expectations lowered at once) creates in batches 1, 2, 2 and clears the condition.
        try await h.settle()
        _ = try await h.controller.reconcile("default/web")
        #expect(try await h.storedPods().count == 5)
        #expect(h.stored().condition("ReplicaFailure") == nil)
    }

    @Test func scalesDownNotReadyPodsFirstAndOnlyOnce() async throws {
        let h = Harness()
        try h.client.seed(replicaSets, F.replicaSet(replicas: 2))
        try h.client.seed(pods, F.pod("web-a"), F.pod("web-b", ready: false), F.pod("web-c"), F.pod("web-d", phase: "Pending", ready: false))
        await h.start()
        defer { h.stop() }
        // The fake gives the ReplicaSet its own uid: point the seeded pods at it.
        let uid = h.stored().uid
        for pod in try await h.storedPods() {
            var object = pod.object
            object.setValue([OwnerReference.controlling(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: uid).json],
                            at: ["metadata", "ownerReferences"])
            _ = try await h.client.update(pods, namespace: "default", object: object)
        }
        try await h.settle()
        _ = try await h.controller.reconcile("default/web")
        _ = try await h.controller.reconcile("default/web")   // deletions not yet observed: nothing more
        #expect(h.count("delete", pods) == 2)
        #expect(try await h.storedPods().map(\.name) == ["web-a", "web-c"])
        #expect(h.events.reasons == ["SuccessfulDelete", "SuccessfulDelete"])
    }

    @Test func adoptsMatchingOrphansAndReleasesPodsThatStopMatching() async throws {
        let h = Harness()
        try h.client.seed(replicaSets, F.replicaSet(replicas: 1))
        try h.client.seed(pods, F.pod("stray", owner: nil))
        await h.start()
        defer { h.stop() }
        _ = try await h.controller.reconcile("default/web")
        let stray = PodView(h.client.object(pods, namespace: "default", name: "stray")!)
        #expect(stray.controllerUID == h.stored().uid)
        #expect(h.count("create", pods) == 0)
        #expect(h.stored().statusReplicas == 1)

        var relabelled = stray.object
        relabelled.setValue(["app": "debug"], at: ["metadata", "labels"])
        _ = try await h.client.update(pods, namespace: "default", object: relabelled)
        try await h.settle()
        _ = try await h.controller.reconcile("default/web")
        #expect(PodView(h.client.object(pods, namespace: "default", name: "stray")!).ownerReferences.isEmpty)
        #expect(h.count("create", pods) == 1, "a replacement for the released pod")
    }

    @Test func availabilityWaitsForMinReadySecondsAndRequeuesForThatMoment() async throws {
        let h = Harness()
        try h.client.seed(replicaSets, F.replicaSet(replicas: 1, minReadySeconds: 30))
        await h.start()
        defer { h.stop() }
        _ = try await h.controller.reconcile("default/web")
        let pod = try await h.storedPods()[0]
        try await h.setPod(pod.name, ready: true, at: h.clock.now)
        try await h.settle()
        let result = try await h.controller.reconcile("default/web")
        #expect(h.stored().readyReplicas == 1 && h.stored().availableReplicas == 0)
        #expect(result.requeueAfter.map { $0 > 29.9 && $0 <= 30.01 } == true)
        h.clock.advance(by: 31)
        try await h.settle()
        _ = try await h.controller.reconcile("default/web")
        #expect(h.stored().availableReplicas == 1)
    }

    @Test func aPodBeingDeletedIsNotCountedAndIsReplacedOnce() async throws {
        let h = Harness()
        try h.client.seed(replicaSets, F.replicaSet(replicas: 2))
        await h.start()
        defer { h.stop() }
        _ = try await h.controller.reconcile("default/web")
        try await h.settle()
        // Someone else deletes one pod gracefully: it stays with a deletionTimestamp meanwhile.
        var leaving = try await h.storedPods()[0].object
        leaving.setValue(.string(Timestamp.format(h.clock.now)), at: ["metadata", "deletionTimestamp"])
        _ = try await h.client.update(pods, namespace: "default", object: leaving)
        try await h.settle()
        _ = try await h.controller.reconcile("default/web")
        try await h.settle()
        _ = try await h.controller.reconcile("default/web")
        #expect(h.count("create", pods) == 3, "two at first, one replacement")
        #expect(h.count("delete", pods) == 0)
        #expect(h.stored().statusReplicas == 2)
    }
}
