import Foundation
import Model
import Testing
import TestSupport
@testable import APIServer

/// scheduling.k8s.io/v1 PriorityClasses and the priority admission of pods, through the handlers.
@Suite struct PriorityClassAPITests {
    let classes = "/apis/scheduling.k8s.io/v1/priorityclasses"
    let pods = "/api/v1/namespaces/default/pods"

    static func priorityClass(_ name: String, value: Int64, globalDefault: Bool = false) -> JSONValue {
        ["apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": .string(name)],
         "value": .int(value), "globalDefault": .bool(globalDefault)]
    }

    static func pod(_ name: String, priorityClass: String? = nil) -> JSONValue {
        var spec: JSONValue = ["containers": [["name": "c", "image": "busybox"]]]
        if let priorityClass { spec["priorityClassName"] = .string(priorityClass) }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": spec]
    }

    /// Polls until the hub has seen the class (it follows the store's change log).
    func waitForHub(_ api: APIHarness, _ name: String) async {
        _ = await eventually(within: 5) { api.server.hub.priorityClass(name) != nil }
    }

    @Test func theBuiltInClassesExistAndAreServedWithUpstreamColumns() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let critical = api.call("GET", "\(classes)/system-node-critical")
        #expect(critical.status == 200)
        #expect(critical.body["value"] == 2_000_001_000 && critical.body["preemptionPolicy"] == "PreemptLowerPriority")
        let table = api.call("GET", classes, headers: ["Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"]).body
        #expect(table["columnDefinitions"]?.array?.compactMap { $0["name"]?.string } == ["Name", "Value", "Global-Default", "Age", "PreemptionPolicy"])
        #expect(table["rows"]?.array?.count == 2)
        let groups = api.call("GET", "/apis").body["groups"]?.array?.compactMap { $0["name"]?.string } ?? []
        #expect(groups.contains("scheduling.k8s.io"))
    }

    @Test func aPodsClassSetsItsPriorityAndAnUnknownClassIsForbidden() async throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        #expect(api.call("POST", classes, body: Self.priorityClass("high", value: 1000)).status == 201)
        // Straight after the create: the store answers what the hub may not have seen yet.
        let pod = api.call("POST", pods, body: Self.pod("urgent", priorityClass: "high"))
        #expect(pod.status == 201)
        #expect(pod.body.value(at: ["spec", "priority"]) == 1000)
        let unknown = api.call("POST", pods, body: Self.pod("lost", priorityClass: "nope"))
        #expect(unknown.status == 403)
        #expect(unknown.body["message"] == "pods \"lost\" is forbidden: no PriorityClass with name nope was found")
        #expect(api.call("POST", pods, body: Self.pod("plain")).body.value(at: ["spec", "priority"]) == 0)
    }

    @Test func theGlobalDefaultAppliesToPodsWithoutAClassAndOnlyOneMayExist() async throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        #expect(api.call("POST", classes, body: Self.priorityClass("batch", value: 100, globalDefault: true)).status == 201)
        await waitForHub(api, "batch")
        let second = api.call("POST", classes, body: Self.priorityClass("other", value: 5, globalDefault: true))
        #expect(second.status == 403)
        #expect(second.body["message"] == "priorityclasses.scheduling.k8s.io \"other\" is forbidden: PriorityClass batch is already marked as default. Only one default can exist")
        let pod = api.call("POST", pods, body: Self.pod("job-pod")).body
        #expect(pod.value(at: ["spec", "priorityClassName"]) == "batch" && pod.value(at: ["spec", "priority"]) == 100)
        // Updating the default itself is fine.
        var batch = api.call("GET", "\(classes)/batch").body
        batch["description"] = "the default for batch work"
        #expect(api.call("PUT", "\(classes)/batch", body: batch).status == 200)
    }
}
