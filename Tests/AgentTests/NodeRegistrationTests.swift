@testable import Agent
import Client
import Foundation
import Model
import Testing
import TestSupport

@Suite struct NodeRegistrationTests {
    static let facts = MachineFacts(hostname: "box", cpuMillis: 4000, memoryBytes: 8 * 1024 * 1024 * 1024, architecture: "amd64",
                                    kernelVersion: "6.1.0", osImage: "Debian GNU/Linux 12 (bookworm)", machineID: "m-id",
                                    bootID: "b-id", systemUUID: "s-uuid")

    static func configuration() throws -> AgentConfiguration {
        AgentConfiguration(nodeName: "node-1", dataDirectory: "/tmp/unused", labels: try AgentConfiguration.parsePairs("zone=a,tier=batch", flag: "labels"),
                           taints: try AgentConfiguration.parseTaints("dedicated=gpu:NoSchedule"),
                           extendedResources: try AgentConfiguration.parseQuantities("example.com/gpu=2", flag: "resource"),
                           reserved: try AgentConfiguration.parseQuantities("cpu=100m,memory=256Mi", flag: "reserved"),
                           nodeIP: "10.0.0.5")
    }

    static func registrar(_ client: FakeAPIClient, capabilities: RuntimeCapabilities = RuntimeCapabilities(cgroupVersion: "v2"),
                          clock: ManualClock) throws -> NodeRegistrar {
        let node = NodeObject(configuration: try configuration(), facts: facts, capabilities: capabilities, logPort: 10250)
        return NodeRegistrar(client: client, node: node,
                             events: EventRecorder(client: client, nodeName: "node-1", now: clock.function, log: { _ in }),
                             now: clock.function)
    }

    @Test func theNodeCarriesCapacityLabelsTaintsAddressesAndEveryNodeInfoField() async throws {
        let client = FakeAPIClient()
        try await Self.registrar(client, clock: ManualClock()).register()
        let node = try #require(client.object(ResourceCatalog.nodes, namespace: nil, name: "node-1"))
        let labels = node.value(at: ["metadata", "labels"])?.stringMap ?? [:]
        #expect(labels["kubernetes.io/hostname"] == "node-1")
        #expect(labels["kubernetes.io/os"] == "linux")
        #expect(labels["kubernetes.io/arch"] == "amd64")
        #expect(labels["zone"] == "a")
        #expect(node.value(at: ["spec", "taints"]) == [["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]])
        let status = try #require(node["status"])
        #expect(status.value(at: ["capacity", "cpu"]) == "4")
        #expect(status.value(at: ["capacity", "memory"]) == "8Gi")
        #expect(status.value(at: ["capacity", "pods"]) == "110")
        #expect(status.value(at: ["capacity", "example.com/gpu"]) == "2")
        #expect(status.value(at: ["allocatable", "cpu"]) == "3900m")
        #expect(status.value(at: ["allocatable", "memory"]) == "7936Mi")
        #expect(status["addresses"] == [["type": "InternalIP", "address": "10.0.0.5"], ["type": "Hostname", "address": "box"]])
        let info = try #require(status["nodeInfo"])
        for field in ["architecture", "bootID", "containerRuntimeVersion", "kernelVersion", "kubeProxyVersion", "kubeletVersion",
                      "machineID", "operatingSystem", "osImage", "systemUUID"] {
            #expect(info[field]?.string != nil, "nodeInfo.\(field)")
        }
        #expect(info["kubeletVersion"] == "v1.32.0-drover")
        #expect(info["containerRuntimeVersion"] == "drover://0.1.0")
        let types = status["conditions"]?.array?.compactMap { $0["type"]?.string }
        #expect(types == ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"])
        #expect(status.value(at: ["daemonEndpoints", "kubeletEndpoint", "Port"]) == 10250)
        #expect(node.value(at: ["metadata", "annotations", NodeObject.logEndpointAnnotation]) == "http://10.0.0.5:10250")
    }

