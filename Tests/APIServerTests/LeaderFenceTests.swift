import APIServer
import Model
import Testing
import TestSupport

/// The server's half of leader fencing: a write naming a leader Lease is refused unless the Lease
/// is held by the identity it names; reads and unfenced writes are untouched.
@Suite struct LeaderFenceTests {
    let leases = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases"
    let pods = "/api/v1/namespaces/default/pods"

    func fence(_ identity: String) -> [String: String] {
        ["X-Drover-Leader-Lease": "kube-system/drover-control-plane", "X-Drover-Leader-Identity": identity]
    }

    func lease(holder: String) -> JSONValue {
        ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "drover-control-plane"],
         "spec": ["holderIdentity": .string(holder), "leaseDurationSeconds": 15]]
    }

    @Test func aDeposedLeadersWritesAreRefusedAndTheHoldersGoThrough() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        #expect(api.call("POST", leases, body: lease(holder: "b")).status == 201)

        let refused = api.call("POST", pods, body: ObjectBuilders.pod("from-a"), headers: fence("a"))
        #expect(refused.status == 409)
        #expect(refused.body["message"]?.string?.contains("held by \"b\", not \"a\"") == true)
        #expect(api.call("GET", "\(pods)/from-a").status == 404)

        #expect(api.call("POST", pods, body: ObjectBuilders.pod("from-b"), headers: fence("b")).status == 201)
        #expect(api.call("GET", "\(pods)/from-b", headers: fence("a")).status == 200, "reads are not fenced")
        #expect(api.call("POST", pods, body: ObjectBuilders.pod("unfenced")).status == 201)
    }

    @Test func aTakeOverAppliesToTheNextWriteAndAMissingLeaseHoldsNobody() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        #expect(api.call("POST", pods, body: ObjectBuilders.pod("early"), headers: fence("a")).status == 409)
        #expect(api.call("POST", leases, body: lease(holder: "a")).status == 201)
        #expect(api.call("POST", pods, body: ObjectBuilders.pod("p1"), headers: fence("a")).status == 201)
        var current = api.call("GET", "\(leases)/drover-control-plane").body
        current["spec"]?["holderIdentity"] = "b"
        #expect(api.call("PUT", "\(leases)/drover-control-plane", body: current).status == 200)
        #expect(api.call("DELETE", "\(pods)/p1", headers: fence("a")).status == 409)
        let binding: JSONValue = ["kind": "BindingList", "apiVersion": "v1",
                                  "items": [["metadata": ["name": "p1", "namespace": "default"], "target": ["kind": "Node", "name": "n1"]]]]
        #expect(api.call("POST", "/api/v1/bindings", body: binding, headers: fence("a")).status == 409)
        #expect(api.call("GET", "\(pods)/p1").body.value(at: ["spec", "nodeName"]) == nil)
    }

    @Test func aMalformedFenceHeaderIsABadRequest() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let answer = api.call("POST", pods, body: ObjectBuilders.pod("x"),
                              headers: ["X-Drover-Leader-Lease": "no-slash", "X-Drover-Leader-Identity": "a"])
        #expect(answer.status == 400)
        #expect(answer.body["reason"] == "BadRequest")
    }
}
