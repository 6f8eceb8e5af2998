import Client
import ControllerRuntime
import Foundation
import Model

/// The apps/v1 Deployment controller: rolls a Deployment's template out through ReplicaSets
/// named `<deployment>-<pod-template-hash>` (RollingUpdate within maxSurge / maxUnavailable, or
/// Recreate), keeps revisions and history, and reports progress in conditions that `kubectl
/// rollout status` reads. Decisions are `DeploymentSync` (pure); this class holds the wiring
/// (informers → keys → work queue → `reconcile(key)`, in DeploymentController+Sync.swift).
public final class DeploymentController: Reconciler, @unchecked Sendable {
    let client: any APIClient
    let recorder: any EventRecording
    let clock: any TimeSource
    let deployments: Informer
    let replicaSets: Informer
    let pods: Informer
    /// The work queue of Deployment keys (`namespace/name`).
    public let queue: WorkQueue
    /// ReplicaSet creations not yet seen in the cache, per Deployment key.
    let expectations: Expectations
    /// Resource versions after our own writes, keyed by Deployment key and by `rs:<ReplicaSet key>`.
    let writtenVersions = WrittenVersions()
    private var loop: ControllerLoop!

    public init(client: any APIClient, factory: SharedInformerFactory, recorder: any EventRecording,
                clock: any TimeSource = SystemTimeSource(), workers: Int = 4) {
        self.client = client
        self.recorder = recorder
        self.clock = clock
        deployments = factory.informer(ResourceCatalog.deployments)
        replicaSets = factory.informer(ResourceCatalog.replicaSets)
        pods = factory.informer(ResourceCatalog.pods)
        queue = WorkQueue(name: "deployment", clock: clock, backoff: RetryBackoff(base: 0.005, maximum: 60))
        expectations = Expectations(clock: clock)
        loop = ControllerLoop(name: "deployment", queue: queue, workers: workers, reconciler: WeakReconciler(self))
        deployments.addHandler(WorkloadWiring.enqueueingKeys(queue))
        replicaSets.addHandler(InformerHandler(
            onAdd: { [weak self] in self?.replicaSetAdded(ReplicaSetView($0)) },
            onUpdate: { [weak self] old, new in self?.replicaSetUpdated(ReplicaSetView(old), ReplicaSetView(new)) },
            onDelete: { [weak self] in self?.replicaSetDeleted(ReplicaSetView($0)) }))
        pods.addHandler(InformerHandler(
            onAdd: { _ in }, onUpdate: { _, _ in },
            onDelete: { [weak self] in self?.podDeleted(PodView($0)) }))
    }

    /// Starts the workers (the factory is started by whoever owns it).
    public func start() { loop.start() }

    /// Stops the workers.
    public func stop() { loop.stop() }

    // MARK: Events → keys

    /// The key of the Deployment controlling `rs`, when it is in the cache with the referenced uid.
    func controllingKey(_ rs: ReplicaSetView) -> String? {
        guard let ref = rs.metadata.controllerReference, ref.kind == "Deployment", ref.group == "apps" else { return nil }
        let key = rs.namespace + "/" + ref.name
        guard let d = deployments.get(key), DeploymentView(d).uid == ref.uid else { return nil }
        return key
    }

    /// An orphan ReplicaSet wakes the Deployments of its namespace whose selector matches it.
    private func enqueueMatching(_ rs: ReplicaSetView) {
        guard rs.metadata.controllerReference == nil, !rs.isDeleting else { return }
        for object in deployments.byIndex(InformerIndex.namespace, rs.namespace) {
            guard let selector = DeploymentView(object).selector.flatMap({ try? LabelSelector.from($0) }), !selector.isEmpty,
                  selector.matches(rs.metadata.labels) else { continue }
            queue.add(objectKey(object))
        }
    }

    private func replicaSetAdded(_ rs: ReplicaSetView) {
        guard let key = controllingKey(rs) else { return enqueueMatching(rs) }
        expectations.creationObserved(key)
        queue.add(key)
    }

    private func replicaSetUpdated(_ old: ReplicaSetView, _ new: ReplicaSetView) {
        if old == new { return }
        if let oldKey = controllingKey(old), old.metadata.controllerReference?.uid != new.metadata.controllerReference?.uid {
            queue.add(oldKey)
        }
        guard let key = controllingKey(new) else {
            if old.metadata.labels != new.metadata.labels || old.metadata.controllerReference != new.metadata.controllerReference {
                enqueueMatching(new)
            }
            return
        }
        queue.add(key)
    }

    private func replicaSetDeleted(_ rs: ReplicaSetView) {
        if let key = controllingKey(rs) { queue.add(key) }
    }

    /// Recreate waits until the old pods are gone: the last one's deletion wakes the Deployment.
    private func podDeleted(_ pod: PodView) {
        guard let ref = pod.metadata.controllerReference, ref.kind == "ReplicaSet",
              let rs = replicaSets.get(pod.namespace + "/" + ref.name).map(ReplicaSetView.init), rs.uid == ref.uid,
              let key = controllingKey(rs) else { return }
        queue.add(key)
    }
}
