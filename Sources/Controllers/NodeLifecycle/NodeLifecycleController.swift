import Client
import ControllerRuntime
import Foundation
import Model

/// Upstream's node lifecycle controller: watches every node's heartbeat (its Lease in
/// `kube-node-lease` and its Ready condition), marks a node whose heartbeat is older than the
/// grace period Unknown ("Kubelet stopped posting node status."), keeps the condition taints on
/// nodes (NoSchedule at once; `not-ready` / `unreachable` NoExecute rate-limited per zone, so the
/// taint eviction controller evicts their pods) and takes them off a node that comes back.
///
/// The decisions are `NodeLifecyclePass` (pure). The work is one key, a pass over all nodes,
/// run every monitor period (sooner when a zone's next eviction token is due) and whenever a
/// node is added or removed or its Ready status, taints or cordon change.
public final class NodeLifecycleController: Reconciler, @unchecked Sendable {
    static let key = "nodes"
    /// How many nodes are written at once.
    static let writers = 8

    let client: any APIClient
    let recorder: any EventRecording
    let clock: any TimeSource
    let options: NodeLifecycleOptions
    let nodes: Informer
    let leases: Informer
    /// The work queue (one key: the pass).
    public let queue: WorkQueue
    let heartbeats = NodeHeartbeats()
    private let lock = NSLock()
    private var buckets: [String: TokenBucket] = [:]
    private var everyZoneDown = false
    private var loop: ControllerLoop!

    public init(client: any APIClient, factory: SharedInformerFactory, recorder: any EventRecording,
                clock: any TimeSource = SystemTimeSource(), options: NodeLifecycleOptions = NodeLifecycleOptions()) {
        self.client = client
        self.recorder = recorder
        self.clock = clock
        self.options = options
        nodes = factory.informer(ResourceCatalog.nodes)
        leases = factory.informer(ResourceCatalog.leases)
        queue = WorkQueue(name: "nodelifecycle", clock: clock, backoff: RetryBackoff(base: 0.05, maximum: options.monitorPeriod))
        loop = ControllerLoop(name: "nodelifecycle", queue: queue, workers: 1, reconciler: WeakReconciler(self))
        nodes.addHandler(InformerHandler(
            onAdd: { [weak self] _ in self?.queue.add(Self.key) },
            onUpdate: { [weak self] old, new in if Self.matters(NodeView(old), NodeView(new)) { self?.queue.add(Self.key) } },
            onDelete: { [weak self] _ in self?.queue.add(Self.key) }))
    }

    /// An update that may change a decision at once; heartbeats alone wait for the next pass.
    static func matters(_ old: NodeView, _ new: NodeView) -> Bool {
        old.readyStatus != new.readyStatus || old.taints != new.taints || old.unschedulable != new.unschedulable
            || old.conditions.map(\.status) != new.conditions.map(\.status)
    }

    /// Starts the worker and the first pass (the factory is started by whoever owns it).
    public func start() {
        loop.start()
        queue.add(Self.key)
    }

    /// Stops the worker.
    public func stop() { loop.stop() }

    /// The zones' states as of the last pass (for tests and diagnostics).
    public var zoneStates: [String: ZoneState] { lock.withLock { lastZoneStates } }
    private var lastZoneStates: [String: ZoneState] = [:]

    /// One pass over every node in the cache; requeues itself.
    public func reconcile(_ key: String) async throws -> ReconcileResult {
        let now = clock.now
        let cached = nodes.list().map(NodeView.init)
        heartbeats.retain(Set(cached.map(\.name)))
        let snapshots = cached.map { node in
            let lease = leases.get(NodeLease.namespace + "/" + node.name).map(LeaseView.init)
            let signature = NodeHeartbeats.signature(node: node, lease: lease)
            return NodeSnapshot(node: node, probedAt: heartbeats.observe(node.name, signature: signature, now: now))
        }
        let zones = Set(cached.map(\.zoneKey))
        let pass = lock.withLock { () -> NodeLifecyclePass in
            let pass = NodeLifecyclePass.plan(snapshots, now: now, options: options, wasEveryZoneDown: everyZoneDown, buckets: &buckets)
            everyZoneDown = pass.everyZoneDown
            lastZoneStates = pass.zoneStates
            buckets = buckets.filter { zones.contains($0.key) }
            return pass
        }
        if pass.restartHeartbeats { heartbeats.restartAll(at: now) }
        let byName = Dictionary(cached.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var firstError: (any Error)?
        for start in stride(from: 0, to: pass.changes.count, by: Self.writers) {
            let batch = pass.changes[start..<min(start + Self.writers, pass.changes.count)]
            let errors = await withTaskGroup(of: (any Error)?.self) { group in
                for change in batch {
                    guard let node = byName[change.name] else { continue }
                    group.addTask { [self] in await apply(change, to: node) }
                }
                var errors: [any Error] = []
                for await error in group { if let error { errors.append(error) } }
                return errors
            }
            firstError = firstError ?? errors.first
        }
        if let firstError { throw firstError }
        return .requeue(after: pass.requeueAfter)
    }

    /// Writes one node's change: the conditions through nodes/status, then the taints (both
    /// compare-and-swap; a conflict waits for the next pass, which sees the newer node).
    private func apply(_ change: NodeChange, to node: NodeView) async -> (any Error)? {
        var current = node.object
        do {
            if let conditions = change.conditions {
                current.setValue(.array(conditions), at: ["status", "conditions"])
                current = try await client.updateStatus(ResourceCatalog.nodes, namespace: nil, object: current)
                if change.becameUnknown {
                    recorder.record(current, type: "Normal", reason: "NodeNotReady", message: "Node \(node.name) status is now: NodeNotReady")
                }
            }
            if let taints = change.taints {
                current.setValue(taints.isEmpty ? nil : .array(taints), at: ["spec", "taints"])
                _ = try await client.update(ResourceCatalog.nodes, namespace: nil, object: current)
            }
            return nil
        } catch let error as StatusError where error.code == 404 || error.code == 409 {
            return nil
        } catch {
            return error
        }
    }
}
