import Agent
import APIServer
import Client
import Foundation
import HTTP
import Model
import Store
import Testing
import TestSupport

/// The agent against the real API server over HTTP (MemoryStore), with simulated processes:
/// what it writes must pass the server's admission and status handling.
@Suite struct AgentOverAPITests {
    @Test func aPodRunsSucceedsServesLogsAndIsDeletedGracefully() async throws {
        let api = try APIServer(configuration: APIServerConfiguration(store: MemoryStore(), agentToken: "agent-secret"))
        let http = try HTTPServer(configuration: HTTPServerConfiguration(port: 0, workerThreads: 8), handler: api, log: { _ in })
        defer { http.stop(); api.shutdown() }
        let client = try HTTPAPIClient(server: "http://127.0.0.1:\(http.port)", token: nil)
        let clock = ManualClock()
        let runtime = FakeProcessRuntime(clock: clock)
        runtime.exitOnStop = false
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("agent-api-\(UUID().uuidString)").path
        let agent = Agent(configuration: AgentConfiguration(nodeName: "node-1", dataDirectory: directory, nodeIP: "127.0.0.1",
                                                            logListenHost: "127.0.0.1", logToken: "agent-secret"),
                          client: client, runtime: runtime, probes: FakeProbeExecutor(), log: { _ in })
        let running = Task { try await agent.run() }
        defer { running.cancel() }
        #expect(await eventually { await get(client, ResourceCatalog.nodes, nil, "node-1") != nil })

        var pod = PodHarness.pod("web", containers: [PodHarness.container("main", "server")], restartPolicy: "Never")
        pod.setValue(nil, at: ["status"])
        pod.setValue(5, at: ["spec", "terminationGracePeriodSeconds"])
        _ = try await client.create(ResourceCatalog.pods, namespace: "default", object: pod)
        #expect(await eventually { runtime.started.count == 1 })
        let spec = try #require(runtime.started.first)
        try "hello from web\n".write(toFile: spec.logPath, atomically: false, encoding: .utf8)
        #expect(await eventually { await get(client, ResourceCatalog.pods, "default", "web")?.value(at: ["status", "phase"]) == "Running" })

        let logs = try await client.raw(RawRequest(path: "/api/v1/namespaces/default/pods/web/log")).checked()
        #expect(logs.text == "hello from web\n")

        _ = try await client.delete(ResourceCatalog.pods, namespace: "default", name: "web")
        #expect(await eventually { runtime.stopped.map(\.grace) == [5] })
        #expect(runtime.stopped.map(\.grace) == [5])
        runtime.exit(spec.id, code: 143, signal: 15)
        #expect(await eventually { await get(client, ResourceCatalog.pods, "default", "web") == nil })
        let events = try await client.list(ResourceCatalog.events, namespace: "default")
        #expect(events.items.contains { $0["reason"] == "Started" })
    }

    @Test func aQuietAgentRenewsItsLeaseAndLeavesItsNodeAlone() async throws {
        let api = try APIServer(configuration: APIServerConfiguration(store: MemoryStore()))
        let http = try HTTPServer(configuration: HTTPServerConfiguration(port: 0, workerThreads: 8), handler: api, log: { _ in })
        defer { http.stop(); api.shutdown() }
        let client = try HTTPAPIClient(server: "http://127.0.0.1:\(http.port)", token: nil)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("agent-lease-\(UUID().uuidString)").path
        let agent = Agent(configuration: AgentConfiguration(nodeName: "node-1", dataDirectory: directory, heartbeatInterval: 0.2,
                                                            nodeIP: "127.0.0.1", logListenHost: "127.0.0.1"),
                          client: client, runtime: FakeProcessRuntime(clock: ManualClock()), probes: FakeProbeExecutor(), log: { _ in })
        let running = Task { try await agent.run() }
        defer { running.cancel() }
        let lease = { await self.get(client, ResourceCatalog.leases, NodeLease.namespace, "node-1").map(LeaseView.init) }
        let first = try #require(await eventually { await lease()?.renewTimeText })
        let node = try #require(await get(client, ResourceCatalog.nodes, nil, "node-1"))
        // Heartbeats go on…
        #expect(await eventually { await lease()?.renewTimeText.map { $0 != first } ?? false })
        #expect(await lease()?.metadata.ownerReferences.first?.uid == ObjectMetaView(node["metadata"]).uid)
        try await Task.sleep(nanoseconds: 1_000_000_000)
        // …and the Node, whose status the server took as the agent wrote it, is not written again.
        let later = try #require(await get(client, ResourceCatalog.nodes, nil, "node-1"))
        #expect(ObjectMetaView(later["metadata"]).resourceVersion == ObjectMetaView(node["metadata"]).resourceVersion)
    }

    private func get(_ client: HTTPAPIClient, _ resource: ResourceInfo, _ namespace: String?, _ name: String) async -> JSONValue? {
        (try? await client.getIfPresent(resource, namespace: namespace, name: name)) ?? nil
    }
}
