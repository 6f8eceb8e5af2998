import Foundation
import Model
import Store

/// What the pods bound to each node request against what the node can allocate, so a binding
/// that would overfill a node is refused even when two schedulers race for it (each scheduler
/// only counts its own placements). Kubernetes leaves this to the kubelet's admission, which fails
/// such a pod (OutOfcpu); refusing the binding instead keeps the pod pending and schedulable.
///
/// Fed by the watch hub with every pod and node change (the committed state, a little behind);
/// bindings this server has committed but the hub has not seen yet stay reserved until it has.
/// Bindings through another API server sharing the database are only seen once committed, so
/// two servers can still overfill a node between them for the length of that lag.
final class NodeCapacity: @unchecked Sendable {
    /// Why a binding does not fit its node.
    struct Refusal: Error, Equatable {
        var reason: String
    }

    private struct Placement {
        var node: String
        var requests: ResourceAmounts
    }

    private let lock = NSLock()
    /// Node name → allocatable (status.allocatable, else capacity), for nodes the hub has seen.
    private var allocatable: [String: ResourceAmounts] = [:]
    /// Bound, unfinished pods as the hub last saw them.
    private var observed: [ObjectKey: Placement] = [:]
    /// Bindings reserved by this server that the hub has not shown yet, by pod and then by
    /// reservation: two bindings of one pod (two schedulers racing for it) each hold their own
    /// node until the loser's is cancelled, so neither node is undercounted meanwhile.
    private var reserved: [ObjectKey: [Int: Placement]] = [:]
    private var nextReservation = 0
    /// Node name → Σ requests of its observed and reserved pods.
    private var used: [String: ResourceAmounts] = [:]

    /// Records a pod or node change (the hub calls this for every change, in order).
    func observe(_ type: ChangeType, key: ObjectKey, object: JSONValue) {
        if key.resource == ResourceCatalog.nodes.storageName {
            let amounts = object.value(at: ["status", "allocatable"]) ?? object.value(at: ["status", "capacity"])
            lock.withLock { allocatable[key.name] = type == .deleted || amounts == nil ? nil : ResourceAmounts(requests: amounts) }
            return
        }
        guard key.resource == ResourceCatalog.pods.storageName else { return }
        let node = object.value(at: ["spec", "nodeName"])?.string ?? ""
        let phase = object.value(at: ["status", "phase"])?.string
        let gone = type == .deleted || phase == "Succeeded" || phase == "Failed"
        let placement = !gone && !node.isEmpty ? Placement(node: node, requests: ResourceAmounts(effectiveRequestsOf: object)) : nil
        lock.withLock {
            if let old = observed.removeValue(forKey: key) { release(old) }
            if let placement {
                observed[key] = placement
                hold(placement)
            }
            // A reservation ends when the hub shows the pod bound (now counted above) or gone; an
            // earlier change of the still unbound pod leaves it in place.
            if placement != nil || gone, let pending = reserved.removeValue(forKey: key) { pending.values.forEach(release) }
        }
    }

    /// Reserves room for each binding in order: a reservation number where it fits, else why not.
    /// Nodes the hub has not seen are not checked (a binding may name a node that registers later).
    func reserve(_ bindings: [(key: ObjectKey, node: String, requests: ResourceAmounts)]) -> [Result<Int, Refusal>] {
        lock.withLock {
            bindings.map { binding in
                if let capacity = allocatable[binding.node],
                   let short = Self.shortfall(binding.requests, capacity: capacity, used: used[binding.node] ?? ResourceAmounts()) {
                    return .failure(Refusal(reason: short))
                }
                let placement = Placement(node: binding.node, requests: binding.requests)
                nextReservation += 1
                reserved[binding.key, default: [:]][nextReservation] = placement
                hold(placement)
                return .success(nextReservation)
            }
        }
    }

    /// Drops reservation `number` of pod `key`, whose binding was not committed.
    func cancel(_ key: ObjectKey, reservation number: Int) {
        lock.withLock {
            guard let placement = reserved[key]?.removeValue(forKey: number) else { return }
            if reserved[key]?.isEmpty == true { reserved[key] = nil }
            release(placement)
        }
    }

    /// What a node's pods request now (observed and reserved), for tests and diagnostics.
    func requested(on node: String) -> ResourceAmounts {
        lock.withLock { used[node] ?? ResourceAmounts() }
    }

    private func hold(_ placement: Placement) {
        used[placement.node] = (used[placement.node] ?? ResourceAmounts()) + placement.requests
    }

    private func release(_ placement: Placement) {
        used[placement.node] = (used[placement.node] ?? ResourceAmounts()) - placement.requests
    }

    /// Why `requests` do not fit beside `used` in `capacity`, naming the first resource that falls
    /// short, or nil. Only resources the pod requests and the node declares (a positive amount)
    /// count: this is a guard against overfilling, the scheduler's fit filter has the full rules.
    static func shortfall(_ requests: ResourceAmounts, capacity: ResourceAmounts, used: ResourceAmounts) -> String? {
        func short(_ name: String, _ want: Int64, _ total: Int64, _ taken: Int64, _ format: (Int64) -> String) -> String? {
            guard want > 0, total > 0, want > total - taken else { return nil }
            return "insufficient \(name): the pod requests \(format(want)), \(format(max(0, total - taken))) of \(format(total)) free"
        }
        let plain: (Int64) -> String = { String($0) }
        if let reason = short("pods", requests.pods, capacity.pods, used.pods, plain) { return reason }
        if let reason = short("cpu", requests.milliCPU, capacity.milliCPU, used.milliCPU, { "\($0)m" }) { return reason }
        if let reason = short("memory", requests.memory, capacity.memory, used.memory, plain) { return reason }
        if let reason = short("ephemeral-storage", requests.ephemeralStorage, capacity.ephemeralStorage, used.ephemeralStorage, plain) {
            return reason
        }
        for (name, want) in requests.scalars.sorted(by: { $0.key < $1.key }) {
            if let reason = short(name, want, capacity.scalars[name] ?? 0, used.scalars[name] ?? 0, plain) { return reason }
        }
        return nil
    }
}
