import Client
import Foundation
import Model
import Testing
import TestSupport
@testable import CLI

/// `drover sim nodes` against the real API server over real PostgreSQL: hollow nodes register
/// Ready with their capacity, and report the pods bound to them Running and Ready, then Succeeded
/// for run-to-completion pods, without running anything; unbound pods are left alone.
@Suite(.serialized) struct HollowNodesTests {
    @Test func hollowNodesRegisterAndReportTheirBoundPods() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        let hollow = HollowNodes(client: client, settings: .init(count: 3, prefix: "hollow-", cpu: "4", memory: "8Gi", pods: 20,
                                                                 labels: ["tier": "sim"], runSeconds: 0.3))
        try await hollow.register()
        hollow.start()
        defer { hollow.stop() }

        let nodes = try await client.list(ResourceCatalog.nodes, namespace: nil).items
        #expect(nodes.compactMap { $0.value(at: ["metadata", "name"])?.string }.sorted() == ["hollow-0", "hollow-1", "hollow-2"])
        for node in nodes {
            #expect(node.value(at: ["status", "allocatable", "cpu"]) == "4")
            #expect(node.value(at: ["status", "allocatable", "pods"]) == "20")
            #expect(node.value(at: ["metadata", "labels", "tier"]) == "sim")
            let ready = node.value(at: ["status", "conditions"])?.array?.first { $0["type"] == "Ready" }
            #expect(ready?["status"] == "True")
        }

        let pods = ResourceCatalog.pods
        func pod(_ name: String, node: String?, policy: String) -> JSONValue {
            var spec: JSONValue = ["restartPolicy": .string(policy), "containers": [["name": "main", "image": "busybox"]]]
            if let node { spec["nodeName"] = .string(node) }
            return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": spec]
        }
        _ = try await client.create(pods, namespace: "default", object: pod("service", node: "hollow-1", policy: "Always"))
        _ = try await client.create(pods, namespace: "default", object: pod("batch", node: "hollow-2", policy: "Never"))
        _ = try await client.create(pods, namespace: "default", object: pod("pending", node: nil, policy: "Never"))
        _ = try await client.create(pods, namespace: "default", object: pod("elsewhere", node: "real-node", policy: "Never"))

        let phase = { (name: String) async throws -> String? in
            try await client.get(pods, namespace: "default", name: name).value(at: ["status", "phase"])?.string
        }
        #expect(try await eventually(within: 20) { try await phase("service") == "Running" })
        #expect(try await eventually(within: 20) { try await phase("batch") == "Succeeded" })
        let service = try await client.get(pods, namespace: "default", name: "service")
        #expect(service.value(at: ["status", "containerStatuses"])?.array?.first?["ready"] == true)
        #expect(service.value(at: ["status", "containerStatuses"])?.array?.first?.value(at: ["state", "running", "startedAt"]) != nil)
        let batch = try await client.get(pods, namespace: "default", name: "batch")
        #expect(batch.value(at: ["status", "containerStatuses"])?.array?.first?.value(at: ["state", "terminated", "reason"]) == "Completed")
        // Pods not bound to a hollow node are none of its business.
        #expect(try await phase("pending") != "Running")
        #expect(try await phase("elsewhere") != "Running")
        #expect(hollow.reported == 2)
    }

    @Test func aPodThatRunsForZeroSecondsIsReportedOnceSucceeded() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        let hollow = HollowNodes(client: client, settings: .init(count: 1, prefix: "zero-", cpu: "4", memory: "8Gi", pods: 20,
                                                                 labels: [:], runSeconds: 0))
        try await hollow.register()
        hollow.start()
        defer { hollow.stop() }
        let pods = ResourceCatalog.pods
        _ = try await client.create(pods, namespace: "default", object: [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "quick"],
            "spec": ["restartPolicy": "Never", "nodeName": "zero-0", "containers": [["name": "main", "image": "busybox"]]]])
        #expect(try await eventually(within: 20) {
            try await client.get(pods, namespace: "default", name: "quick").value(at: ["status", "phase"]) == "Succeeded"
        })
        let quick = try await client.get(pods, namespace: "default", name: "quick")
        #expect(quick.value(at: ["status", "startTime"]) != nil)
        #expect(quick.value(at: ["status", "containerStatuses"])?.array?.first?.value(at: ["state", "terminated", "exitCode"]) == 0)
        // One report: the finished state, never a Running one first.
        #expect(hollow.reported == 0)
        #expect(hollow.succeeded == 1)
    }

    @Test func hollowNodesHeartbeatThroughLeasesAndTheFailingOnesGoDark() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        let hollow = HollowNodes(client: client, settings: .init(count: 3, prefix: "dark-", cpu: "4", memory: "8Gi", pods: 20,
                                                                 labels: [:], failing: 1, failAfter: 0))
        try await hollow.register()
        let leases = try await client.list(ResourceCatalog.leases, namespace: NodeLease.namespace).items.map(LeaseView.init)
        #expect(leases.map(\.name).sorted() == ["dark-0", "dark-1", "dark-2"])
        #expect(leases.allSatisfy { $0.holderIdentity == $0.name && $0.leaseDurationSeconds == 40 && $0.renewTime != nil })
        let node = try await client.get(ResourceCatalog.nodes, namespace: nil, name: "dark-0")
        #expect(leases.first { $0.name == "dark-0" }?.metadata.ownerReferences.first?.uid == ObjectMetaView(node["metadata"]).uid)
        hollow.start()
        defer { hollow.stop() }
        #expect(hollow.failingNames == ["dark-2"])
        #expect(await eventually(within: 20) { hollow.isDark("dark-2") && !hollow.isDark("dark-1") })
        // The node lifecycle controller's Unknown: a live node says Ready again, a dark one cannot.
        for name in ["dark-1", "dark-2"] {
            var node = try await client.get(ResourceCatalog.nodes, namespace: nil, name: name)
            var conditions = node.value(at: ["status", "conditions"])?.array ?? []
            conditions[0]["status"] = "Unknown"
            node.setValue(.array(conditions), at: ["status", "conditions"])
            _ = try await client.updateStatus(ResourceCatalog.nodes, namespace: nil, object: node)
        }
        let ready = { (name: String) async throws -> String? in
            NodeView(try await client.get(ResourceCatalog.nodes, namespace: nil, name: name)).readyStatus
        }
        #expect(try await eventually(within: 20) { try await ready("dark-1") == "True" })
        #expect(try await ready("dark-2") == "Unknown")
        // A dark node leaves its pods alone, deletions included: nobody finishes them.
        _ = try await client.create(ResourceCatalog.pods, namespace: "default", object: [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "stuck"],
            "spec": ["nodeName": "dark-2", "containers": [["name": "main", "image": "busybox"]]]])
        try await Task.sleep(nanoseconds: 1_500_000_000)
        let stuck = try await client.get(ResourceCatalog.pods, namespace: "default", name: "stuck")
        #expect(stuck.value(at: ["status", "phase"]) == "Pending")
    }
}
