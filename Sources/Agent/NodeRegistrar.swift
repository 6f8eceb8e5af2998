import Client
import Foundation
import Model

/// Registers the agent's Node and keeps it fresh. A Node of the same name left by an earlier run
/// is taken back (create → AlreadyExists → update); a Node deleted while the agent runs is
/// registered again at the next heartbeat.
actor NodeRegistrar {
    private let client: any APIClient
    private let node: NodeObject
    private let events: EventRecorder
    private let now: @Sendable () -> Date
    /// When the conditions last changed (they are constant while the agent runs).
    private var since: Date?
    private var registered: JSONValue?

    init(client: any APIClient, node: NodeObject, events: EventRecorder, now: @escaping @Sendable () -> Date) {
        self.client = client
        self.node = node
        self.events = events
        self.now = now
    }

    /// Creates or takes over the Node and writes its status; the registered Node comes back.
    @discardableResult
    func register() async throws -> JSONValue {
        let desired = node.object()
        var stored: JSONValue
        do {
            stored = try await client.create(ResourceCatalog.nodes, namespace: nil, object: desired)
        } catch let error as StatusError where error.code == 409 {
            var existing = try await client.get(ResourceCatalog.nodes, namespace: nil, name: node.configuration.nodeName)
            var labels = existing.value(at: ["metadata", "labels"])?.stringMap ?? [:]
            labels.merge(desired.value(at: ["metadata", "labels"])?.stringMap ?? [:]) { _, ours in ours }
            var annotations = existing.value(at: ["metadata", "annotations"])?.stringMap ?? [:]
            annotations.merge(desired.value(at: ["metadata", "annotations"])?.stringMap ?? [:]) { _, ours in ours }
            existing.setValue(.stringMap(labels), at: ["metadata", "labels"])
            existing.setValue(.stringMap(annotations), at: ["metadata", "annotations"])
            existing.setValue(desired.value(at: ["spec", "taints"]), at: ["spec", "taints"])
            stored = try await client.update(ResourceCatalog.nodes, namespace: nil, object: existing)
        }
        let time = now()
        if since == nil { since = time }
        stored = try await writeStatus(time)
        if registered == nil, let problem = node.cgroupProblem {
            await events.record(AgentEvent(type: "Warning", reason: "CgroupsUnavailable", message: problem), about: stored)
        }
        registered = stored
        return stored
    }

    /// Refreshes the conditions' lastHeartbeatTime; re-registers a Node that has disappeared.
    func heartbeat() async throws {
        do {
            _ = try await writeStatus(now())
        } catch let error as StatusError where error.code == 404 {
            try await register()
        }
    }

    private func writeStatus(_ time: Date) async throws -> JSONValue {
        let body: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(node.configuration.nodeName)],
                               "status": node.status(now: time, since: since ?? time)]
        return try await client.updateStatus(ResourceCatalog.nodes, namespace: nil, object: body)
    }
}
