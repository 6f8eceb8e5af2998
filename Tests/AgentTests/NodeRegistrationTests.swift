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

    @Test func heartbeatsRefreshTheHeartbeatTimeButNotTheTransitionTime() async throws {
        let client = FakeAPIClient()
        let clock = ManualClock()
        let registrar = try Self.registrar(client, clock: clock)
        try await registrar.register()
        clock.advance(10)
        try await registrar.heartbeat()
        let ready = client.object(ResourceCatalog.nodes, namespace: nil, name: "node-1")?["status"]?["conditions"]?[0]
        #expect(ready?["lastHeartbeatTime"]?.string == Timestamp.format(clock.now))
        #expect(ready?["lastTransitionTime"]?.string == Timestamp.format(clock.now.addingTimeInterval(-10)))
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
