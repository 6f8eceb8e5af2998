import Client
import ControllerRuntime
import Foundation
import Model

/// The apps/v1 ReplicaSet controller: keeps `spec.replicas` active pods matching the template,
/// adopting orphans that match the selector and releasing pods that stop matching. Decisions are
/// `ReplicaSetSync` (pure); this class holds the wiring: informers → keys → work queue →
/// `reconcile(key)` → API writes (ReplicaSetController+Sync.swift).
public final class ReplicaSetController: Reconciler, @unchecked Sendable {
    let client: any APIClient
    let recorder: any EventRecording
    let clock: any TimeSource
    let replicaSets: Informer
    let pods: Informer
    /// The work queue of ReplicaSet keys (`namespace/name`).
    public let queue: WorkQueue
    /// Pod creations (by count) and deletions (by uid) not yet seen in the cache, per key.
    let expectations: Expectations
    /// The ReplicaSet's resourceVersion after our last status write, per key.
    let writtenVersions = WrittenVersions()
    private var loop: ControllerLoop!

    public init(client: any APIClient, factory: SharedInformerFactory, recorder: any EventRecording,
                clock: any TimeSource = SystemTimeSource(), workers: Int = 4) {
        self.client = client
        self.recorder = recorder
        self.clock = clock
        replicaSets = factory.informer(ResourceCatalog.replicaSets)
        pods = factory.informer(ResourceCatalog.pods)
        queue = WorkQueue(name: "replicaset", clock: clock, backoff: RetryBackoff(base: 0.005, maximum: 60))
        expectations = Expectations(clock: clock)
        loop = ControllerLoop(name: "replicaset", queue: queue, workers: workers, reconciler: WeakReconciler(self))
        replicaSets.addHandler(WorkloadWiring.enqueueingKeys(queue))
        pods.addHandler(InformerHandler(
            onAdd: { [weak self] in self?.podAdded(PodView($0)) },
            onUpdate: { [weak self] old, new in self?.podUpdated(PodView(old), PodView(new)) },
            onDelete: { [weak self] in self?.podDeleted(PodView($0)) }))
    }

    /// Starts the workers (the factory is started by whoever owns it).
    public func start() { loop.start() }

    /// Stops the workers.
    public func stop() { loop.stop() }

    // MARK: Events → keys

    /// The key of the ReplicaSet controlling `pod`, when it is in the cache with the referenced uid.
    func controllingKey(_ pod: PodView) -> String? {
        guard let ref = pod.metadata.controllerReference, ref.kind == "ReplicaSet", ref.group == "apps" else { return nil }
        let key = pod.namespace + "/" + ref.name
        guard let rs = replicaSets.get(key), ReplicaSetView(rs).uid == ref.uid else { return nil }
        return key
    }

    /// An orphan wakes every ReplicaSet of its namespace whose selector matches it (one may adopt it).
    private func enqueueMatching(_ pod: PodView) {
        guard pod.metadata.controllerReference == nil, !pod.isDeleting else { return }
        for object in replicaSets.byIndex(InformerIndex.namespace, pod.namespace) {
            let rs = ReplicaSetView(object)
            guard let selector = rs.selector.flatMap({ try? LabelSelector.from($0) }), !selector.isEmpty,
                  selector.matches(pod.labels) else { continue }
            queue.add(objectKey(object))
        }
    }

    private func podAdded(_ pod: PodView) {
        if pod.isDeleting { return podDeleted(pod) }   // a restart may show a pod already being deleted
        guard let key = controllingKey(pod) else { return enqueueMatching(pod) }
        expectations.creationObserved(key)
        queue.add(key)
    }

    private func podUpdated(_ old: PodView, _ new: PodView) {
        if old == new { return }
        if let oldKey = controllingKey(old), old.controllerUID != new.controllerUID { queue.add(oldKey) }
        guard let key = controllingKey(new) else {
            if old.labels != new.labels || old.controllerUID != new.controllerUID { enqueueMatching(new) }
            return
        }
        // A graceful deletion shows as an update with a deletionTimestamp: that is the deletion we expected.
        if new.isDeleting { expectations.deletionObserved(key, uid: new.uid) }
        queue.add(key)
    }

    private func podDeleted(_ pod: PodView) {
        guard let key = controllingKey(pod) else { return }
        expectations.deletionObserved(key, uid: pod.uid)
        queue.add(key)
    }
}
