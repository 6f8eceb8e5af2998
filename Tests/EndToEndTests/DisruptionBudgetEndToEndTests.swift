import Client
import Foundation
import Model
import Testing
import TestSupport

/// A Deployment of 3 `sleep` processes guarded by a PodDisruptionBudget of minAvailable 2 on a
/// real `drover up` plus a second `drover agent`: `drover drain` of the node holding all three
/// evicts one, is refused (429) until its replacement is Ready on the other node, and finishes
/// with the Deployment never below 2 ready pods (watched); then the real kubectl (when present)
/// shows the budget's columns and drains the pods back the same way.
@Suite(.serialized) struct DisruptionBudgetEndToEndTests {
    static let second = "pdb-second"

    static let manifests = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 3
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          terminationGracePeriodSeconds: 2
          containers:
          - name: main
            image: busybox
            command: ["sleep", "600"]
    ---
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata:
      name: web
    spec:
      minAvailable: 2
      selector:
        matchLabels: {app: web}
    """

    @Test func drainEvictsWithinTheBudgetAndWaitsForReplacements() async throws {
        try await offCooperativePool {
            let up = try DroverUp()
            defer { up.stop(); up.removeData() }
            let agent = try up.startAgent(name: Self.second)
            defer {
                agent.interrupt()
                agent.waitUntilExit()
            }
            let client = try HTTPAPIClient(server: up.server, token: up.token)
            try await run(up, client)
        }
    }

    func run(_ up: DroverUp, _ client: HTTPAPIClient) async throws {
        let nodes = try #require(try await eventually(within: 60) { () -> [String]? in
            let names = try await client.list(ResourceCatalog.nodes, namespace: nil).items.map { ObjectMetaView($0["metadata"]).name }
            return names.count == 2 ? names : nil
        }, "the second agent never registered:\n\(up.logText)")
        let local = try #require(nodes.first { $0 != Self.second })

        // Every pod on the local node first, so the drain has all three to move.
        #expect(try up.cli(["cordon", Self.second]).status == 0)
        let pods = WatchedPods()
        let watch = pods.follow(client, labelSelector: "app=web")
        defer { watch.cancel() }
        let file = "\(up.dataDir)/web.yaml"
        try Self.manifests.write(toFile: file, atomically: true, encoding: .utf8)
        let applied = try up.cli(["apply", "-f", file])
        #expect(applied.status == 0, "\(applied.output)")
        let allowed = try await eventually(within: 90) { () -> Bool? in
            let pdb = PodDisruptionBudgetView(try await client.get(ResourceCatalog.podDisruptionBudgets, namespace: "default", name: "web"))
            return pods.current.ready == 3 && pdb.expectedPods == 3 && pdb.currentHealthy == 3 && pdb.disruptionsAllowed == 1 ? true : nil
        }
        #expect(allowed == true, "\(pods.current)\n\(up.logText)")
        #expect(try await nodesOfPods(client) == [local, local, local])
        #expect(try up.cli(["uncordon", Self.second]).status == 0)

        pods.startBounds()
        let drained = try up.cli(["drain", local, "--ignore-daemonsets", "--timeout", "240"])
        let bounds = pods.stopBounds()
        #expect(drained.status == 0, "\(drained.output)\n\(up.logText)")
        #expect(drained.output.contains("Cannot evict pod as it would violate the pod's disruption budget."), "\(drained.output)")
        #expect(drained.output.contains("node/\(local) drained"), "\(drained.output)")
        #expect(bounds.fewestReady >= 2, "saw only \(bounds.fewestReady) ready pods")
        let moved = try await eventually(within: 90) { () -> Bool? in
            try await nodesOfPods(client) == [Self.second, Self.second, Self.second] && pods.current.ready == 3 ? true : nil
        }
        #expect(moved == true, "\(pods.current)")

        guard KubectlTests.kubectl != nil else { return }
        let kubectl = try KubectlTests.session(for: up)
        // kubectl create pdb sends a protobuf body.
        let other = try kubectl(["create", "pdb", "other", "--selector=app=other", "--min-available=1"])
        #expect(other.output.contains("poddisruptionbudget.policy/other created"), "\(other.output)")
        let listed = try await eventually(within: 30) { () -> [String]? in
            let lines = try kubectl(["get", "pdb", "web"]).output.split(separator: "\n").map(String.init)
            return lines.count == 2 && lines[1].split(separator: " ").prefix(4) == ["web", "2", "N/A", "1"] ? lines : nil
        }
        #expect(listed?.first?.split(separator: " ", omittingEmptySubsequences: false).filter { !$0.isEmpty }.joined(separator: " ")
                == "NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE", "\(listed ?? [])")

        #expect(try up.cli(["uncordon", local]).status == 0)
        pods.startBounds()
        let back = try kubectl(["drain", Self.second, "--ignore-daemonsets", "--timeout=240s"])
        let kubectlBounds = pods.stopBounds()
        #expect(back.status == 0, "\(back.output)")
        #expect(back.output.contains("Cannot evict pod as it would violate the pod's disruption budget."), "\(back.output)")
        #expect(back.output.contains("node/\(Self.second) drained"), "\(back.output)")
        #expect(kubectlBounds.fewestReady >= 2, "saw only \(kubectlBounds.fewestReady) ready pods under kubectl drain")
    }

    /// The nodes of the live `app=web` pods, sorted.
    func nodesOfPods(_ client: HTTPAPIClient) async throws -> [String] {
        try await client.list(ResourceCatalog.pods, namespace: "default", options: ListOptions(labelSelector: "app=web")).items
            .map(PodView.init).filter(\.isActive).compactMap(\.nodeName).sorted()
    }
}
