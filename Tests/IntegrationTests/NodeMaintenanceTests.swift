import Client
import Foundation
import Model
import Scheduler
import Testing
import TestSupport
@testable import CLI

/// `drover cordon`, `uncordon` and `drain` against the real API server (real PostgreSQL) and a
/// hollow node, which finishes graceful deletions as a kubelet would.
@Suite(.serialized) struct NodeMaintenanceTests {
    /// A CLI context on `client` that collects what the command prints.
    final class Output: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        var all: String { lock.withLock { text } }
        func context(_ client: any APIClient) -> CommandContext {
            CommandContext(out: { line in self.lock.withLock { self.text += line } }, err: { line in self.lock.withLock { self.text += line } },
                           readFile: { _ in [] }, makeClient: { _ in client })
        }
    }

    /// One registered hollow node named `prefix`0 (4 CPUs, 8Gi); `start()` makes it report pods.
    static func registerHollowNode(_ client: any APIClient, prefix: String) async throws -> HollowNodes {
        let hollow = HollowNodes(client: client, settings: .init(count: 1, prefix: prefix, cpu: "4", memory: "8Gi", pods: 20,
                                                                 labels: [:], runSeconds: nil))
        try await hollow.register()
        return hollow
    }

    /// A pod already bound to `node`, owned by a controller of `kind` if given.
    static func pod(_ name: String, node: String, controller kind: String?) -> JSONValue {
        var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
                              "spec": ["nodeName": .string(node), "containers": [["name": "main", "image": "busybox"]]]]
        if let kind {
            pod.setValue([["apiVersion": "apps/v1", "kind": .string(kind), "name": "owner", "uid": "owner-uid", "controller": true]],
                         at: ["metadata", "ownerReferences"])
        }
        return pod
    }

    @Test func drainRefusesDaemonSetPodsThenEvictsTheRestAndWaitsUntilTheyAreGone() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        let hollow = try await Self.registerHollowNode(client, prefix: "maint-")
        hollow.start()
        defer { hollow.stop() }
        let pods = ResourceCatalog.pods
        _ = try await client.create(pods, namespace: "default", object: Self.pod("web", node: "maint-0", controller: "ReplicaSet"))
        _ = try await client.create(pods, namespace: "default", object: Self.pod("agent", node: "maint-0", controller: "DaemonSet"))
        _ = try await client.create(pods, namespace: "default", object: Self.pod("elsewhere", node: "other", controller: "ReplicaSet"))

        let refused = Output()
        #expect(await DroverCLI.run(["drain", "maint-0"], context: refused.context(client)) == 1)
        #expect(refused.all.contains("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/agent"))
        #expect(try await client.getIfPresent(pods, namespace: "default", name: "web") != nil)   // nothing evicted

        let drained = Output()
        #expect(await DroverCLI.run(["drain", "maint-0", "--ignore-daemonsets", "--timeout", "60"], context: drained.context(client)) == 0)
        #expect(drained.all.contains("node/maint-0 already cordoned"))
        #expect(drained.all.contains("Warning: ignoring DaemonSet-managed Pods: default/agent"))
        #expect(drained.all.contains("evicting pod default/web\n"))
        #expect(drained.all.hasSuffix("pod/web evicted\nnode/maint-0 drained\n"))
        #expect(try await client.getIfPresent(pods, namespace: "default", name: "web") == nil)
        #expect(try await client.getIfPresent(pods, namespace: "default", name: "agent") != nil)
        #expect(try await client.getIfPresent(pods, namespace: "default", name: "elsewhere") != nil)
        let node = try await client.get(ResourceCatalog.nodes, namespace: nil, name: "maint-0")
        #expect(node.value(at: ["spec", "unschedulable"]) == true)
    }

    @Test func drainGivesUpWhenADisruptionBudgetNeverAllowsTheEviction() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        let hollow = try await Self.registerHollowNode(client, prefix: "guarded-")
        var pod = Self.pod("web", node: "guarded-0", controller: "ReplicaSet")
        pod.setValue(["app": "web"], at: ["metadata", "labels"])
        var created = try await client.create(ResourceCatalog.pods, namespace: "default", object: pod)
        created["status"] = ["phase": "Running", "conditions": [["type": "Ready", "status": "True"]]]
        _ = try await client.updateStatus(ResourceCatalog.pods, namespace: "default", object: created)
        // Started only now: a running hollow node reports the pod's status itself, and its write
        // would race the one above (409 Conflict on a stale resourceVersion).
        hollow.start()
        defer { hollow.stop() }
        // A budget that allows nothing (no controller runs here to recompute it).
        var budget = try await client.create(ResourceCatalog.podDisruptionBudgets, namespace: "default", object: [
            "apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": "web"],
            "spec": ["minAvailable": 1, "selector": ["matchLabels": ["app": "web"]]]])
        budget["status"] = ["observedGeneration": 1, "disruptionsAllowed": 0, "currentHealthy": 1, "desiredHealthy": 1, "expectedPods": 1]
        _ = try await client.updateStatus(ResourceCatalog.podDisruptionBudgets, namespace: "default", object: budget)

        let refused = Output()
        #expect(await DroverCLI.run(["drain", "guarded-0", "--timeout", "2"], context: refused.context(client)) == 1)
        #expect(refused.all.contains("""
            error when evicting pods/"web" -n "default" (will retry after 1s): Cannot evict pod as it would violate the pod's disruption budget.
            """), "\(refused.all)")
        #expect(refused.all.hasSuffix("error: drain did not complete within 2s\n"), "\(refused.all)")
        #expect(try await client.get(ResourceCatalog.pods, namespace: "default", name: "web").value(at: ["metadata", "deletionTimestamp"]) == nil)
    }

    @Test func aCordonedNodeTakesNoNewPodsUntilItIsUncordoned() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        _ = try await Self.registerHollowNode(client, prefix: "only-")
        let context = CommandContext(out: { _ in }, err: { _ in }, readFile: { _ in [] }, makeClient: { _ in client })
        #expect(await DroverCLI.run(["cordon", "only-0"], context: context) == 0)
        // Started after the cordon, so its first list already shows it: a scheduler that has not
        // seen a cordon yet may still place a pod there (upstream's too).
        let scheduler = Scheduler(client: client)
        scheduler.start()
        defer { scheduler.stop() }
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "waiting"],
                              "spec": ["containers": [["name": "main", "image": "busybox"]]]]
        _ = try await client.create(ResourceCatalog.pods, namespace: "default", object: pod)
        let scheduled = { () async throws -> JSONValue? in
            try await client.get(ResourceCatalog.pods, namespace: "default", name: "waiting")
                .value(at: ["status", "conditions"])?.array?.first { $0["type"] == "PodScheduled" }
        }
        let refused = try await eventually { try await scheduled()?["status"] == "False" ? try await scheduled() : nil }
        #expect(refused?["reason"] == "Unschedulable")
        #expect(refused?["message"] == "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.")

        #expect(await DroverCLI.run(["uncordon", "only-0"], context: context) == 0)
        #expect(try await eventually {
            try await client.get(ResourceCatalog.pods, namespace: "default", name: "waiting").value(at: ["spec", "nodeName"]) == "only-0"
        })
    }
}
