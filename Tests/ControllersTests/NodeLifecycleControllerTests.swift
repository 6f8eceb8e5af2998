import Client
import ControllerRuntime
import Foundation
import Model
import Testing
import TestSupport
@testable import Controllers

/// The NodeLifecycleController over a FakeAPIClient and a ManualClock: passes run by calling
/// reconcile, heartbeats are Lease renewals written to the fake.
@Suite struct NodeLifecycleControllerTests {
    typealias F = NodeFixtures

    final class Harness: @unchecked Sendable {
        let client = FakeAPIClient()
        let clock = ManualClock(now: NodeFixtures.t0)
        let events = RecordedJobEvents()
        let factory: SharedInformerFactory
        let controller: NodeLifecycleController

        init(options: NodeLifecycleOptions = NodeLifecycleOptions()) {
            factory = SharedInformerFactory(client: client, clock: clock)
            controller = NodeLifecycleController(client: client, factory: factory, recorder: events, clock: clock, options: options)
        }

        func start(nodes: [JSONValue]) async throws {
            for node in nodes {
                let name = node.value(at: ["metadata", "name"])?.string ?? ""
                try client.seed(ResourceCatalog.nodes, node)
                try client.seed(ResourceCatalog.leases, NodeLease.object(node: name, nodeUID: nil, now: clock.now))
            }
            factory.start()
            await factory.waitForSync()
        }

        func stop() { factory.stop() }

        func renew(_ names: [String]) async throws {
            for name in names { try await client.renewNodeLease(node: name, nodeUID: nil, now: clock.now) }
            try await settle()
        }

        /// Waits until the caches hold what the fake holds.
        func settle() async throws {
            for (resource, informer) in [(ResourceCatalog.nodes, controller.nodes), (ResourceCatalog.leases, controller.leases)] {
                let stored = client.snapshot(resource).map { ObjectMetaView($0["metadata"]).resourceVersion }
                _ = await eventually {
                    Set(informer.list().map { ObjectMetaView($0["metadata"]).resourceVersion }) == Set(stored)
                }
            }
        }

        func node(_ name: String) -> NodeView { NodeView(client.object(ResourceCatalog.nodes, namespace: nil, name: name) ?? .null) }

        func taintKeys(_ name: String) -> [String] { node(name).taints.map { "\($0.key):\($0.effect)" }.sorted() }

        /// One pass, then the caches catch up with what it wrote.
        @discardableResult
        func pass() async throws -> ReconcileResult {
            let result = try await controller.reconcile(NodeLifecycleController.key)
            try await settle()
            return result
        }
    }

    static let unreachable = ["\(Taint.unreachableKey):NoExecute", "\(Taint.unreachableKey):NoSchedule"]

    @Test func aNodeWhoseLeaseIsNotRenewedBecomesUnknownIsTaintedAndUntaintedWhenItComesBack() async throws {
        let h = Harness()
        try await h.start(nodes: [F.node("a"), F.node("b"), F.node("c")])
        defer { h.stop() }
        let first = try await h.pass()
        #expect(first.requeueAfter == 5)
        #expect(h.client.calls.filter { $0.verb == "updateStatus" || $0.verb == "update" }.isEmpty)
        // b and c keep renewing their Leases every 10 s; a has stopped.
        for _ in 0..<4 {
            h.clock.advance(by: 10)
            try await h.renew(["b", "c"])
            try await h.pass()
        }
        #expect(h.node("a").readyStatus == "True", "40 s is within the grace period")
        h.clock.advance(by: 1)
        try await h.renew(["b", "c"])
        try await h.pass()
        let a = h.node("a")
        #expect(a.condition("Ready")?.status == "Unknown")
        #expect(a.condition("Ready")?.reason == "NodeStatusUnknown")
        #expect(a.condition("Ready")?.message == "Kubelet stopped posting node status.")
        #expect(a.condition("MemoryPressure")?.status == "Unknown")
        #expect(h.taintKeys("a") == Self.unreachable)
        #expect(a.timeAdded(NodeTaintRules.unreachableNoExecute) == h.clock.now)
        #expect(h.node("b").readyStatus == "True" && h.node("b").taints.isEmpty)
        #expect(h.events.reasons == ["NodeNotReady"])

        // The agent comes back: its Lease and its Ready status.
        h.clock.advance(by: 5)
        try await h.renew(["a", "b", "c"])
        var back = h.client.object(ResourceCatalog.nodes, namespace: nil, name: "a")!
        back["status"] = F.node("a", heartbeat: h.clock.now)["status"]
        _ = try await h.client.updateStatus(ResourceCatalog.nodes, namespace: nil, object: back)
        try await h.settle()
        try await h.pass()
        #expect(h.node("a").taints.isEmpty)
    }

    @Test func whenManyNodesGoDarkTheZoneIsTaintedAtTheEvictionRate() async throws {
        let h = Harness()
        try await h.start(nodes: (0..<10).map { F.node("n\($0)") })
        defer { h.stop() }
        try await h.pass()
        h.clock.advance(by: 41)
        try await h.renew((0..<8).map { "n\($0)" })   // n8 and n9 went dark: 20% of the zone
        try await h.pass()
        let tainted = { (0..<10).filter { h.taintKeys("n\($0)").contains("\(Taint.unreachableKey):NoExecute") } }
        #expect(tainted().count == 1, "one token at 0.1 nodes/s")
        #expect(h.node("n8").readyStatus == "Unknown" && h.node("n9").readyStatus == "Unknown")
        h.clock.advance(by: 5)
        try await h.renew((0..<8).map { "n\($0)" })
        try await h.pass()
        #expect(tainted().count == 1)
        h.clock.advance(by: 5)
        try await h.renew((0..<8).map { "n\($0)" })
        try await h.pass()
        #expect(tainted() == [8, 9])
    }

    @Test func whenEveryNodeGoesDarkNoneIsTaintedForEviction() async throws {
        let h = Harness()
        try await h.start(nodes: [F.node("a"), F.node("b")])
        defer { h.stop() }
        try await h.pass()
        h.clock.advance(by: 41)
        try await h.pass()
        #expect(h.node("a").readyStatus == "Unknown" && h.node("b").readyStatus == "Unknown")
        #expect(h.controller.zoneStates == ["": .fullDisruption])
        #expect(h.taintKeys("a") == ["\(Taint.unreachableKey):NoSchedule"], "NoSchedule only: nothing is evicted")
        #expect(h.taintKeys("b") == ["\(Taint.unreachableKey):NoSchedule"])
    }
}
