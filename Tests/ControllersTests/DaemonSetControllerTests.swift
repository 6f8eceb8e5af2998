import Client
import ControllerRuntime
import Foundation
import Model
import Testing
import TestSupport
@testable import Controllers

/// The DaemonSetController over a FakeAPIClient and a ManualClock, driven by calling reconcile(key).
@Suite struct DaemonSetControllerTests {
    typealias F = DaemonSetFixtures
    let pods = ResourceCatalog.pods
    let nodes = ResourceCatalog.nodes
    let daemonSets = ResourceCatalog.daemonSets
    let revisions = ResourceCatalog.controllerRevisions
    let key = "default/agent"

    final class Harness: @unchecked Sendable {
        let client = FakeAPIClient()
        let clock = ManualClock(now: F.t0.addingTimeInterval(3600))
        let events = RecordedJobEvents()
        let factory: SharedInformerFactory
        let controller: DaemonSetController

        init() {
            factory = SharedInformerFactory(client: client, clock: clock)
            controller = DaemonSetController(client: client, factory: factory, recorder: events, clock: clock)
        }

        func start() async {
            factory.start()
            await factory.waitForSync()
        }

        func stop() { factory.stop() }

        func stored() -> DaemonSetView {
            DaemonSetView(client.object(ResourceCatalog.daemonSets, namespace: "default", name: "agent") ?? .null)
        }

        func storedPods() async throws -> [PodView] {
            try await client.list(ResourceCatalog.pods, namespace: "default").items.map(PodView.init).sorted { $0.name < $1.name }
        }

        func revisions() async throws -> [JSONValue] {
            try await client.list(ResourceCatalog.controllerRevisions, namespace: "default").items
                .sorted { DaemonSetHistory.revisionNumber($0) < DaemonSetHistory.revisionNumber($1) }
        }

        func count(_ verb: String, _ resource: ResourceInfo) -> Int {
            client.calls.filter { $0.verb == verb && $0.resource == resource.storageName }.count
        }

        /// Waits until every cache agrees with the fake's store.
        func settle() async throws {
            let pairs: [(ResourceInfo, Informer)] = [(ResourceCatalog.pods, controller.pods), (ResourceCatalog.daemonSets, controller.daemonSets),
                                                     (ResourceCatalog.nodes, controller.nodes),
                                                     (ResourceCatalog.controllerRevisions, controller.revisions)]
            for (resource, informer) in pairs {
                let stored = try await client.list(resource, namespace: nil).items.map { ObjectMetaView($0["metadata"]) }
                _ = await eventually {
                    let cached = informer.list().map { ObjectMetaView($0["metadata"]) }
                    return cached.count == stored.count && stored.allSatisfy { s in
                        cached.contains { $0.uid == s.uid && $0.resourceVersion == s.resourceVersion }
                    }
                }
            }
        }

        /// Binds every pod to its target node and marks it Running (and Ready unless told otherwise).
        func runPods(ready: Bool = true, phase: String = "Running") async throws {
            for pod in try await storedPods() where pod.nodeName == nil || pod.phase != phase {
                var object = pod.object
                object.setValue(DaemonPlacement.targetNode(of: pod).map(JSONValue.string), at: ["spec", "nodeName"])
                object = try await client.update(ResourceCatalog.pods, namespace: "default", object: object)
                object["status"] = ["phase": .string(phase), "conditions": [["type": "Ready", "status": .string(ready ? "True" : "False"),
                                                                                "lastTransitionTime": .string(Timestamp.format(clock.now))]]]
                _ = try await client.updateStatus(ResourceCatalog.pods, namespace: "default", object: object)
            }
        }

        /// Syncs until nothing more changes (at most `rounds` times), letting the caches catch up between.
        func converge(rounds: Int = 6, running: Bool = true) async throws {
            for _ in 0..<rounds {
                try await settle()
                _ = try await controller.reconcile("default/agent")
                try await settle()
                if running { try await runPods() }
            }
            try await settle()
        }

        func targets() async throws -> [String] {
            try await storedPods().filter { !$0.isDeleting }.compactMap(DaemonPlacement.targetNode).sorted()
        }
    }

