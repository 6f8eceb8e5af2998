import Foundation
import Model
import Store
import Testing
import TestSupport
@testable import APIServer

/// The binding's capacity guard: what each node holds, from the hub's changes and this server's
/// own reservations.
@Suite struct NodeCapacityTests {
    static func node(_ name: String, cpu: String, memory: String = "8Gi", pods: String = "110") -> JSONValue {
        ["kind": "Node", "metadata": ["name": .string(name)],
         "status": ["allocatable": ["cpu": .string(cpu), "memory": .string(memory), "pods": .string(pods)]]]
    }

    static func pod(_ name: String, cpu: String, node: String? = nil, phase: String? = nil) -> JSONValue {
        var pod: JSONValue = ["kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"],
                              "spec": ["containers": [["name": "c", "resources": ["requests": ["cpu": .string(cpu), "memory": "1Gi"]]]]]]
        if let node { pod.setValue(.string(node), at: ["spec", "nodeName"]) }
        if let phase { pod.setValue(.string(phase), at: ["status", "phase"]) }
        return pod
    }

    static func key(_ name: String) -> ObjectKey { ObjectKey(resource: "pods", namespace: "default", name: name) }
    static func nodeKey(_ name: String) -> ObjectKey { ObjectKey(resource: "nodes", namespace: "", name: name) }
    static func cpu(_ milli: Int64) -> ResourceAmounts { ResourceAmounts(milliCPU: milli, memory: 1 << 30, pods: 1) }

    // (requests m, capacity m, used m, expected reason)
    @Test(arguments: [
        (500, 1000, 400, nil),                                                          // 400 + 500 ≤ 1000
        (500, 1000, 600, "insufficient cpu: the pod requests 500m, 400m of 1000m free"),  // 600 + 500 > 1000
        (500, 0, 900, nil),                                                             // the node declares no cpu: unchecked
        (0, 1000, 1000, nil),                                                           // a pod requesting no cpu fits a full node
    ] as [(Int64, Int64, Int64, String?)])
    func shortfallNamesTheFirstResourceThatDoesNotFit(requests: Int64, capacity: Int64, used: Int64, expected: String?) {
        let want = ResourceAmounts(milliCPU: requests, pods: 1)
        #expect(NodeCapacity.shortfall(want, capacity: ResourceAmounts(milliCPU: capacity, pods: 110),
                                       used: ResourceAmounts(milliCPU: used, pods: 3)) == expected)
    }

    @Test func podCountAndExtendedResourcesAreChecked() {
        let full = NodeCapacity.shortfall(ResourceAmounts(pods: 1), capacity: ResourceAmounts(pods: 2), used: ResourceAmounts(pods: 2))
        #expect(full == "insufficient pods: the pod requests 1, 0 of 2 free")
        let gpu = NodeCapacity.shortfall(ResourceAmounts(pods: 1, scalars: ["example.com/gpu": 2]),
                                         capacity: ResourceAmounts(pods: 10, scalars: ["example.com/gpu": 2]),
                                         used: ResourceAmounts(pods: 1, scalars: ["example.com/gpu": 1]))
        #expect(gpu == "insufficient example.com/gpu: the pod requests 2, 1 of 2 free")
    }

    @Test func reservationsCountUntilTheHubShowsThePodBoundOrGone() {
        let capacity = NodeCapacity()
        capacity.observe(.added, key: Self.nodeKey("n1"), object: Self.node("n1", cpu: "1"))
        capacity.observe(.added, key: Self.key("running"), object: Self.pod("running", cpu: "300m", node: "n1"))

        // 300m observed + 500m reserved; a second 500m does not fit.
        let answers = capacity.reserve([(Self.key("a"), "n1", Self.cpu(500)), (Self.key("b"), "n1", Self.cpu(500))])
        #expect(answers.count == 2)
        #expect((try? answers[0].get()) != nil)
        #expect(answers.last == .failure(NodeCapacity.Refusal(reason: "insufficient cpu: the pod requests 500m, 200m of 1000m free")))
        // A change of a still unbound pod (e.g. a label) does not end its reservation.
        capacity.observe(.modified, key: Self.key("a"), object: Self.pod("a", cpu: "500m"))
        #expect(capacity.requested(on: "n1").milliCPU == 800)
        // The bound pod, once seen, replaces its reservation: counted once.
        capacity.observe(.modified, key: Self.key("a"), object: Self.pod("a", cpu: "500m", node: "n1"))
        #expect(capacity.requested(on: "n1").milliCPU == 800)
        // A finished pod and a deleted pod hold nothing.
        capacity.observe(.modified, key: Self.key("running"), object: Self.pod("running", cpu: "300m", node: "n1", phase: "Succeeded"))
        #expect(capacity.requested(on: "n1").milliCPU == 500)
        capacity.observe(.deleted, key: Self.key("a"), object: Self.pod("a", cpu: "500m", node: "n1"))
        #expect(capacity.requested(on: "n1").milliCPU == 0)
    }

    @Test func cancelledReservationsAndUnknownNodesHoldNothing() throws {
        let capacity = NodeCapacity()
        capacity.observe(.added, key: Self.nodeKey("n1"), object: Self.node("n1", cpu: "1"))
        let a = try capacity.reserve([(Self.key("a"), "n1", Self.cpu(1000))])[0].get()
        capacity.cancel(Self.key("a"), reservation: a)
        #expect((try? capacity.reserve([(Self.key("b"), "n1", Self.cpu(1000))])[0].get()) != nil)
        // A node the hub has not seen is not checked.
        #expect((try? capacity.reserve([(Self.key("c"), "elsewhere", Self.cpu(64000))])[0].get()) != nil)
    }

    @Test func twoBindingsOfOnePodEachHoldTheirNodeUntilTheLoserIsCancelled() throws {
        let capacity = NodeCapacity()
        for node in ["n1", "n2"] { capacity.observe(.added, key: Self.nodeKey(node), object: Self.node(node, cpu: "1")) }
        // Two schedulers bind pod p at once, to n1 and n2; the one to n2 loses the compare-and-swap.
        _ = try capacity.reserve([(Self.key("p"), "n1", Self.cpu(600))])[0].get()
        let toN2 = try capacity.reserve([(Self.key("p"), "n2", Self.cpu(600))])[0].get()
        capacity.cancel(Self.key("p"), reservation: toN2)
        #expect(capacity.requested(on: "n1").milliCPU == 600, "the winner's node stays counted before the hub shows the binding")
        #expect(capacity.requested(on: "n2").milliCPU == 0)
        capacity.observe(.modified, key: Self.key("p"), object: Self.pod("p", cpu: "600m", node: "n1"))
        #expect(capacity.requested(on: "n1").milliCPU == 600)
    }

    @Test func bindingToAFullNodeIsRefusedUntilRoomIsFreed() async throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        var node = Self.node("n1", cpu: "1")
        node["apiVersion"] = "v1"
        #expect(api.call("POST", "/api/v1/nodes", body: node).status == 201)
        var stored = api.call("GET", "/api/v1/nodes/n1").body
        stored["status"] = node["status"]
        #expect(api.call("PUT", "/api/v1/nodes/n1/status", body: stored).status == 200)
        for (name, cpu) in [("first", "600m"), ("second", "600m"), ("huge", "2")] {
            var pod = Self.pod(name, cpu: cpu)
            pod["apiVersion"] = "v1"
            pod.setValue([["name": "c", "image": "busybox", "resources": ["requests": ["cpu": .string(cpu), "memory": "1Gi"]]]],
                         at: ["spec", "containers"])
            #expect(api.call("POST", "/api/v1/namespaces/default/pods", body: pod).status == 201)
        }
        let pods = "/api/v1/namespaces/default/pods"
        let binding: JSONValue = ["target": ["kind": "Node", "name": "n1"]]
        // Once the hub has seen the node's allocatable, a pod larger than the node is refused.
        #expect(await eventually { api.call("POST", "\(pods)/huge/binding", query: ["dryRun": "All"], body: binding).status == 409 })
        #expect(api.call("POST", "\(pods)/first/binding", query: ["dryRun": "All"], body: binding).status == 201)
        #expect(api.call("POST", "\(pods)/first/binding", body: binding).status == 201)

        let (status, body) = api.call("POST", "\(pods)/second/binding", body: binding)
        #expect(status == 409)
        #expect(body["message"]?.string == "Operation cannot be fulfilled on pods/binding \"second\": node \"n1\" has insufficient cpu: the pod requests 600m, 400m of 1000m free")
        #expect(api.call("GET", "\(pods)/second").body.value(at: ["spec", "nodeName"]) == nil)

        // The first pod finishes: once the hub has seen it, the second fits.
        var first = api.call("GET", "\(pods)/first").body
        first.setValue("Succeeded", at: ["status", "phase"])
        #expect(api.call("PUT", "\(pods)/first/status", body: first).status == 200)
        #expect(await eventually { api.call("POST", "\(pods)/second/binding", body: binding).status == 201 })
    }
}

/// Polls `condition` for up to five seconds.
