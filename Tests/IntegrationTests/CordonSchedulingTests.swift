import Client
import Foundation
import Model
import Scheduler
import Testing
import TestSupport
@testable import CLI

/// `drover cordon` and `uncordon` against the real API server (real PostgreSQL) with the scheduler
/// running: a pod created while its only node is cordoned stays pending with the upstream reason,
/// and is bound once the node is uncordoned.
@Suite(.serialized) struct CordonSchedulingTests {
    @Test func aCordonedNodeTakesNoNewPodsUntilItIsUncordoned() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        let hollow = HollowNodes(client: client, settings: .init(count: 1, prefix: "only-", cpu: "4", memory: "8Gi", pods: 20,
                                                                 labels: [:], runSeconds: nil))
        try await hollow.register()
        let scheduler = Scheduler(client: client)
        scheduler.start()
        defer { scheduler.stop() }
        let context = CommandContext(out: { _ in }, err: { _ in }, readFile: { _ in [] }, makeClient: { _ in client })

        #expect(await DroverCLI.run(["cordon", "only-0"], context: context) == 0)
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "waiting"],
                              "spec": ["containers": [["name": "main", "image": "busybox"]]]]
        _ = try await client.create(ResourceCatalog.pods, namespace: "default", object: pod)
        let scheduled = { () async throws -> JSONValue? in
            try await client.get(ResourceCatalog.pods, namespace: "default", name: "waiting")
                .value(at: ["status", "conditions"])?.array?.first { $0["type"] == "PodScheduled" }
        }
        let refused = try await eventually { try await scheduled()?["status"] == "False" ? try await scheduled() : nil }
        #expect(refused?["reason"] == "Unschedulable")
        #expect(refused?["message"] == "0/1 nodes are available: 1 node(s) were unschedulable.")

        #expect(await DroverCLI.run(["uncordon", "only-0"], context: context) == 0)
        #expect(try await eventually {
            try await client.get(ResourceCatalog.pods, namespace: "default", name: "waiting").value(at: ["spec", "nodeName"]) == "only-0"
        })
    }
}