    @Test func onePodPerEligibleNodeOnceDespiteALaggingCacheWithARevision() async throws {
        let h = Harness()
        try h.client.seed(nodes, F.node("a"), F.node("b"), F.node("c", taints: [Taint(key: "dedicated", effect: "NoSchedule")]))
        try h.client.seed(daemonSets, F.daemonSet())
        await h.start()
        defer { h.stop() }
        _ = try await h.controller.reconcile(key)
        _ = try? await h.controller.reconcile(key)   // before the cache caught up: no more creates
        #expect(h.count("create", pods) == 2)
        #expect(try await h.targets() == ["a", "b"])
        let revisions = try await h.revisions()
        #expect(revisions.count == 1)
        let hash = DaemonSetHistory.hash(of: revisions[0])
        #expect(try await h.storedPods().allSatisfy { $0.labels["controller-revision-hash"] == hash })
        try await h.converge()
        #expect(h.count("create", pods) == 2)
        let ds = h.stored()
        #expect(ds.desiredNumberScheduled == 2 && ds.currentNumberScheduled == 2 && ds.numberReady == 2)
        #expect(ds.updatedNumberScheduled == 2 && ds.numberAvailable == 2 && ds.numberMisscheduled == 0)
        #expect(ds.observedGeneration == 1)
        #expect(h.events.reasons.filter { $0 == "SuccessfulCreate" }.count == 2)
    }

    @Test func nodesJoiningGetAPodAndNodesNoLongerMatchingLoseIt() async throws {
        let h = Harness()
        try h.client.seed(nodes, F.node("a", labels: ["role": "worker"]), F.node("b", labels: ["role": "worker"]))
        try h.client.seed(daemonSets, F.daemonSet(nodeSelector: ["role": "worker"]))
        await h.start()
        defer { h.stop() }
        try await h.converge()
        #expect(try await h.targets() == ["a", "b"])
        _ = try await h.client.create(nodes, namespace: nil, object: F.node("c", labels: ["role": "worker"]))
        var b = h.client.object(nodes, namespace: nil, name: "b")!
        b.setValue(["role": "db"], at: ["metadata", "labels"])
        _ = try await h.client.update(nodes, namespace: nil, object: b)
        #expect(await eventually { h.controller.queue.count > 0 } as Bool)
        try await h.converge()
        #expect(try await h.targets() == ["a", "c"])
        #expect(h.stored().desiredNumberScheduled == 2)
        // A node deleted: its bound pod is removed at once (nobody will confirm a graceful end).
        _ = try await h.client.delete(nodes, namespace: nil, name: "c")
        try await h.converge()
        #expect(try await h.targets() == ["a"])
        let forced = h.client.calls.filter { $0.verb == "delete" && $0.resource == "pods" && $0.body?["gracePeriodSeconds"] == 0 }
        #expect(forced.count == 1)
    }

    @Test func aRollingUpdateReplacesOneNodeAtATimeAndARollbackReusesTheOldRevision() async throws {
        let h = Harness()
        try h.client.seed(nodes, F.node("a"), F.node("b"), F.node("c"))
        try h.client.seed(daemonSets, F.daemonSet(image: "v1"))
        await h.start()
        defer { h.stop() }
        try await h.converge()
        let firstHash = DaemonSetHistory.hash(of: try await h.revisions()[0])
        var ds = h.client.object(daemonSets, namespace: "default", name: "agent")!
        ds.setValue("v2", at: ["spec", "template", "spec", "containers", "0", "image"])
        ds.setValue(["main": "v2"], at: ["spec", "template", "metadata", "annotations"])
        _ = try await h.client.update(daemonSets, namespace: "default", object: ds)
        try await h.settle()
        // Step by step, never more than one node without an available pod (maxUnavailable 1).
        var worst = 0
        for _ in 0..<12 {
            _ = try await h.controller.reconcile(key)
            try await h.settle()
            let live = try await h.storedPods().filter { !$0.isDeleting && $0.isReady }
            worst = max(worst, 3 - Set(live.compactMap(DaemonPlacement.targetNode)).count)
            try await h.runPods()
            try await h.settle()
        }
        let revisions = try await h.revisions()
        #expect(revisions.map(DaemonSetHistory.revisionNumber) == [1, 2])
        let secondHash = DaemonSetHistory.hash(of: revisions[1])
        #expect(try await h.storedPods().map { $0.labels["controller-revision-hash"] } == [secondHash, secondHash, secondHash])
        #expect(worst == 1)
        #expect(h.stored().updatedNumberScheduled == 3)

        // kubectl rollout undo: the revision's data patched back onto the DaemonSet.
        let data = revisions[0]["data"]!
        _ = try await h.client.patch(daemonSets, namespace: "default", name: "agent", type: .strategicMerge, body: data, subresource: nil)
        try await h.converge(rounds: 10)
        let after = try await h.revisions()
        #expect(after.count == 2)
        #expect(after.map(DaemonSetHistory.revisionNumber) == [2, 3])
        #expect(DaemonSetHistory.hash(of: after[1]) == firstHash)
        #expect(try await h.storedPods().allSatisfy { $0.labels["controller-revision-hash"] == firstHash })
    }