    @Test func aRestartedAgentTakesItsExistingNodeBack() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.nodes, ["metadata": ["name": "node-1", "labels": ["custom": "kept"]],
                                                "status": ["conditions": [["type": "Ready", "status": "Unknown"]]]])
        try await Self.registrar(client, clock: ManualClock()).register()
        let node = try #require(client.object(ResourceCatalog.nodes, namespace: nil, name: "node-1"))
        #expect(node.value(at: ["metadata", "labels", "custom"]) == "kept")
        #expect(node.value(at: ["metadata", "labels", "zone"]) == "a")
        #expect(node["status"]?["conditions"]?[0]?["status"] == "True")
        #expect(client.calls.map(\.verb).prefix(4) == ["create", "get", "update", "updateStatus"])
    }

    @Test func heartbeatsRenewTheLeaseAndLeaveAnUnchangedStatusAlone() async throws {
        let client = FakeAPIClient()
        let clock = ManualClock()
        let registrar = try Self.registrar(client, clock: clock)
        try await registrar.register()
        let node = try #require(client.object(ResourceCatalog.nodes, namespace: nil, name: "node-1"))
        let created = try #require(client.object(ResourceCatalog.leases, namespace: NodeLease.namespace, name: "node-1"))
        let owner = created["metadata"]?["ownerReferences"]?[0]
        #expect(owner?["kind"] == "Node" && owner?["uid"] == node.value(at: ["metadata", "uid"]))
        let writes = client.calls.count
        clock.advance(10)
        try await registrar.heartbeat()
        let lease = LeaseView(try #require(client.object(ResourceCatalog.leases, namespace: NodeLease.namespace, name: "node-1")))
        #expect(lease.holderIdentity == "node-1" && lease.leaseDurationSeconds == 40)
        #expect(lease.renewTimeText == Timestamp.formatMicro(clock.now))
        let calls = client.calls.dropFirst(writes).map { "\($0.verb) \($0.resource)" }
        #expect(calls == ["patch leases.coordination.k8s.io", "get nodes"], "the status did not change: no status write")
    }

    @Test func theStatusIsWrittenWhenTheAPIHoldsAnotherOrEveryFiveMinutes() async throws {
        let client = FakeAPIClient()
        let clock = ManualClock()
        let registrar = try Self.registrar(client, clock: clock)
        try await registrar.register()
        let registeredAt = Timestamp.format(clock.now)
        // The node lifecycle controller found the node stale meanwhile.
        var node = try #require(client.object(ResourceCatalog.nodes, namespace: nil, name: "node-1"))
        var stale = node["status"]?["conditions"]?.array ?? []
        stale[0]["status"] = "Unknown"
        node.setValue(.array(stale), at: ["status", "conditions"])
        _ = try await client.updateStatus(ResourceCatalog.nodes, namespace: nil, object: node)
        clock.advance(10)
        try await registrar.heartbeat()
        var conditions = client.object(ResourceCatalog.nodes, namespace: nil, name: "node-1")?["status"]?["conditions"]?.array ?? []
        #expect(conditions.first?["status"] == "True")
        #expect(conditions.first?["lastTransitionTime"]?.string == Timestamp.format(clock.now), "Ready changed just now")
        #expect(conditions.dropFirst().allSatisfy { $0["lastTransitionTime"]?.string == registeredAt }, "the others did not change")
        // Nothing changes for five minutes: one more status write at the end of them.
        let statusWrites = { client.calls.filter { $0.verb == "updateStatus" }.count }
        let before = statusWrites()
        for _ in 0..<29 {
            clock.advance(10)
            try await registrar.heartbeat()
        }
        #expect(statusWrites() == before)
        clock.advance(10)
        try await registrar.heartbeat()
        #expect(statusWrites() == before + 1)
        conditions = client.object(ResourceCatalog.nodes, namespace: nil, name: "node-1")?["status"]?["conditions"]?.array ?? []
        #expect(conditions.first?["lastHeartbeatTime"]?.string == Timestamp.format(clock.now))
    }

    @Test func aRestartedAgentKeepsTheTaintsTheNodeControllerManages() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.nodes, ["metadata": ["name": "node-1"],
                                                "spec": ["taints": [["key": "node.kubernetes.io/unreachable", "effect": "NoExecute",
                                                                     "timeAdded": "2026-01-01T00:00:00Z"],
                                                                    ["key": "dedicated", "value": "old", "effect": "NoSchedule"]]]])
        try await Self.registrar(client, clock: ManualClock()).register()
        let taints = client.object(ResourceCatalog.nodes, namespace: nil, name: "node-1")?.value(at: ["spec", "taints"])
        #expect(taints == [["key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": "2026-01-01T00:00:00Z"],
                           ["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]])
    }

    @Test func unwritableCgroupsShowAsAConditionAndAnEvent() async throws {
        let client = FakeAPIClient()
        try await Self.registrar(client, capabilities: RuntimeCapabilities(cgroupVersion: nil, cgroupProblem: "/sys/fs/cgroup is read-only"),
                                 clock: ManualClock()).register()
        let conditions = client.object(ResourceCatalog.nodes, namespace: nil, name: "node-1")?["status"]?["conditions"]?.array ?? []
        let cgroups = conditions.first { $0["type"] == "CgroupsUnavailable" }
        #expect(cgroups?["status"] == "True")
        #expect(cgroups?["message"]?.string?.contains("read-only") == true)
        let event = client.calls.first { $0.verb == "create" && $0.resource == "events" }
        #expect(event?.body?["reason"] == "CgroupsUnavailable")
        #expect(event?.body?.value(at: ["involvedObject", "kind"]) == "Node")
    }

    @Test func flagValuesAreParsedOrRejectedWithAMessage() throws {
        #expect(try AgentConfiguration.parseDuration("10s", flag: "heartbeat") == 10)
        #expect(try AgentConfiguration.parseDuration("500ms", flag: "heartbeat") == 0.5)
        #expect(throws: AgentConfigurationError.self) { try AgentConfiguration.parseTaints("a=b:Sometimes") }
        #expect(throws: AgentConfigurationError.self) { try AgentConfiguration.parsePairs("novalue", flag: "labels") }
        #expect(throws: AgentConfigurationError.self) { try AgentConfiguration.parseQuantities("cpu=lots", flag: "reserved") }
        #expect(MachineFacts.cpuListCount("0-3,6") == 5)
    }
}
