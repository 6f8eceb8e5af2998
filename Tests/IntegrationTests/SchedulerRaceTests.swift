import Client
import Foundation
import Model
import Scheduler
import Scheduling
import Testing
import TestSupport

/// Two schedulers against the real API server over real PostgreSQL, racing for the same 1,000
/// pods on the same 20 nodes. The binding's compare-and-swap decides every race for a pod; the
/// server's capacity check refuses a binding that would overfill a node the other scheduler
/// filled meanwhile (each scheduler counts only its own placements), and the refused pod is
/// scheduled again.
@Suite(.serialized) struct SchedulerRaceTests {
    @Test func twoSchedulersNeverDoubleBindNorOvercommit() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        let nodes = ResourceCatalog.nodes, pods = ResourceCatalog.pods
        for i in 0..<20 {
            let resources: JSONValue = ["cpu": "6", "memory": "16Gi", "pods": "110"]
            let node: JSONValue = ["apiVersion": "v1", "kind": "Node",
                                   "metadata": ["name": .string("node-\(i)")]]
            var stored = try await client.create(nodes, namespace: nil, object: node)
            stored["status"] = ["capacity": resources, "allocatable": resources, "conditions": [["type": "Ready", "status": "True"]]]
            _ = try await client.updateStatus(nodes, namespace: nil, object: stored)
        }
        // Small batches keep many bindings in flight from both sides, so their races are frequent.
        let schedulers = try (0..<2).map { _ in
            Scheduler(client: try server.client(), options: SchedulerOptions(bindBatchSize: 8, initialBackoff: 0.2, maximumBackoff: 1))
        }
        schedulers.forEach { $0.start() }
        defer { schedulers.forEach { $0.stop() } }

        // 1,000 pods of 50m/100m/150m CPU: 100 CPUs requested of the 120 there are, so nodes fill up.
        let count = 1000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for i in stride(from: worker, to: count, by: 16) {
                        let cpu = ["50m", "100m", "150m"][i % 3]
                        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string("p-\(i)")],
                                              "spec": ["containers": [["name": "main", "image": "busybox",
                                                                       "resources": ["requests": ["cpu": .string(cpu), "memory": "128Mi"]]]]]]
                        _ = try await client.create(pods, namespace: "default", object: pod)
                    }
                }
            }
            try await group.waitForAll()
        }

        var items: [JSONValue] = []
        let allBound = try await eventually(within: 180) {
            items = try await client.list(pods, namespace: "default").items
            return items.count == count && items.allSatisfy { !($0.value(at: ["spec", "nodeName"])?.string ?? "").isEmpty }
        }
        #expect(allBound)
        // The CAS lets exactly one binding per pod succeed.
        #expect(schedulers.map(\.currentStats.bound).reduce(0, +) == count)

        var requested: [String: ResourceAmounts] = [:]
        for pod in items {
            guard let node = pod.value(at: ["spec", "nodeName"])?.string else { continue }
            requested[node] = (requested[node] ?? ResourceAmounts()) + PodInfo(pod).requests
        }
        for node in try await client.list(nodes, namespace: nil).items {
            let info = NodeInfo(node)
            let used = requested[info.name] ?? ResourceAmounts()
            #expect(used.milliCPU <= info.allocatable.milliCPU, "node \(info.name) is overcommitted: \(used.milliCPU)m CPU requested")
            #expect(used.memory <= info.allocatable.memory)
            #expect(used.pods <= info.allocatable.pods)
        }
    }
}

