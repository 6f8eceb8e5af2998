import Foundation
import HTTP
import Model
import Store
import Testing
import TestSupport
@testable import APIServer

/// metrics.k8s.io/v1beta1: the pure formatting and scrape planning as tables, then the group
/// served from a stand-in agent on a real port.
@Suite struct ResourceMetricsTests {
    @Test(arguments: [(Int64(0), "0"), (1, "1n"), (203_456_789, "203456789n"), (-5, "0")])
    func cpuIsNanocores(nanocores: Int64, text: String) {
        #expect(ResourceMetrics.cpu(nanocores: nanocores) == text)
    }

    @Test(arguments: [(Int64(0), "0"), (512, "512"), (1024, "1Ki"), (4_194_304, "4096Ki"), (1_500_000, "1464Ki")])
    func memoryIsWholeKibibytes(bytes: Int64, text: String) {
        #expect(ResourceMetrics.memory(bytes: bytes) == text)
    }

    @Test(arguments: [(10.0, "10s"), (10.004, "10.004s"), (10.5, "10.5s"), (0, "0s"), (75.25, "1m15.25s")])
    func windowsPrintAsGoDurations(seconds: Double, text: String) {
        #expect(ResourceMetrics.duration(seconds: seconds) == text)
    }

    static func node(_ name: String, ready: String?, endpoint: String?) -> JSONValue {
        var node: JSONValue = ["kind": "Node", "metadata": ["name": .string(name), "labels": ["zone": "a"]]]
        if let ready { node.setValue([["type": "Ready", "status": .string(ready)]], at: ["status", "conditions"]) }
        if let endpoint { node.setValue(.string(endpoint), at: ["metadata", "annotations", APIServer.logEndpointAnnotation]) }
        return node
    }

