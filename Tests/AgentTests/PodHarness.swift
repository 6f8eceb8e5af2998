import Agent
import Client
import Foundation
import Model
import TestSupport

/// A pod manager on a FakeAPIClient, a FakeProcessRuntime and a manual clock, with helpers to bind
/// pods and read back what the agent wrote.
struct PodHarness {
    let client = FakeAPIClient()
    let clock = ManualClock()
    let runtime: FakeProcessRuntime
    let probes = FakeProbeExecutor()
    let manager: PodManager
    let configuration: AgentConfiguration

    init(dataDirectory: String? = nil, prepare: (FakeProcessRuntime) -> Void = { _ in }) {
        runtime = FakeProcessRuntime(clock: clock)
        prepare(runtime)
        let directory = dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("agent-tests-\(UUID().uuidString)").path
        configuration = AgentConfiguration(nodeName: "node-1", dataDirectory: directory, nodeIP: "10.0.0.5")
        manager = PodManager(client: client, runtime: runtime, probes: probes, configuration: configuration, now: clock.function)
    }

    /// A pod bound to node-1.
    static func pod(_ name: String, containers: [JSONValue], initContainers: [JSONValue] = [],
                    restartPolicy: String = "Always", spec extra: [String: JSONValue] = [:]) -> JSONValue {
        var spec: JSONValue = ["nodeName": "node-1", "restartPolicy": .string(restartPolicy), "containers": .array(containers)]
        if !initContainers.isEmpty { spec["initContainers"] = .array(initContainers) }
        for (key, value) in extra { spec[key] = value }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"],
                "spec": spec, "status": ["phase": "Pending"]]
    }

    static func container(_ name: String, _ argv: String..., extra: [String: JSONValue] = [:]) -> JSONValue {
        var container: JSONValue = ["name": .string(name), "image": "busybox", "command": .array(argv.map { .string($0) })]
        for (key, value) in extra { container[key] = value }
        return container
    }

    /// Creates the pod through the API and hands it to the manager as the watch would; returns its uid.
    @discardableResult
    func bind(_ pod: JSONValue) async throws -> String {
        let stored = try await client.create(ResourceCatalog.pods, namespace: "default", object: pod)
        await manager.apply(WatchEvent(type: .added, object: stored))
        return stored.value(at: ["metadata", "uid"])?.string ?? ""
    }

    /// Passes the stored pod to the manager again (after a test changed it through the client).
    func redeliver(_ name: String) async {
        guard let pod = stored(name) else { return }
        await manager.apply(WatchEvent(type: .modified, object: pod))
    }

    func sync() async { await manager.syncAll() }

    func stored(_ name: String) -> JSONValue? { client.object(ResourceCatalog.pods, namespace: "default", name: name) }

    func status(_ name: String) -> JSONValue { stored(name)?["status"] ?? .null }

    func phase(_ name: String) -> String? { status(name)["phase"]?.string }

    /// The status entry of a container (init containers included).
    func container(_ pod: String, _ name: String) -> JSONValue? {
        let status = self.status(pod)
        return ((status["initContainerStatuses"]?.array ?? []) + (status["containerStatuses"]?.array ?? []))
            .first { $0["name"]?.string == name }
    }

    func waitingReason(_ pod: String, _ name: String) -> String? { container(pod, name)?.value(at: ["state", "waiting", "reason"])?.string }

    func condition(_ pod: String, _ type: String) -> String? {
        status(pod)["conditions"]?.array?.first { $0["type"]?.string == type }?["status"]?.string
    }

    /// Process ids started so far, in order.
    var startedIDs: [String] { runtime.started.map(\.id) }

    /// Events recorded so far, as their reasons.
    var eventReasons: [String] {
        client.calls.filter { $0.verb == "create" && $0.resource == "events" }.compactMap { $0.body?["reason"]?.string }
    }

    func statusWrites(_ name: String) -> Int {
        client.calls.filter { $0.verb == "updateStatus" && $0.name == name }.count
    }
}
