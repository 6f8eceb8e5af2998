import Foundation
import Model

/// What the controller last saw of each node's heartbeat, and when — on its own clock — it saw it
/// change (upstream's nodeHealthMap probeTimestamp). A heartbeat is the Lease's renewTime or the
/// Ready condition's lastHeartbeatTime; either changing counts. Staleness is measured on the
/// controller's clock, never the agent's, so skewed clocks on worker machines do not matter; a
/// node first seen (a new node, or every node after a controller restart) gets a full grace period.
final class NodeHeartbeats: @unchecked Sendable {
    private struct Seen {
        var signature: String
        var probedAt: Date
    }

    private let lock = NSLock()
    private var seen: [String: Seen] = [:]

    /// The heartbeat signature of a node: what must change for the node to count as alive.
    static func signature(node: NodeView, lease: LeaseView?) -> String {
        let status = node.condition("Ready")?.object["lastHeartbeatTime"]?.string ?? ""
        return status + "|" + (lease?.renewTimeText ?? "")
    }

    /// Records the node's current signature; returns when it last changed.
    func observe(_ node: String, signature: String, now: Date) -> Date {
        lock.withLock {
            if let previous = seen[node], previous.signature == signature { return previous.probedAt }
            seen[node] = Seen(signature: signature, probedAt: now)
            return now
        }
    }

    /// Every node counts as heard from `now` (upstream does this when the cluster leaves full
    /// disruption: the nodes did not fail, the control plane did).
    func restartAll(at now: Date) {
        lock.withLock { for name in seen.keys { seen[name]?.probedAt = now } }
    }

    /// Drops nodes that no longer exist.
    func retain(_ names: Set<String>) {
        lock.withLock { seen = seen.filter { names.contains($0.key) } }
    }
}

/// Upstream's tryUpdateNodeHealth, as pure functions: when a node's heartbeat is stale and what its
/// conditions become then.
enum NodeHealth {
    /// The conditions the agent owns; a stale node has them Unknown (added when it never posted one).
    static let agentConditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]
    /// Drover's own agent condition, set Unknown when present but never added.
    static let optionalAgentConditions = ["CgroupsUnavailable"]
    static let unknownReason = "NodeStatusUnknown"
    static let unknownMessage = "Kubelet stopped posting node status."
    static let neverUpdatedReason = "NodeStatusNeverUpdated"
    static let neverUpdatedMessage = "Kubelet never posted node status."

    /// Stale once more than `grace` has passed since the heartbeat was last seen changing.
    static func isStale(probedAt: Date, now: Date, grace: TimeInterval) -> Bool {
        now > probedAt.addingTimeInterval(grace)
    }

    /// The conditions of a stale node: each agent condition Unknown (transition time `now` for
    /// those that change), missing ones added as never updated. nil when nothing changes.
    static func unknownConditions(_ conditions: [JSONValue], created: Date?, now: Date) -> [JSONValue]? {
        var result = conditions
        var changed = false
        let stamp = JSONValue.string(Timestamp.format(now))
        for type in agentConditions + optionalAgentConditions {
            if let i = result.firstIndex(where: { $0["type"]?.string == type }) {
                guard result[i]["status"]?.string != "Unknown" else { continue }
                result[i]["status"] = "Unknown"
                result[i]["reason"] = .string(unknownReason)
                result[i]["message"] = .string(unknownMessage)
                result[i]["lastTransitionTime"] = stamp
                changed = true
            } else if agentConditions.contains(type) {
                result.append(["type": .string(type), "status": "Unknown", "reason": .string(neverUpdatedReason),
                               "message": .string(neverUpdatedMessage),
                               "lastHeartbeatTime": .string(Timestamp.format(created ?? now)), "lastTransitionTime": stamp])
                changed = true
            }
        }
        return changed ? result : nil
    }
}