    @Test func onDeleteLeavesOldPodsUntilSomeoneDeletesThem() async throws {
        let h = Harness()
        try h.client.seed(nodes, F.node("a"), F.node("b"))
        try h.client.seed(daemonSets, F.daemonSet(onDelete: true))
        await h.start()
        defer { h.stop() }
        try await h.converge()
        var ds = h.client.object(daemonSets, namespace: "default", name: "agent")!
        ds.setValue("v2", at: ["spec", "template", "spec", "containers", "0", "image"])
        _ = try await h.client.update(daemonSets, namespace: "default", object: ds)
        try await h.converge()
        #expect(h.count("delete", pods) == 0)
        #expect(h.stored().updatedNumberScheduled == 0)
        let victim = try await h.storedPods()[0]
        _ = try await h.client.delete(pods, namespace: "default", name: victim.name)
        try await h.converge()
        #expect(h.stored().updatedNumberScheduled == 1)
    }

    @Test func failedPodsAreReplacedWithAWarningAndABackOff() async throws {
        let h = Harness()
        try h.client.seed(nodes, F.node("a"))
        try h.client.seed(daemonSets, F.daemonSet())
        await h.start()
        defer { h.stop() }
        try await h.converge(rounds: 2)
        try await h.runPods(phase: "Failed")
        try await h.settle()
        _ = try await h.controller.reconcile(key)
        #expect(h.events.reasons.contains("FailedDaemonPod"))
        try await h.settle()
        _ = try await h.controller.reconcile(key)
        #expect(try await h.storedPods().count == 1)
        try await h.runPods(phase: "Failed")
        try await h.settle()
        // Within the 1 s back-off the second failed pod stays; the sync says when to come back.
        let waiting = try await h.controller.reconcile(key)
        #expect(h.count("delete", pods) == 1)
        #expect(waiting.requeueAfter.map { $0 > 0 && $0 <= 1 } == true)
        h.clock.advance(by: 1.5)
        try await h.settle()
        _ = try await h.controller.reconcile(key)
        #expect(h.count("delete", pods) == 2)
    }

    @Test func historyBeyondTheLimitIsPrunedButRevisionsOfLivePodsStay() async throws {
        let h = Harness()
        try h.client.seed(nodes, F.node("a"))
        try h.client.seed(daemonSets, F.daemonSet(onDelete: true, historyLimit: 1))
        await h.start()
        defer { h.stop() }
        try await h.converge(rounds: 2)
        for image in ["v2", "v3", "v4"] {
            var ds = h.client.object(daemonSets, namespace: "default", name: "agent")!
            ds.setValue(.string(image), at: ["spec", "template", "spec", "containers", "0", "image"])
            _ = try await h.client.update(daemonSets, namespace: "default", object: ds)
            try await h.converge(rounds: 2)
        }
        // Each sync deletes the old revisions beyond the limit oldest first, skipping 1, which the
        // pod still runs: 2 went when 3 came, 3 when 4 came (upstream's cleanupHistory).
        #expect(try await h.revisions().map(DaemonSetHistory.revisionNumber) == [1, 4])
    }
}
