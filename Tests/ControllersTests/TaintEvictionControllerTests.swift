import Client
import ControllerRuntime
import Foundation
import Model
import Testing
import TestSupport
@testable import Controllers

/// The TaintEvictionController over a FakeAPIClient and a ManualClock: reconcile(pod key) at
/// chosen times, the timers being the requeueAfter it answers.
@Suite struct TaintEvictionControllerTests {
    typealias F = NodeFixtures
    static let t0 = NodeFixtures.t0

    final class Harness: @unchecked Sendable {
        let client = FakeAPIClient()
        let clock = ManualClock(now: NodeFixtures.t0)
        let events = RecordedJobEvents()
        let factory: SharedInformerFactory
        let controller: TaintEvictionController

        init() {
            factory = SharedInformerFactory(client: client, clock: clock)
            controller = TaintEvictionController(client: client, factory: factory, recorder: events, clock: clock)
        }

        func start(node: JSONValue, pods: [JSONValue]) async throws {
            try client.seed(ResourceCatalog.nodes, node)
            for pod in pods { try client.seed(ResourceCatalog.pods, pod) }
            factory.start()
            await factory.waitForSync()
        }

        func stop() { factory.stop() }

        func settle() async {
            for (resource, informer) in [(ResourceCatalog.nodes, controller.nodes), (ResourceCatalog.pods, controller.pods)] {
                let stored = client.snapshot(resource).map { ObjectMetaView($0["metadata"]).resourceVersion }
                _ = await eventually { Set(informer.list().map { ObjectMetaView($0["metadata"]).resourceVersion }) == Set(stored) }
            }
        }

        func calls(_ verb: String) -> [FakeAPIClient.Call] {
            client.calls.filter { $0.verb == verb && $0.resource == "pods" }
        }
    }

    static func pod(_ name: String, tolerations: [JSONValue] = [], deletingAt: Date? = nil) -> JSONValue {
        var metadata: JSONValue = ["name": .string(name), "namespace": "default",
                                   "creationTimestamp": .string(Timestamp.format(t0.addingTimeInterval(-600)))]
        if let deletingAt {
            metadata["deletionTimestamp"] = .string(Timestamp.format(deletingAt))
            metadata["finalizers"] = ["batch.kubernetes.io/job-tracking"]
        }
        var spec: JSONValue = ["nodeName": "a", "containers": [["name": "main"]]]
        if !tolerations.isEmpty { spec["tolerations"] = .array(tolerations) }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec, "status": ["phase": "Running"]]
    }

    static func tolerating(_ seconds: Int64) -> [JSONValue] {
        [["key": .string(Taint.unreachableKey), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": .int(seconds)]]
    }

    static let unreachableNode = F.node("a", ready: "Unknown", taints: [F.taint(Taint.unreachableKey, "NoExecute", added: t0)])

    @Test func aPodThatDoesNotTolerateTheTaintIsMarkedAndDeletedAtOnce() async throws {
        let h = Harness()
        try await h.start(node: Self.unreachableNode, pods: [Self.pod("web")])
        defer { h.stop() }
        let result = try await h.controller.reconcile("default/web")
        #expect(result == .done)
        let patch = try #require(h.calls("patch").first?.body)
        let condition = patch["status"]?["conditions"]?[0]
        #expect(condition?["type"] == "DisruptionTarget" && condition?["status"] == "True")
        #expect(condition?["reason"] == "DeletionByTaintManager")
        #expect(condition?["message"] == "Taint manager: deleting due to NoExecute taint")
        let delete = try #require(h.calls("delete").first)
        #expect(delete.body?["preconditions"]?["uid"] != nil, "the uid precondition: never another pod of that name")
        #expect(delete.body?["gracePeriodSeconds"] == nil, "graceful: the pod's own grace period")
        #expect(h.events.reasons == ["TaintManagerEviction"])
    }

    @Test func aTolerationDelaysTheEvictionByItsSecondsFromWhenTheTaintWasAdded() async throws {
        let h = Harness()
        try await h.start(node: Self.unreachableNode, pods: [Self.pod("web", tolerations: Self.tolerating(300))])
        defer { h.stop() }
        h.clock.advance(by: 100)
        let waiting = try await h.controller.reconcile("default/web")
        #expect(waiting.requeueAfter.map { abs($0 - 200) < 1e-6 } == true, "t0 + 300 s")
        #expect(h.calls("delete").isEmpty)
        h.clock.advance(by: 200)
        _ = try await h.controller.reconcile("default/web")
        #expect(h.calls("delete").count == 1)
    }

    @Test func aTaintRemovedBeforeTheTimeIsUpCancelsTheEviction() async throws {
        let h = Harness()
        try await h.start(node: Self.unreachableNode, pods: [Self.pod("web", tolerations: Self.tolerating(300))])
        defer { h.stop() }
        _ = try await h.controller.reconcile("default/web")
        var node = h.client.object(ResourceCatalog.nodes, namespace: nil, name: "a")!
        node.setValue(nil, at: ["spec", "taints"])
        _ = try await h.client.update(ResourceCatalog.nodes, namespace: nil, object: node)
        await h.settle()
        #expect(await eventually { h.controller.queue.count > 0 }, "the node's change requeues its pods")
        h.clock.advance(by: 300)
        #expect(try await h.controller.reconcile("default/web") == .done)
        #expect(h.calls("delete").isEmpty)
        #expect(h.events.reasons == ["TaintManagerEviction"], "Cancelling deletion of Pod default/web")
    }

    @Test func aTerminatingPodOnAnUnreachableNodeIsFailedAndForceDeletedWhenItsGraceEnds() async throws {
        let h = Harness()
        try await h.start(node: Self.unreachableNode, pods: [Self.pod("job-pod", deletingAt: Self.t0.addingTimeInterval(30))])
        defer { h.stop() }
        h.clock.advance(by: 10)
        let waiting = try await h.controller.reconcile("default/job-pod")
        #expect(waiting.requeueAfter.map { abs($0 - 20) < 1e-6 } == true)
        h.clock.advance(by: 20)
        _ = try await h.controller.reconcile("default/job-pod")
        #expect(h.calls("patch").first?.body == ["status": ["phase": "Failed"]])
        #expect(h.calls("delete").first?.body?["gracePeriodSeconds"] == 0)
        #expect(h.client.object(ResourceCatalog.pods, namespace: "default", name: "job-pod")?["status"]?["phase"] == "Failed",
                "the Job's finalizer keeps it until the Job has counted it")
    }

    @Test func aTerminatingPodOnANotReadyNodeIsLeftToItsAgent() async throws {
        let h = Harness()
        let notReady = F.node("a", ready: "False", taints: [F.taint(Taint.notReadyKey, "NoExecute", added: Self.t0)])
        try await h.start(node: notReady, pods: [Self.pod("job-pod", deletingAt: Self.t0.addingTimeInterval(30))])
        defer { h.stop() }
        h.clock.advance(by: 60)
        #expect(try await h.controller.reconcile("default/job-pod") == .done)
        #expect(h.client.calls.filter { $0.resource == "pods" && $0.verb != "list" && $0.verb != "watch" }.isEmpty)
    }
}
