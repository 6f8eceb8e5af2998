import Agent
import Client
import Foundation
import Model
import Testing
import TestSupport

@Suite struct AgentRunTests {
    @Test func theAgentRegistersWatchesItsPodsRunsThemAndRelistsAfterExpiry() async throws {
        let client = FakeAPIClient()
        let clock = ManualClock()
        let runtime = FakeProcessRuntime(clock: clock)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("agent-run-\(UUID().uuidString)").path
        let configuration = AgentConfiguration(nodeName: "node-1", dataDirectory: directory, nodeIP: "127.0.0.1",
                                               logListenHost: "127.0.0.1")
        let agent = Agent(configuration: configuration, client: client, runtime: runtime, probes: FakeProbeExecutor(),
                          facts: MachineFacts.read(), log: { _ in })
        let running = Task { try await agent.run() }
        defer { running.cancel() }
        #expect(await eventually { client.object(ResourceCatalog.nodes, namespace: nil, name: "node-1") != nil })

        _ = try await client.create(ResourceCatalog.pods, namespace: "default",
                                    object: PodHarness.pod("p", containers: [PodHarness.container("main", "server")]))
        _ = try await client.create(ResourceCatalog.pods, namespace: "default",
                                    object: ["metadata": ["name": "elsewhere"], "spec": ["nodeName": "node-2", "containers": [["name": "c", "command": ["x"]]]]])
        #expect(await eventually {
            client.object(ResourceCatalog.pods, namespace: "default", name: "p")?.value(at: ["status", "phase"]) == "Running"
        })
        #expect(runtime.started.count == 1)

        client.endWatches(throwing: ClientError.watchExpired(StatusError.expired("too old")))
        _ = try await client.create(ResourceCatalog.pods, namespace: "default",
                                    object: PodHarness.pod("q", containers: [PodHarness.container("main", "server")]))
        #expect(await eventually { runtime.started.count == 2 })
    }
}
