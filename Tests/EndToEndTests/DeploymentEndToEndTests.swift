import Client
import Foundation
import Model
import Testing
import TestSupport

/// The ReplicaSet and Deployment controllers of one real `drover up` with the real kubectl:
/// a Deployment of `sleep 600` processes becomes available, a template change rolls out within
/// maxSurge / maxUnavailable (watched), `rollout undo` restores the first template as revision 3,
/// `kubectl scale` goes to 5 and back to 2, pause/resume/restart behave, and a rollout that cannot become ready fails after its
/// progress deadline.
@Suite(.serialized) struct DeploymentEndToEndTests {
    static let deployment = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 3
      selector:
        matchLabels: {app: web}
      strategy:
        rollingUpdate: {maxSurge: 1, maxUnavailable: 1}
      template:
        metadata:
          labels: {app: web}
        spec:
          terminationGracePeriodSeconds: 2
          containers:
          - name: main
            image: busybox:1
            command: ["sleep", "600"]
    """

    @Test(.enabled(if: KubectlTests.kubectl != nil, "kubectl is not on the PATH"))
    func aDeploymentRollsOutWithinItsBoundsRollsBackAndScales() async throws {
        try await offCooperativePool {
            let up = try DroverUp()
            defer { up.stop(); up.removeData() }
            let client = try HTTPAPIClient(server: up.server, token: up.token)
            try await run(up, client)
        }
    }

    func run(_ up: DroverUp, _ client: HTTPAPIClient) async throws {
        let kubectl = try KubectlTests.session(for: up)
        let pods = WatchedPods()
        let watch = pods.follow(client, labelSelector: "app=web")
        defer { watch.cancel() }
        let file = "\(up.dataDir)/web.yaml"
        try Self.deployment.write(toFile: file, atomically: true, encoding: .utf8)
        let created = try kubectl(["create", "-f", file])
        #expect(created.output.contains("deployment.apps/web created"), "\(created.output)")
        let first = try kubectl(["rollout", "status", "deployment/web", "--timeout=90s"])
        #expect(first.status == 0 && first.output.contains("successfully rolled out"), "\(first.output)\n\(up.logText)")
        // The test's own pod watch may trail the status rollout status read.
        #expect(await eventually(within: 10) { pods.current.ready == 3 }, "ready \(pods.current)")
        let firstSet = try #require(try await Self.replicaSets(client).first?.name)

        // A template change: never more than 3 + 1 live pods, never fewer than 3 − 1 ready.
        pods.startBounds()
        let set = try kubectl(["set", "image", "deployment/web", "main=busybox:2"])
        #expect(set.status == 0, "\(set.output)")
        let second = try kubectl(["rollout", "status", "deployment/web", "--timeout=90s"])
        #expect(second.status == 0 && second.output.contains("successfully rolled out"), "\(second.output)\n\(up.logText)")
        let bounds = pods.stopBounds()
        #expect(bounds.mostLive <= 4, "saw \(bounds.mostLive) live pods")
        #expect(bounds.fewestReady >= 2, "saw only \(bounds.fewestReady) ready pods")
        // First the first ReplicaSet (creation times have one-second resolution: order by name).
        var sets = try await Self.replicaSets(client, first: firstSet)
        #expect(sets.map(\.replicas) == [0, 3])
        #expect(sets.map(Self.revision) == [1, 2])

        // rollout undo: the first ReplicaSet comes back as revision 3; no third one is made.
        let undo = try kubectl(["rollout", "undo", "deployment/web"])
        #expect(undo.status == 0 && undo.output.contains("rolled back"), "\(undo.output)")
        let third = try kubectl(["rollout", "status", "deployment/web", "--timeout=90s"])
        #expect(third.status == 0, "\(third.output)\n\(up.logText)")
        sets = try await Self.replicaSets(client, first: firstSet)
        #expect(sets.count == 2)
        #expect(sets.map(Self.revision) == [3, 2])
        #expect(sets.map(\.replicas) == [3, 0])
        let image = try kubectl(["get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])
        #expect(image.output == "busybox:1")
        let history = try kubectl(["rollout", "history", "deployment/web"])
        #expect(history.output.contains("2 ") && history.output.contains("3 "), "\(history.output)")
        let revision2 = try kubectl(["rollout", "history", "deployment/web", "--revision=2"])
        #expect(revision2.output.contains("busybox:2"), "\(revision2.output)")
        let annotation = try kubectl(["get", "deployment", "web", "-o", #"jsonpath={.metadata.annotations.deployment\.kubernetes\.io/revision}"#])
        #expect(annotation.output == "3", "\(annotation.output)")

        // kubectl scale through the scale subresource.
        #expect(try kubectl(["scale", "deployment/web", "--replicas", "5"]).status == 0)
        let five = try kubectl(["rollout", "status", "deployment/web", "--timeout=90s"])
        #expect(five.status == 0, "\(five.output)")
        #expect(await eventually(within: 10) { pods.current.ready == 5 }, "ready \(pods.current)")
        #expect(try kubectl(["scale", "deployment/web", "--replicas", "2"]).status == 0)
        let two = try await eventually(within: 60) { () -> Bool? in
            let d = DeploymentView(try await client.get(ResourceCatalog.deployments, namespace: "default", name: "web"))
            return d.statusReplicas == 2 && d.availableReplicas == 2 && pods.current.live == 2 ? true : nil
        }
        #expect(two == true, "\(pods.current)\n\(up.logText)")

        // Paused, a template change waits; resumed, it rolls out; restart rolls out once more.
        #expect(try kubectl(["rollout", "pause", "deployment/web"]).status == 0)
        #expect(try kubectl(["set", "image", "deployment/web", "main=busybox:3"]).status == 0)
        try await Task.sleep(nanoseconds: 1_000_000_000)
        #expect(try await Self.replicaSets(client).count == 2, "no rollout while paused")
        #expect(try kubectl(["rollout", "resume", "deployment/web"]).status == 0)
        #expect(try kubectl(["rollout", "status", "deployment/web", "--timeout=90s"]).status == 0)
        #expect(try kubectl(["rollout", "restart", "deployment/web"]).status == 0)
        let restarted = try kubectl(["rollout", "status", "deployment/web", "--timeout=90s"])
        #expect(restarted.status == 0, "\(restarted.output)")
        sets = try await Self.replicaSets(client)
        let latest = sets.max { Self.revision($0) < Self.revision($1) }
        #expect(sets.count == 4 && latest.map(Self.revision) == 5, "\(sets.map(\.name))")
        #expect(latest?.template["metadata"]?["annotations"]?["kubectl.kubernetes.io/restartedAt"] != nil)
        #expect(latest?.replicas == 2 && sets.filter { $0.replicas > 0 }.count == 1)

        // A rollout whose pods never become ready fails rollout status after its deadline.
        let stuck = #"{"spec":{"progressDeadlineSeconds":4,"template":{"spec":{"containers":[{"name":"main","readinessProbe":{"exec":{"command":["false"]},"periodSeconds":1}}]}}}}"#
        #expect(try kubectl(["patch", "deployment", "web", "--type=strategic", "-p", stuck]).status == 0)
        let failed = try kubectl(["rollout", "status", "deployment/web", "--timeout=60s"])
        #expect(failed.status != 0 && failed.output.contains("exceeded its progress deadline"), "\(failed.output)")
        let progressing = DeploymentView(try await client.get(ResourceCatalog.deployments, namespace: "default", name: "web"))
            .condition("Progressing")
        #expect(progressing?.status == "False" && progressing?.reason == "ProgressDeadlineExceeded")
        #expect(pods.current.ready >= 1, "maxUnavailable 1 of 2 keeps one old pod ready")

        // Deleting the Deployment takes its ReplicaSets and their pods with it (the garbage collector).
        #expect(try kubectl(["delete", "deployment", "web"]).status == 0)
        let gone = try await eventually(within: 60) { () -> Bool? in
            let left = try await client.list(ResourceCatalog.replicaSets, namespace: "default").items.count
            return left == 0 && pods.current.live == 0 ? true : nil
        }
        #expect(gone == true, "\(pods.current)")
    }

    /// The Deployment's ReplicaSets: the one named `first` first, then by creation.
    static func replicaSets(_ client: HTTPAPIClient, first: String = "") async throws -> [ReplicaSetView] {
        try await client.list(ResourceCatalog.replicaSets, namespace: "default").items.map(ReplicaSetView.init)
            .sorted { ($0.name != first ? 1 : 0, $0.creationTimestamp ?? .distantPast, $0.name)
                < ($1.name != first ? 1 : 0, $1.creationTimestamp ?? .distantPast, $1.name) }
    }

    static func revision(_ rs: ReplicaSetView) -> Int { Int(rs.annotations[DeploymentView.revisionAnnotation] ?? "") ?? 0 }
}

/// The pods a watch shows: live (not finished, not being deleted) and ready, and the extremes
/// seen while bounds are tracked.
final class WatchedPods: @unchecked Sendable {
    private let lock = NSLock()
    private var pods: [String: PodView] = [:]
    private var tracking = false
    private var mostLive = 0
    private var fewestReady = Int.max

    /// Applies every event of a watch of the default namespace's pods matching `labelSelector`
    /// until the returned task is cancelled.
    func follow(_ client: HTTPAPIClient, labelSelector: String) -> Task<Void, any Error> {
        Task {
            for try await event in client.watch(ResourceCatalog.pods, namespace: "default", options: WatchOptions(labelSelector: labelSelector)) {
                apply(event)
            }
        }
    }

    func apply(_ event: WatchEvent) {
        let pod = PodView(event.object)
        lock.withLock {
            if event.type == .deleted { pods[pod.name] = nil } else if event.type == .added || event.type == .modified { pods[pod.name] = pod }
            guard tracking else { return }
            let now = counts
            mostLive = max(mostLive, now.live)
            fewestReady = min(fewestReady, now.ready)
        }
    }

    private var counts: (live: Int, ready: Int) {
        let live = pods.values.filter(\.isActive)
        return (live.count, live.filter(\.isReady).count)
    }

    var current: (live: Int, ready: Int) { lock.withLock { counts } }

    func startBounds() {
        lock.withLock {
            tracking = true
            mostLive = counts.live
            fewestReady = counts.ready
        }
    }

    func stopBounds() -> (mostLive: Int, fewestReady: Int) {
        lock.withLock {
            tracking = false
            return (mostLive, fewestReady)
        }
    }
}
