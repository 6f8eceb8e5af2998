import Client
import Foundation
import Model
import Testing
import TestSupport

/// The DaemonSet controller on a real `drover up`: one `sleep` pod on its node, one more on a
/// second `drover agent` started later; `drover set image` rolls out one node at a time (watched:
/// never both nodes without a ready pod); `rollout history` and `rollout undo` go through the
/// ControllerRevisions (revision 1 comes back as 3); a deleted Node loses its pod; and the real
/// kubectl (when present) runs rollout status/history/undo against the same DaemonSet.
@Suite(.serialized) struct DaemonSetEndToEndTests {
    static let second = "ds-second"

    static let manifest = """
    apiVersion: apps/v1
    kind: DaemonSet
    metadata:
      name: agent
    spec:
      selector:
        matchLabels: {app: agent}
      template:
        metadata:
          labels: {app: agent}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: busybox:1
            command: ["sleep", "600"]
    """

    @Test func aDaemonSetRunsOnEveryNodeRollsOutAndRollsBack() async throws {
        try await offCooperativePool {
            let up = try DroverUp()
            defer { up.stop(); up.removeData() }
            let client = try HTTPAPIClient(server: up.server, token: up.token)
            try await run(up, client)
        }
    }

    func run(_ up: DroverUp, _ client: HTTPAPIClient) async throws {
        let file = "\(up.dataDir)/ds.yaml"
        try Self.manifest.write(toFile: file, atomically: true, encoding: .utf8)
        let applied = try up.cli(["apply", "-f", file])
        #expect(applied.status == 0, "\(applied.output)")
        let one = try await eventually(within: 60) { () -> [String]? in
            let nodes = try await Self.readyPodNodes(client)
            return nodes.count == 1 ? nodes : nil
        }
        #expect(one != nil, "no daemon pod became ready:\n\(up.logText)")

        // A node joining gets its pod.
        let agent = try up.startAgent(name: Self.second)
        defer {
            agent.interrupt()
            agent.waitUntilExit()
        }
        let both = try await eventually(within: 60) { () -> [String]? in
            let nodes = try await Self.readyPodNodes(client)
            return nodes.count == 2 ? nodes : nil
        }
        #expect(both?.contains(Self.second) == true, "the second node got no pod:\n\(up.logText)")
        let status = try up.cli(["rollout", "status", "daemonset/agent", "--timeout", "60s"])
        #expect(status.status == 0 && status.output.contains("daemon set \"agent\" successfully rolled out"), "\(status.output)")
        let firstHash = try await Self.hashes(client).first

        // A new image rolls out node by node: at no watched moment are both nodes without a ready pod.
        let watched = WatchedPods()
        let watch = watched.follow(client, labelSelector: "app=agent")
        defer { watch.cancel() }
        let seen = await eventually(within: 30) { () -> Bool? in watched.current.ready == 2 ? true : nil }
        #expect(seen == true)
        watched.startBounds()
        let set = try up.cli(["set", "image", "daemonset/agent", "main=busybox:2"])
        #expect(set.status == 0, "\(set.output)")
        let rolled = try up.cli(["rollout", "status", "daemonset/agent", "--timeout", "90s"])
        #expect(rolled.status == 0 && rolled.output.contains("successfully rolled out"), "\(rolled.output)\n\(up.logText)")
        let bounds = watched.stopBounds()
        #expect(bounds.fewestReady >= 1, "saw \(bounds.fewestReady) ready pods")
        let secondHashes = try await Self.hashes(client)
        #expect(secondHashes.count == 1 && secondHashes.first != firstHash)
        let history = try up.cli(["rollout", "history", "daemonset/agent"])
        #expect(history.output.contains("REVISION") && history.output.contains("\n1 ") && history.output.contains("\n2 "), "\(history.output)")

        // Undo: the first template's revision comes back, numbered 3.
        let undo = try up.cli(["rollout", "undo", "daemonset/agent"])
        #expect(undo.status == 0 && undo.output.contains("daemonset.apps/agent rolled back"), "\(undo.output)")
        let back = try up.cli(["rollout", "status", "daemonset/agent", "--timeout", "90s"])
        #expect(back.status == 0, "\(back.output)\n\(up.logText)")
        let restored = try await eventually(within: 30) { () -> [String]? in
            let hashes = try await Self.hashes(client)
            return hashes == [firstHash].compactMap { $0 } ? hashes : nil
        }
        #expect(restored != nil)
        let revisions = try await client.list(ResourceCatalog.controllerRevisions, namespace: "default").items
        #expect(revisions.map { $0["revision"]?.int ?? 0 }.sorted() == [2, 3])

        if KubectlTests.kubectl != nil { try kubectlVerbs(up) }

        // The second node goes away: its pod goes with it.
        agent.interrupt()
        agent.waitUntilExit()
        _ = try await client.delete(ResourceCatalog.nodes, namespace: nil, name: Self.second)
        let left = try await eventually(within: 30) { () -> Bool? in
            let pods = try await client.list(ResourceCatalog.pods, namespace: "default").items.map(PodView.init)
            return pods.count == 1 && pods.allSatisfy { $0.nodeName != Self.second } ? true : nil
        }
        #expect(left == true, "\(up.logText)")
        let ds = DaemonSetView(try await client.get(ResourceCatalog.daemonSets, namespace: "default", name: "agent"))
        let settled = try await eventually(within: 30) { () -> Bool? in
            let ds = DaemonSetView(try await client.get(ResourceCatalog.daemonSets, namespace: "default", name: "agent"))
            return ds.desiredNumberScheduled == 1 && ds.numberAvailable == 1 ? true : nil
        }
        #expect(settled == true, "\(ds.object)")
    }

    /// kubectl's own DaemonSet viewers and rollbacker against Drover's ControllerRevisions.
    func kubectlVerbs(_ up: DroverUp) throws {
        let kubectl = try KubectlTests.session(for: up)
        let get = try kubectl(["get", "controllerrevisions"])
        #expect(get.status == 0 && get.output.contains("CONTROLLER") && get.output.contains("daemonset.apps/agent"), "\(get.output)")
        let history = try kubectl(["rollout", "history", "ds/agent"])
        #expect(history.status == 0 && history.output.contains("REVISION  CHANGE-CAUSE"), "\(history.output)")
        let undo = try kubectl(["rollout", "undo", "ds/agent"])
        #expect(undo.status == 0 && undo.output.contains("rolled back"), "\(undo.output)")
        let status = try kubectl(["rollout", "status", "ds/agent", "--timeout=90s"])
        #expect(status.status == 0 && status.output.contains("successfully rolled out"), "\(status.output)")
        let describe = try kubectl(["describe", "ds", "agent"])
        #expect(describe.status == 0 && describe.output.contains("Desired Number of Nodes Scheduled: 2"), "\(describe.output)")
    }

    /// The nodes of the DaemonSet's ready pods (not being deleted).
    static func readyPodNodes(_ client: HTTPAPIClient) async throws -> [String] {
        try await client.list(ResourceCatalog.pods, namespace: "default", options: ListOptions(labelSelector: "app=agent")).items
            .map(PodView.init).filter { $0.isReady && !$0.isDeleting }.compactMap(\.nodeName).sorted()
    }

    /// The distinct revision hashes of the live pods.
    static func hashes(_ client: HTTPAPIClient) async throws -> [String] {
        let pods = try await client.list(ResourceCatalog.pods, namespace: "default", options: ListOptions(labelSelector: "app=agent")).items
        return Array(Set(pods.map(PodView.init).filter { !$0.isDeleting }.compactMap { $0.labels["controller-revision-hash"] })).sorted()
    }
}
