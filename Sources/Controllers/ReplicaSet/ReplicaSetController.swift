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
    /// Pod events → ReplicaSet keys and expectations.
    let podEvents: OwnedPodEvents
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
        podEvents = OwnedPodEvents(kind: "ReplicaSet", owners: replicaSets, queue: queue, expectations: expectations)
        loop = ControllerLoop(name: "replicaset", queue: queue, workers: workers, reconciler: WeakReconciler(self))
        replicaSets.addHandler(WorkloadWiring.enqueueingKeys(queue))
        pods.addHandler(podEvents.handler)
    }

    /// Starts the workers (the factory is started by whoever owns it).
    public func start() { loop.start() }

    /// Stops the workers.
    public func stop() { loop.stop() }
}
