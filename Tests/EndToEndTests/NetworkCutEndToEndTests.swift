import Client
import Foundation
import Model
import Testing
import TestSupport

/// The fault matrix's network row: a real `drover agent` in a network namespace of its own, joined
/// to the host by a veth pair and nothing else, reaching a real `drover server` at the veth's host
/// address. While a Job's pod runs there, the link is cut: the node goes Unknown after the grace
/// period; restored, the agent reconnects, the node is Ready again, and the pod — whose process
/// kept running — finishes the Job once, without a second pod. Needs root and iproute2.
@Suite(.serialized, .enabled(if: getuid() == 0 && DroverBinary.which("ip") != nil, "needs root and iproute2"))
struct NetworkCutEndToEndTests {
    /// A network namespace with a veth pair to the host, removed by `remove()`.
    struct IsolatedNetwork {
        let namespace: String
        let hostLink: String
        let hostAddress: String

        init() throws {
            let tag = String(getpid() % 100_000)
            namespace = "drover-cut-\(tag)"
            hostLink = "dvh\(tag)"
            let peer = "dvn\(tag)", subnet = "10.231.\(getpid() % 250)"
            hostAddress = "\(subnet).1"
            try Self.ip(["netns", "add", namespace])
            try Self.ip(["link", "add", hostLink, "type", "veth", "peer", "name", peer])
            try Self.ip(["link", "set", peer, "netns", namespace])
            try Self.ip(["addr", "add", "\(hostAddress)/30", "dev", hostLink])
            try Self.ip(["link", "set", hostLink, "up"])
            try Self.ip(["netns", "exec", namespace, "ip", "addr", "add", "\(subnet).2/30", "dev", peer])
            try Self.ip(["netns", "exec", namespace, "ip", "link", "set", peer, "up"])
            try Self.ip(["netns", "exec", namespace, "ip", "link", "set", "lo", "up"])
        }

        static func ip(_ arguments: [String]) throws {
            let (status, output) = try DroverBinary.run(DroverBinary.which("ip") ?? "/usr/sbin/ip", arguments)
            guard status == 0 else { throw E2EError("ip \(arguments.joined(separator: " ")): \(output)") }
        }

        func cut() throws { try Self.ip(["link", "set", hostLink, "down"]) }
        func restore() throws { try Self.ip(["link", "set", hostLink, "up"]) }

        func remove() {
            try? Self.ip(["link", "del", hostLink])
            try? Self.ip(["netns", "del", namespace])
        }
    }

    static let job = """
    {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "through-the-cut"},
     "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never", "terminationGracePeriodSeconds": 2,
              "containers": [{"name": "main", "image": "busybox", "command": ["sleep", "25"]}]}}}}
    """

    func readyStatus(_ client: HTTPAPIClient, _ node: String) async -> String? {
        (try? await client.get(ResourceCatalog.nodes, namespace: nil, name: node)).map(NodeView.init)?.readyStatus
    }

    @Test func anAgentCutOffFromTheServerGoesUnknownAndRecoversWithItsPodStillRunning() async throws {
        try await offCooperativePool {
            let network = try IsolatedNetwork()
            defer { network.remove() }
            let server = try DroverServerProcess(databaseURL: try TemporaryPostgres.createDatabase(), listen: "\(network.hostAddress):0",
                                                 arguments: ["--insecure-http", "--node-monitor-grace-period", "6s", "--node-monitor-period", "1s"])
            defer { server.stop() }
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("drover-cut-\(UUID().uuidString.prefix(8))").path
            defer { try? FileManager.default.removeItem(atPath: data) }
            let agent = Process()
            agent.executableURL = URL(fileURLWithPath: DroverBinary.which("ip") ?? "/usr/sbin/ip")
            agent.arguments = ["netns", "exec", network.namespace, DroverBinary.path, "agent", "--server", server.server,
                               "--name", "cut-node", "--data-dir", data, "--log-listen", "127.0.0.1:0", "--heartbeat", "1s"]
            let agentOutput = CollectedOutput(of: agent)
            try agent.run()
            agentOutput.startReading()
            defer {
                agent.interrupt()
                agent.waitUntilExit()
            }
            let client = try server.client()
            #expect(await eventually(within: 60) { await readyStatus(client, "cut-node") == "True" }, "\(agentOutput.text)")
            _ = try await JobEndToEndTests.create(client, Self.job)
            let running = await eventually(within: 60) { () async -> Bool in
                let pods = (try? await client.list(ResourceCatalog.pods, namespace: "default").items) ?? []
                return pods.contains { PodView($0).phase == "Running" }
            }
            #expect(running, "the pod did not start:\n\(agentOutput.text)")

            try network.cut()
            #expect(await eventually(within: 30) { await readyStatus(client, "cut-node") == "Unknown" }, "the cut node goes Unknown")
            try network.restore()
            #expect(await eventually(within: 60) { await readyStatus(client, "cut-node") == "True" },
                    "the node is Ready again:\n\(agentOutput.text.suffix(2000))")

            let complete = try await JobEndToEndTests.waitForCondition(client, "through-the-cut", "Complete", within: 90)
            #expect(complete?.value(at: ["status", "succeeded"])?.int == 1)
            let pods = try await client.list(ResourceCatalog.pods, namespace: "default").items.map(PodView.init)
            #expect(pods.count == 1, "one pod, not replaced")
            #expect(pods.first?.phase == "Succeeded")
        }
    }
}
