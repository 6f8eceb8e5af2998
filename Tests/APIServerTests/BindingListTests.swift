import APIServer
import Model
import Testing
import TestSupport

/// Drover's batch binding endpoint, POST /api/v1/bindings: each item decided as pods/NAME/binding
/// decides it, one Status per item in order.
@Suite struct BindingListTests {
    let pods = "/api/v1/namespaces/default/pods"

    func item(_ name: String, namespace: String = "default", node: String) -> JSONValue {
        ["metadata": ["name": .string(name), "namespace": .string(namespace)], "target": ["kind": "Node", "name": .string(node)]]
    }

    @Test func eachBindingGetsItsOwnOutcomeInOrder() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        for name in ["a", "b", "bound"] { api.call("POST", pods, body: ObjectBuilders.pod(name)) }
        api.call("POST", "\(pods)/bound/binding", body: ["target": ["name": "n9"]])

        let (status, body) = api.call("POST", "/api/v1/bindings", body: ["kind": "BindingList", "apiVersion": "v1", "items": [
            item("a", node: "n1"), item("bound", node: "n1"), item("missing", node: "n1"),
            ["metadata": ["name": "b", "namespace": "default"], "target": ["kind": "Node"]], item("b", node: "n2"),
        ]])

        #expect(status == 200)
        #expect(body["kind"] == "BindingResultList")
        let results = body["items"]?.array ?? []
        #expect(results.map { $0["code"]?.int } == [201, 409, 404, 422, 201])
        #expect(results[1]["message"]?.string?.contains("already assigned to node \"n9\"") == true)
        #expect(results[3].value(at: ["details", "causes"])?.array?.first?["field"] == "items[3].target.name")
        #expect(api.call("GET", "\(pods)/a").body.value(at: ["spec", "nodeName"]) == "n1")
        #expect(api.call("GET", "\(pods)/b").body.value(at: ["spec", "nodeName"]) == "n2")
        #expect(api.call("GET", "\(pods)/bound").body.value(at: ["spec", "nodeName"]) == "n9")
        let scheduled = api.call("GET", "\(pods)/a").body.value(at: ["status", "conditions"])?.array?.first { $0["type"] == "PodScheduled" }
        #expect(scheduled?["status"] == "True")
    }

    @Test func dryRunDecidesWithoutBinding() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", pods, body: ObjectBuilders.pod("a"))
        let body = api.call("POST", "/api/v1/bindings", query: ["dryRun": "All"], body: ["items": [item("a", node: "n1")]]).body
        #expect(body["items"]?.array?.first?["code"] == 201)
        #expect(api.call("GET", "\(pods)/a").body.value(at: ["spec", "nodeName"]) == nil)
    }

    @Test func malformedListsAndWrongMethodsAndViewersAreRefused() throws {
        let auth = Authenticator(tokens: ["admin": User(name: "admin", role: .admin), "view": User(name: "viewer", role: .view)])
        let api = try APIHarness(authenticator: auth)
        defer { api.shutdown() }
        let admin = ["Authorization": "Bearer admin"]
        #expect(api.call("POST", "/api/v1/bindings", body: ["kind": "BindingList"], headers: admin).status == 400)
        #expect(api.call("POST", "/api/v1/bindings", rawBody: "{", headers: admin).status == 400)
        #expect(api.call("GET", "/api/v1/bindings", headers: admin).status == 405)
        #expect(api.call("POST", "/api/v1/bindings", body: ["items": []], headers: ["Authorization": "Bearer view"]).status == 403)
        #expect(api.call("POST", "/api/v1/bindings", body: ["items": []]).status == 401)
        let (status, body) = api.call("POST", "/api/v1/bindings", body: ["items": [["target": ["name": "n1"]]]], headers: admin)
        #expect(status == 200)
        #expect(body["items"]?.array?.first?.value(at: ["details", "causes"])?.array?.first?["field"] == "items[0].metadata.namespace")
    }
}
