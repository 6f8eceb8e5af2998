import Client
import ControllerRuntime
import Foundation
import Model

/// The apps/v1 DaemonSet controller: one pod per eligible node, placed through the scheduler by
/// a node affinity to that node; history as ControllerRevisions; RollingUpdate and OnDelete.
/// Decisions are pure (`DaemonPlacement`, `DaemonSetSync`, `DaemonSetRollout`,
/// `DaemonSetHistory`); this class holds the wiring: informers → keys → work queue →
/// `reconcile(key)` → API writes (DaemonSetController+Sync.swift, +History.swift).
public final class DaemonSetController: Reconciler, @unchecked Sendable {
    let client: any APIClient
    let recorder: any EventRecording
    let clock: any TimeSource
    let daemonSets: Informer
    let pods: Informer
    let nodes: Informer
    let revisions: Informer
    /// The work queue of DaemonSet keys (`namespace/name`).
    public let queue: WorkQueue
    /// Pod creations (by count) and deletions (by uid) not yet seen in the cache, per key.
    let expectations: Expectations
    /// The DaemonSet's resourceVersion after our last status write, per key.
    let writtenVersions = WrittenVersions()
    /// Per DaemonSet and node, when the next failed pod may be deleted (upstream's failedPodsBackoff).
    let failedPodBackoff: FailedPodBackoff
    /// Creations and deletions per sync at most (upstream's burstReplicas).
    let burst: Int
    /// Pod events → DaemonSet keys and expectations.
    let podEvents: OwnedPodEvents
    private var loop: ControllerLoop!

    public init(client: any APIClient, factory: SharedInformerFactory, recorder: any EventRecording,
                clock: any TimeSource = SystemTimeSource(), workers: Int = 2, burst: Int = 500) {
        self.client = client
        self.recorder = recorder
        self.clock = clock
        self.burst = burst
        daemonSets = factory.informer(ResourceCatalog.daemonSets)
        pods = factory.informer(ResourceCatalog.pods)
        nodes = factory.informer(ResourceCatalog.nodes)
        revisions = factory.informer(ResourceCatalog.controllerRevisions)
        queue = WorkQueue(name: "daemonset", clock: clock, backoff: RetryBackoff(base: 0.005, maximum: 60))
        expectations = Expectations(clock: clock)
        failedPodBackoff = FailedPodBackoff()
        podEvents = OwnedPodEvents(kind: "DaemonSet", owners: daemonSets, queue: queue, expectations: expectations)
        loop = ControllerLoop(name: "daemonset", queue: queue, workers: workers, reconciler: WeakReconciler(self))
        daemonSets.addHandler(WorkloadWiring.enqueueingKeys(queue))
        pods.addHandler(podEvents.handler)
        nodes.addHandler(InformerHandler(
            onAdd: { [weak self] _ in self?.enqueueAll() },
            onUpdate: { [weak self] old, new in if Self.placementChanged(old, new) { self?.enqueueAll() } },
            onDelete: { [weak self] _ in self?.enqueueAll() }))
        let ownerKey: @Sendable (JSONValue) -> Void = { [weak self] revision in
            guard let self, let ref = ObjectMetaView(revision["metadata"]).controllerReference, ref.kind == "DaemonSet" else { return }
            self.queue.add(ObjectMetaView(revision["metadata"]).namespace + "/" + ref.name)
        }
        revisions.addHandler(InformerHandler(onAdd: ownerKey, onUpdate: { _, new in ownerKey(new) }, onDelete: ownerKey))
    }

    /// Starts the workers (the factory is started by whoever owns it).
    public func start() { loop.start() }

    /// Stops the workers.
    public func stop() { loop.stop() }

    // MARK: Events → keys

    /// A node change matters to DaemonSets only through what placement reads: labels, taints,
    /// the name (heartbeats and status updates are ignored).
    static func placementChanged(_ old: JSONValue, _ new: JSONValue) -> Bool {
        old["metadata"]?["labels"] != new["metadata"]?["labels"] || old["spec"]?["taints"] != new["spec"]?["taints"]
    }

    private func enqueueAll() {
        for key in daemonSets.keys { queue.add(key) }
    }
}

/// Per DaemonSet and node, a back-off between deletions of failed pods: 1 s doubling to 15 min
/// (upstream's failedPodsBackoff), so a node whose agent keeps failing the pod is not hot-looped.
final class FailedPodBackoff: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (delay: Double, until: Date)] = [:]
    static let initial = 1.0, maximum = 900.0

    /// When the next failed pod of `key` on each node may go.
    func until(_ key: String) -> [String: Date] {
        let prefix = key + "|"
        return lock.withLock {
            Dictionary(uniqueKeysWithValues: entries.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key.dropFirst(prefix.count)), $0.value.until) })
        }
    }

    /// A failed pod of `key` on `node` was deleted at `now`: the next waits longer.
    func record(_ key: String, node: String, now: Date) {
        lock.withLock {
            let delay = entries[key + "|" + node].map { min($0.delay * 2, Self.maximum) } ?? Self.initial
            entries[key + "|" + node] = (delay, now.addingTimeInterval(delay))
        }
    }

    func forget(_ key: String) {
        lock.withLock { entries = entries.filter { !$0.key.hasPrefix(key + "|") } }
    }
}