    @Test func onlyReadyNodesWithAnEndpointAreScraped() {
        let nodes = [Self.node("ready", ready: "True", endpoint: "http://10.0.0.1:10250"),
                     Self.node("notready", ready: "False", endpoint: "http://10.0.0.2:10250"),
                     Self.node("hollow", ready: "True", endpoint: nil),
                     Self.node("unknown", ready: nil, endpoint: "http://10.0.0.3:10250"),
                     Self.node("garbled", ready: "True", endpoint: "not a url")]
        #expect(MetricsScraper.targets(nodes: nodes, annotation: APIServer.logEndpointAnnotation)
            == [ScrapeTarget(nodeName: "ready", labels: ["zone": "a"], url: "http://10.0.0.1:10250/stats/summary")])
    }

    @Test func aFailedScrapeOrAVanishedNodeLeavesTheCache() {
        let targets = [ScrapeTarget(nodeName: "a", labels: [:], url: "http://a"), ScrapeTarget(nodeName: "b", labels: [:], url: "http://b")]
        let next = MetricsScraper.merge(targets: targets, results: ["a": ["node": [:]], "gone": ["node": [:]]])
        #expect(Array(next.keys) == ["a"])
    }

    static let summary: JSONValue = [
        "node": ["nodeName": "n1", "cpu": ["time": "2026-01-01T00:00:10Z", "usageNanoCores": 1_250_000_000, "windowSeconds": 10.0],
                 "memory": ["time": "2026-01-01T00:00:10Z", "workingSetBytes": 2_147_483_648]],
        "pods": [
            ["podRef": ["name": "busy", "namespace": "default", "uid": "u1"], "labels": ["app": "busy"],
             "containers": [["name": "burn", "cpu": ["time": "2026-01-01T00:00:10Z", "usageNanoCores": 199_000_000, "windowSeconds": 10.0],
                             "memory": ["time": "2026-01-01T00:00:10Z", "workingSetBytes": 1_048_576]]]],
            ["podRef": ["name": "web", "namespace": "shop", "uid": "u2"], "labels": ["app": "web"],
             "containers": [["name": "main", "cpu": ["time": "2026-01-01T00:00:10Z", "usageNanoCores": 0, "windowSeconds": 10.0],
                             "memory": ["time": "2026-01-01T00:00:10Z", "workingSetBytes": 8192]]]],
        ],
    ]

    @Test func summariesBecomeNodeAndPodMetricsAsMetricsServerFormatsThem() throws {
        let scrape = NodeScrape(nodeName: "n1", nodeLabels: ["zone": "a"], summary: Self.summary)
        let now = Date(timeIntervalSince1970: 1_767_225_620)
        let node = try #require(ResourceMetrics.nodeMetrics(scrape, now: now))
        #expect(node["kind"] == "NodeMetrics" && node["apiVersion"] == "metrics.k8s.io/v1beta1")
        #expect(node["usage"] == ["cpu": "1250000000n", "memory": "2097152Ki"])
        #expect(node["window"] == "10s" && node["timestamp"] == "2026-01-01T00:00:10Z")
        #expect(node["metadata"]?["labels"]?["zone"] == "a")
        let pods = ResourceMetrics.podMetrics(scrape, now: now)
        #expect(pods.map(\.name) == ["busy", "web"])
        #expect(pods[0].object["containers"] == [["name": "burn", "usage": ["cpu": "199000000n", "memory": "1024Ki"]]])
        #expect(pods[1].object["metadata"]?["namespace"] == "shop")
        // No node stats yet (a first sample only): no NodeMetrics.
        #expect(ResourceMetrics.nodeMetrics(NodeScrape(nodeName: "n1", nodeLabels: [:], summary: ["node": ["nodeName": "n1"]]), now: now) == nil)
    }

    struct AgentStandIn: HTTPHandler {
        func handle(_ request: HTTPRequest, responder: any HTTPResponder) {
            guard request.header("authorization") == "Bearer shared" else { return responder.respond(HTTPResponse(status: 401, body: [])) }
            responder.respond(HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: ResourceMetricsTests.summary.serialized()))
        }
    }

    @Test func theGroupIsDiscoveredAndServedFromScrapedAgents() async throws {
        try await offCooperativePool { try theGroupIsDiscoveredAndServedFromScrapedAgentsBlocking() }
    }

    func theGroupIsDiscoveredAndServedFromScrapedAgentsBlocking() throws {
        let agent = try HTTPServer(configuration: HTTPServerConfiguration(port: 0, workerThreads: 2), handler: AgentStandIn(), log: { _ in })
        defer { agent.stop() }
        let store = MemoryStore()
        let harness = try APIHarness(store: store, configuration: APIServerConfiguration(store: store, agentToken: "shared")
            .withMetricsScrapeInterval(0.2))
        defer { harness.server.shutdown() }
        for (name, endpoint) in [("n1", "http://127.0.0.1:\(agent.port)"), ("hollow", nil)] {
            let node = Self.node(name, ready: "True", endpoint: endpoint)
            _ = try store.create(ObjectKey(resource: "nodes", namespace: "", name: name), uid: "uid-" + name, json: node.serialized())
        }
        let groups = harness.call("GET", "/apis").body["groups"]?.array ?? []
        #expect(groups.contains { $0["name"] == "metrics.k8s.io" && $0["preferredVersion"]?["version"] == "v1beta1" })
        let resources = harness.call("GET", "/apis/metrics.k8s.io/v1beta1").body["resources"]?.array ?? []
        #expect(resources.map { $0["name"] } == ["nodes", "pods"])
        #expect(resources.allSatisfy { $0["verbs"] == ["get", "list"] })

        let deadline = Date().addingTimeInterval(30)
        while harness.call("GET", "/apis/metrics.k8s.io/v1beta1/nodes").body["items"]?.array?.isEmpty != false, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        let nodes = harness.call("GET", "/apis/metrics.k8s.io/v1beta1/nodes")
        #expect(nodes.status == 200 && nodes.body["kind"] == "NodeMetricsList")
        #expect(nodes.body["items"]?.array?.map { $0["metadata"]?["name"] } == ["n1"])
        #expect(harness.call("GET", "/apis/metrics.k8s.io/v1beta1/nodes/n1").body["usage"]?["cpu"] == "1250000000n")
        #expect(harness.call("GET", "/apis/metrics.k8s.io/v1beta1/nodes/hollow").status == 404)
        #expect(harness.call("GET", "/apis/metrics.k8s.io/v1beta1/nodes", query: ["labelSelector": "zone=b"]).body["items"] == [])

        let all = harness.call("GET", "/apis/metrics.k8s.io/v1beta1/pods").body
        #expect(all["kind"] == "PodMetricsList" && all["items"]?.array?.count == 2)
        let shop = harness.call("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods").body["items"]?.array ?? []
        #expect(shop.map { $0["metadata"]?["name"] } == ["web"])
        let busy = harness.call("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/busy")
        #expect(busy.status == 200 && busy.body["containers"]?[0]?["usage"]?["cpu"] == "199000000n")
        #expect(harness.call("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web").status == 404)
        let selected = harness.call("GET", "/apis/metrics.k8s.io/v1beta1/pods", query: ["labelSelector": "app=busy"]).body
        #expect(selected["items"]?.array?.map { $0["metadata"]?["name"] } == ["busy"])
        #expect(harness.call("GET", "/apis/metrics.k8s.io/v1beta1/pods", query: ["labelSelector": "a in ("]).status == 400)
        #expect(harness.call("POST", "/apis/metrics.k8s.io/v1beta1/nodes", body: [:]).status == 405)
        #expect(harness.call("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/x/nodes").status == 404)
    }
}
