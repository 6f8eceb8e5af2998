import Foundation
import HTTP
import Model
import Store
import Testing
import TestSupport
@testable import APIServer

/// pods/log through a stand-in agent log endpoint on a real port.
@Suite struct LogProxyTests {
    struct AgentStandIn: HTTPHandler {
        let seen: CapturedRequests
        func handle(_ request: HTTPRequest, responder: any HTTPResponder) {
            seen.append(request)
            if request.query["follow"] == "true" {
                let stream = responder.stream(status: 200, headers: [("Content-Type", "text/plain")])
                stream.write(Array("first\n".utf8))
                stream.write(Array("second\n".utf8))
                stream.close()
            } else if request.path.hasSuffix("/missing") {
                responder.respond(HTTPResponse(status: 404, body: Array("pod missing does not run on this node\n".utf8)))
            } else {
                responder.respond(HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: Array("hello\n".utf8)))
            }
        }
    }

    final class CapturedRequests: @unchecked Sendable {
        private let lock = NSLock()
        private var requests: [HTTPRequest] = []
        func append(_ request: HTTPRequest) { lock.withLock { requests.append(request) } }
        var all: [HTTPRequest] { lock.withLock { requests } }
    }

    static func setUp(annotate: Bool = true) throws -> (APIServer, HTTPServer, CapturedRequests, MemoryStore) {
        let seen = CapturedRequests()
        let agent = try HTTPServer(configuration: HTTPServerConfiguration(port: 0, workerThreads: 2), handler: AgentStandIn(seen: seen), log: { _ in })
        let store = MemoryStore()
        let api = try APIServer(configuration: APIServerConfiguration(store: store, agentToken: "shared"))
        var node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "n1"]]
        if annotate { node.setValue(.string("http://127.0.0.1:\(agent.port)"), at: ["metadata", "annotations", APIServer.logEndpointAnnotation]) }
        _ = try store.create(ObjectKey(resource: "nodes", namespace: "", name: "n1"), uid: "n-uid", json: node.serialized())
        for (name, nodeName) in [("web", "n1"), ("missing", "n1"), ("unbound", "")] {
            var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"],
                                  "spec": ["containers": [["name": "main"]]]]
            if !nodeName.isEmpty { pod.setValue(.string(nodeName), at: ["spec", "nodeName"]) }
            _ = try store.create(ObjectKey(resource: "pods", namespace: "default", name: name), uid: "u-\(name)", json: pod.serialized())
        }
        return (api, agent, seen, store)
    }

    static func get(_ api: APIServer, _ pod: String, query: [String: String] = [:]) -> (HTTPResponse?, CapturingStream?) {
        let responder = CapturingResponder()
        api.handle(HTTPRequest(method: "GET", path: "/api/v1/namespaces/default/pods/\(pod)/log", query: query), responder: responder)
        return responder.wait()
    }

    @Test func aLogReadIsProxiedWithItsParametersAndTheAgentToken() async throws {
        try await offCooperativePool { try aLogReadIsProxiedWithItsParametersAndTheAgentTokenBlocking() }
    }

    func aLogReadIsProxiedWithItsParametersAndTheAgentTokenBlocking() throws {
        let (api, agent, seen, _) = try Self.setUp()
        defer { agent.stop(); api.shutdown() }
        let (response, _) = Self.get(api, "web", query: ["container": "main", "tailLines": "5", "previous": "true", "pretty": "x"])
        #expect(response?.status == 200)
        #expect(response.map { String(decoding: $0.body, as: UTF8.self) } == "hello\n")
        let request = try #require(seen.all.first)
        #expect(request.path == "/logs/default/web")
        #expect(request.query == ["container": "main", "tailLines": "5", "previous": "true"])
        #expect(request.header("authorization") == "Bearer shared")
    }

    @Test func aFollowedLogStreams() async throws {
        try await offCooperativePool { try aFollowedLogStreamsBlocking() }
    }

    func aFollowedLogStreamsBlocking() throws {
        let (api, agent, _, _) = try Self.setUp()
        defer { agent.stop(); api.shutdown() }
        let (_, stream) = Self.get(api, "web", query: ["follow": "true"])
        let opened = try #require(stream)
        #expect(opened.waitClosed())
        #expect(opened.rawText == "first\nsecond\n")
    }

    @Test func agentRefusalsAndMissingEndpointsBecomeStatuses() async throws {
        try await offCooperativePool { try agentRefusalsAndMissingEndpointsBecomeStatusesBlocking() }
    }

    func agentRefusalsAndMissingEndpointsBecomeStatusesBlocking() throws {
        let (api, agent, _, _) = try Self.setUp(annotate: false)
        defer { agent.stop(); api.shutdown() }
        #expect(Self.get(api, "web").0?.status == 503)
        #expect(Self.get(api, "unbound").0?.status == 400)
        #expect(Self.get(api, "nothere").0?.status == 404)
        let (annotated, agent2, _, _) = try Self.setUp()
        defer { agent2.stop(); annotated.shutdown() }
        let refusal = Self.get(annotated, "missing").0
        #expect(refusal?.status == 404)
        #expect(refusal.map { String(decoding: $0.body, as: UTF8.self) }?.contains("does not run on this node") == true)
    }
}
