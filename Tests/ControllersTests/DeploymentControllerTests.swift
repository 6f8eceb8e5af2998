import Client
import ControllerRuntime
import Foundation
import Model
import Testing
import TestSupport
@testable import Controllers

/// The DeploymentController (with the ReplicaSetController beside it) over a FakeAPIClient and a
/// ManualClock, driven by calling reconcile(key).
@Suite struct DeploymentControllerTests {
    typealias F = DeploymentFixtures
    let deployments = ResourceCatalog.deployments
    let replicaSets = ResourceCatalog.replicaSets
    let pods = ResourceCatalog.pods

    final class Harness: @unchecked Sendable {
        let client = FakeAPIClient()
        let clock = ManualClock(now: F.t0.addingTimeInterval(60))
        let events = RecordedJobEvents()
        let factory: SharedInformerFactory
        let controller: DeploymentController
        let rsController: ReplicaSetController

        init() {
            factory = SharedInformerFactory(client: client, clock: clock)
            controller = DeploymentController(client: client, factory: factory, recorder: events, clock: clock)
            rsController = ReplicaSetController(client: client, factory: factory, recorder: events, clock: clock)
        }

        func start() async {
            factory.start()
            await factory.waitForSync()
        }

        func stop() { factory.stop() }

        var deployment: DeploymentView { DeploymentView(client.object(ResourceCatalog.deployments, namespace: "default", name: "web") ?? .null) }

        func sets() async throws -> [ReplicaSetView] {
            try await client.list(ResourceCatalog.replicaSets, namespace: "default").items.map(ReplicaSetView.init)
                .sorted { DeploymentRevisions.revision($0) < DeploymentRevisions.revision($1) }
        }

        func count(_ verb: String, _ resource: ResourceInfo) -> Int {
            client.calls.filter { $0.verb == verb && $0.resource == resource.storageName }.count
        }

        /// Waits until every cache agrees with the fake's store.
        func settle() async throws {
            for (resource, informer) in [(ResourceCatalog.pods, controller.pods), (ResourceCatalog.replicaSets, controller.replicaSets),
                                         (ResourceCatalog.deployments, controller.deployments)] {
                let stored = try await client.list(resource, namespace: "default").items.map { ObjectMetaView($0["metadata"]) }
                _ = await eventually {
                    let cached = informer.list().map { ObjectMetaView($0["metadata"]) }
                    return cached.count == stored.count && stored.allSatisfy { s in
                        cached.contains { $0.uid == s.uid && $0.resourceVersion == s.resourceVersion }
                    }
                }
            }
        }

        /// Every pod Ready (since now) and Running.
        func makePodsReady() async throws {
            for pod in try await client.list(ResourceCatalog.pods, namespace: "default").items where PodView(pod).condition("Ready") == nil {
                var ready = pod
                ready["status"] = ["phase": "Running", "conditions": [["type": "Ready", "status": "True",
                                                                       "lastTransitionTime": .string(Timestamp.format(clock.now))]]]
                _ = try await client.updateStatus(ResourceCatalog.pods, namespace: "default", object: ready)
            }
        }

        /// Syncs the Deployment and its ReplicaSets until nothing changes.
        func converge(rounds: Int = 12) async throws {
            for _ in 0..<rounds {
                try await settle()
                _ = try await controller.reconcile("default/web")
                try await settle()
                for rs in try await sets() { _ = try await rsController.reconcile("default/" + rs.name) }
                try await settle()
                try await makePodsReady()
            }
        }
    }

    @Test func createsOneReplicaSetDespiteALaggingCacheAndRollsOutToAvailable() async throws {
        let h = Harness()
        try h.client.seed(deployments, F.deployment())
        await h.start()
        defer { h.stop() }
        _ = try await h.controller.reconcile("default/web")
        _ = try? await h.controller.reconcile("default/web")   // the new ReplicaSet not yet in the cache
        #expect(h.count("create", replicaSets) == 1)
        try await h.converge()
        let sets = try await h.sets()
        #expect(sets.count == 1 && sets[0].replicas == 3 && sets[0].availableReplicas == 3)
        let d = h.deployment
        #expect(d.annotations[DeploymentView.revisionAnnotation] == "1")
        #expect(d.availableReplicas == 3 && d.updatedReplicas == 3 && d.statusReplicas == 3)
        #expect(d.condition("Progressing")?.reason == "NewReplicaSetAvailable")
        #expect(d.condition("Available")?.isTrue == true)
        #expect(h.events.reasons.contains("ScalingReplicaSet"))
    }

    @Test func aTemplateChangeRollsOutAndUndoReusesTheFirstReplicaSetAsRevisionThree() async throws {
        let h = Harness()
        try h.client.seed(deployments, F.deployment())
        await h.start()
        defer { h.stop() }
        try await h.converge()
        var d = h.deployment.object
        d.setValue(F.template("700"), at: ["spec", "template"])
        _ = try await h.client.update(deployments, namespace: "default", object: d)
        try await h.converge()
        var sets = try await h.sets()
        #expect(sets.map(\.replicas) == [0, 3])
        #expect(h.deployment.annotations[DeploymentView.revisionAnnotation] == "2")
        #expect(h.deployment.condition("Progressing")?.reason == "NewReplicaSetAvailable")

        // kubectl rollout undo: the first ReplicaSet's template without the hash label.
        var template = sets[0].template
        template.setValue(nil, at: ["metadata", "labels", DeploymentView.podTemplateHashLabel])
        d = h.deployment.object
        d.setValue(template, at: ["spec", "template"])
        _ = try await h.client.update(deployments, namespace: "default", object: d)
        try await h.converge()
        sets = try await h.sets()
        #expect(sets.count == 2, "no third ReplicaSet")
        #expect(sets.map(\.uid) == [sets[0].uid, sets[1].uid])
        let reused = try #require(sets.first { DeploymentRevisions.revision($0) == 3 })
        #expect(reused.replicas == 3 && reused.annotations[DeploymentView.revisionHistoryAnnotation] == "1")
        #expect(h.deployment.annotations[DeploymentView.revisionAnnotation] == "3")
    }

    @Test func aNameTakenByAForeignReplicaSetRaisesTheCollisionCount() async throws {
        let h = Harness()
        let hash = TemplateHash.compute(F.template(), collisionCount: nil)
        try h.client.seed(deployments, F.deployment())
        try h.client.seed(replicaSets, ["metadata": ["name": .string("web-" + hash), "namespace": "default", "labels": ["app": "other"]],
                                        "spec": ["replicas": 0, "selector": ["matchLabels": ["app": "other"]], "template": [:]]])
        await h.start()
        defer { h.stop() }
        _ = try await h.controller.reconcile("default/web")
        #expect(h.deployment.collisionCount == 1)
        try await h.settle()
        _ = try await h.controller.reconcile("default/web")
        let ours = try await h.sets().filter { $0.metadata.controllerReference?.uid == h.deployment.uid }
        #expect(ours.map(\.name) == ["web-" + TemplateHash.compute(F.template(), collisionCount: 1)])
    }
}
