import Client
import Foundation
import Model
import Testing
import TestSupport

/// Node failure on the real binary: `drover up` (grace period 10 s) and a second `drover agent`
/// running a Deployment's pods and a Job's pod (tolerationSeconds 5 for unreachable). The agent is
/// SIGKILLed: its node becomes Unknown and tainted unreachable, its pods are evicted (the Job's
/// podFailurePolicy ignores the eviction) and replaced on `drover up`'s own node; restarted, the
/// agent gets its node untainted.
@Suite(.serialized) struct NodeLifecycleEndToEndTests {
    static let second = "e2e-second"
    static let tolerations = """
    [{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":5},
     {"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":5}]
    """
    static let deployment = """
    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
     "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
       "template":{"metadata":{"labels":{"app":"web"}},
         "spec":{"terminationGracePeriodSeconds":2,"tolerations":\(tolerations),
                 "containers":[{"name":"main","image":"busybox","command":["sleep","600"]}]}}}}
    """
    static let job = """
    {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"work"},
     "spec":{"backoffLimit":0,"podFailurePolicy":{"rules":[{"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget"}]}]},
       "template":{"spec":{"restartPolicy":"Never","terminationGracePeriodSeconds":2,"tolerations":\(tolerations),
                 "containers":[{"name":"main","image":"busybox","command":["sleep","600"]}]}}}}
    """

    @Test func aKilledAgentsPodsAreReplacedOnTheOtherNodeAndItsNodeIsUntaintedWhenItReturns() async throws {
        try await offCooperativePool {
            let up = try DroverUp(arguments: ["--node-monitor-grace-period", "10s", "--node-monitor-period", "1s"])
            defer { up.stop(); up.removeData() }
            let client = try HTTPAPIClient(server: up.server, token: up.token)
            try await run(up, client)
        }
    }

    func node(_ client: HTTPAPIClient, _ name: String) async throws -> NodeView {
        NodeView(try await client.get(ResourceCatalog.nodes, namespace: nil, name: name))
    }

    /// Live (not being deleted, not finished) pods matching `selector`.
    func livePods(_ client: HTTPAPIClient, _ selector: String) async throws -> [PodView] {
        try await client.list(ResourceCatalog.pods, namespace: "default", options: ListOptions(labelSelector: selector)).items
            .map(PodView.init).filter(\.isActive)
    }

    func running(_ pods: [PodView], on node: String) -> Int {
        pods.filter { $0.nodeName == node && $0.phase == "Running" }.count
    }

    func run(_ up: DroverUp, _ client: HTTPAPIClient) async throws {
        let local = try #require(try await eventually(within: 60) { try await client.list(ResourceCatalog.nodes, namespace: nil).items.first })
        let localName = NodeView(local).name
        // Everything starts on the second agent: the local node is cordoned meanwhile.
        _ = try await client.patch(ResourceCatalog.nodes, namespace: nil, name: localName, type: .merge, body: ["spec": ["unschedulable": true]])
        var agent = try up.startAgent(name: Self.second)
        defer {
            if agent.isRunning {
                agent.interrupt()
                agent.waitUntilExit()
            }
        }
        let ready = await eventually(within: 60) { (try? await node(client, Self.second))?.readyStatus == "True" }
        #expect(ready, "the second agent did not register:\n\(up.logText)")
        _ = try await client.create(ResourceCatalog.deployments, namespace: "default", object: try JSONValue.parse(Array(Self.deployment.utf8)))
        _ = try await JobEndToEndTests.create(client, Self.job)
        let started = try await eventually(within: 90) { () async throws -> Bool in
            let web = try await livePods(client, "app=web"), work = try await livePods(client, "batch.kubernetes.io/job-name=work")
            return running(web, on: Self.second) == 2 && running(work, on: Self.second) == 1
        }
        #expect(started, "the pods did not start on \(Self.second):\n\(up.logText)")
        _ = try await client.patch(ResourceCatalog.nodes, namespace: nil, name: localName, type: .merge, body: ["spec": ["unschedulable": .null]])

        kill(agent.processIdentifier, SIGKILL)
        agent.waitUntilExit()
        let killed = Date()
        // Grace 10 s + tolerationSeconds 5 (+ the Job pod's 2 s grace, as it waits for Failed): generous deadlines.
        let tainted = try await eventually(within: 120) { () async throws -> Bool in
            let dead = try await node(client, Self.second)
            return dead.readyStatus == "Unknown" && dead.taints.contains { $0.key == Taint.unreachableKey && $0.effect == "NoExecute" }
        }
        #expect(tainted, "the dead node was not tainted:\n\(up.logText)")
        let reason = try await node(client, Self.second).condition("Ready")
        #expect(reason?.reason == "NodeStatusUnknown" && reason?.message == "Kubelet stopped posting node status.")
        let replaced = try await eventually(within: 180) { () async throws -> Bool in
            let web = try await livePods(client, "app=web"), work = try await livePods(client, "batch.kubernetes.io/job-name=work")
            return running(web, on: localName) == 2 && running(work, on: localName) == 1
        }
        #expect(replaced, "the pods were not replaced on \(localName):\n\(up.logText)")
        print("node lifecycle e2e: replaced on the other node \(String(format: "%.1f", Date().timeIntervalSince(killed))) s after the SIGKILL")
        let job = JobView(try await client.get(ResourceCatalog.jobs, namespace: "default", name: "work"))
        #expect(job.status.failed == 0, "the podFailurePolicy ignores the eviction")
        let evicted = try await client.list(ResourceCatalog.events, namespace: "default").items.filter { $0["reason"] == "TaintManagerEviction" }
        #expect(evicted.count >= 3, "\(evicted.map { $0["message"] ?? .null })")
        // The dead agent cannot finish the deletions: the controller does, once their grace is over.
        let cleared = try await eventually(within: 60) { () async throws -> Bool in
            try await client.list(ResourceCatalog.pods, namespace: "default", options: ListOptions(fieldSelector: "spec.nodeName=\(Self.second)"))
                .items.isEmpty
        }
        #expect(cleared, "pods are left on the dead node")

        // Back: its Lease and status are fresh again, and the controller takes the taints off.
        agent = try up.startAgent(name: Self.second)
        let untainted = try await eventually(within: 60) { () async throws -> Bool in
            let back = try await node(client, Self.second)
            return back.readyStatus == "True" && !back.taints.contains { $0.key.hasPrefix("node.kubernetes.io/") }
        }
        #expect(untainted, "the returned node kept its taints:\n\(up.logText)")
        let lease = LeaseView(try await client.get(ResourceCatalog.leases, namespace: "kube-node-lease", name: Self.second))
        #expect(lease.holderIdentity == Self.second && lease.leaseDurationSeconds == 40)
    }
}
