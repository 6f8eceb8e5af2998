import Client
import Foundation
import Model

/// Registers the agent's Node and keeps it fresh, as upstream's kubelet does since node Leases:
/// the heartbeat is the Node's Lease in `kube-node-lease`, renewed every `--heartbeat` (10 s); the
/// Node's status is written only when it differs from what the API holds (the node lifecycle
/// controller may have set the conditions Unknown meanwhile) or once per `statusReportInterval`
/// (5 min). A Node of the same name left by an earlier run is taken back (create → AlreadyExists
/// → update); a Node deleted while the agent runs is registered again at the next heartbeat.
actor NodeRegistrar {
    private let client: any APIClient
    private let node: NodeObject
    private let events: EventRecorder
    private let now: @Sendable () -> Date
    private var registered: JSONValue?
    private var lastStatusWrite: Date?

    init(client: any APIClient, node: NodeObject, events: EventRecorder, now: @escaping @Sendable () -> Date) {
        self.client = client
        self.node = node
        self.events = events
        self.now = now
    }

    private var name: String { node.configuration.nodeName }

    /// Creates or takes over the Node, writes its status and its Lease; the registered Node comes back.
    @discardableResult
    func register() async throws -> JSONValue {
        let desired = node.object()
        var stored: JSONValue
        do {
            stored = try await client.create(ResourceCatalog.nodes, namespace: nil, object: desired)
        } catch let error as StatusError where error.code == 409 {
            var existing = try await client.get(ResourceCatalog.nodes, namespace: nil, name: name)
            var labels = existing.value(at: ["metadata", "labels"])?.stringMap ?? [:]
            labels.merge(desired.value(at: ["metadata", "labels"])?.stringMap ?? [:]) { _, ours in ours }
            var annotations = existing.value(at: ["metadata", "annotations"])?.stringMap ?? [:]
            annotations.merge(desired.value(at: ["metadata", "annotations"])?.stringMap ?? [:]) { _, ours in ours }
            existing.setValue(.stringMap(labels), at: ["metadata", "labels"])
            existing.setValue(.stringMap(annotations), at: ["metadata", "annotations"])
            existing.setValue(Self.taints(existing: NodeView(existing).taintEntries, ours: node.configuration.taints),
                              at: ["spec", "taints"])
            stored = try await client.update(ResourceCatalog.nodes, namespace: nil, object: existing)
        }
        let time = now()
        stored = try await writeStatus(basedOn: stored, at: time)
        if registered == nil, let problem = node.cgroupProblem {
            await events.record(AgentEvent(type: "Warning", reason: "CgroupsUnavailable", message: problem), about: stored)
        }
        registered = stored
        // A server without node Leases must not keep the agent from running; heartbeat() reports it.
        try? await client.renewNodeLease(node: name, nodeUID: NodeView(stored).metadata.uid, now: time)
        return stored
    }

    /// Renews the Lease; writes the status when the API's differs from ours or is due for its
    /// periodic report; re-registers a Node that has disappeared.
    func heartbeat() async throws {
        let time = now()
        var leaseFailure: (any Error)?
        do {
            try await client.renewNodeLease(node: name, nodeUID: registered.map { NodeView($0).metadata.uid }, now: time)
        } catch {
            leaseFailure = error
        }
        do {
            let current = try await client.get(ResourceCatalog.nodes, namespace: nil, name: name)
            let due = lastStatusWrite.map { time.timeIntervalSince($0) >= node.configuration.statusReportInterval } ?? true
            if due || NodeObject.statusDiffers(current["status"], node.status(now: time, previous: current["status"]?["conditions"])) {
                registered = try await writeStatus(basedOn: current, at: time)
            }
        } catch let error as StatusError where error.code == 404 {
            try await register()
            return
        }
        if let leaseFailure { throw leaseFailure }
    }

    /// Writes the status as of `time`, with transition times kept from `stored` where a condition
    /// did not change.
    private func writeStatus(basedOn stored: JSONValue, at time: Date) async throws -> JSONValue {
        let body: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)],
                               "status": node.status(now: time, previous: stored["status"]?["conditions"])]
        let written = try await client.updateStatus(ResourceCatalog.nodes, namespace: nil, object: body)
        lastStatusWrite = time
        return written
    }

    /// The taints a restarted agent leaves on its Node: its own (`--taints`) and those the node
    /// lifecycle controller manages (`node.kubernetes.io/…`), which only the controller removes.
    static func taints(existing: [JSONValue], ours: [Taint]) -> JSONValue? {
        let kept = existing.filter { entry in
            guard let taint = Taint(json: entry), taint.key.hasPrefix("node.kubernetes.io/") else { return false }
            return !ours.contains { $0.matches(taint) }
        }
        let all = kept + ours.map(\.json)
        return all.isEmpty ? nil : .array(all)
    }
}
