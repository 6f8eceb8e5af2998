import Client
import ControllerRuntime
import Foundation
import Model

/// The batch/v1 Job controller: keeps each Job's pods running until its completions are reached or
/// it fails, counting every finished pod exactly once through the `batch.kubernetes.io/job-tracking`
/// finalizer. Decisions are `JobReconciler.plan` (pure); this class holds the wiring: informers →
/// keys → work queue → `reconcile(key)` → API writes.
public final class JobController: Reconciler, @unchecked Sendable {
    /// Keys of orphaned pods whose finalizer must go: `orphan-pod:<namespace>/<name>`.
    public static let orphanKeyPrefix = "orphan-pod:"

    let client: any APIClient
    let recorder: any EventRecording
    let clock: any TimeSource
    let jobs: Informer
    let pods: Informer
    /// PodGroups, for the gangs of Jobs that ask for one (`drover.dev/gang`).
    let podGroups: Informer
    /// The work queue of Job keys (`namespace/name`) and orphan-pod keys.
    public let queue: WorkQueue
    /// Pod creations (by count) and deletions (by uid) not yet seen in the cache, per Job key.
    let expectations: Expectations
    /// Finalizer removals (by pod uid) not yet seen in the cache, per Job key.
    let finalizerRemovals: Expectations
    /// The Job's resourceVersion after our last status write, per key.
    let writtenVersions = WrittenVersions()
    /// The uids of Jobs seen deleted, by key, until their sync frees their pods (by the controller
    /// index, instead of scanning the namespace's pods).
    let deletedJobs = DeletedJobs()
    private var loop: ControllerLoop!

    public init(client: any APIClient, factory: SharedInformerFactory, recorder: any EventRecording,
                clock: any TimeSource = SystemTimeSource(), workers: Int = 4) {
        self.client = client
        self.recorder = recorder
        self.clock = clock
        jobs = factory.informer(ResourceCatalog.jobs)
        pods = factory.informer(ResourceCatalog.pods)
        podGroups = factory.informer(ResourceCatalog.podGroups)
        queue = WorkQueue(name: "job", clock: clock, backoff: RetryBackoff(base: 1, maximum: 60))
        expectations = Expectations(clock: clock)
        finalizerRemovals = Expectations(clock: clock)
        loop = ControllerLoop(name: "job", queue: queue, workers: workers, reconciler: WeakReconciler(self))
        jobs.addHandler(InformerHandler(
            onAdd: { [weak self] in self?.queue.add(objectKey($0)) },
            onUpdate: { [weak self] old, new in self?.jobUpdated(old, new) },
            onDelete: { [weak self] in self?.jobDeleted($0) }))
        pods.addHandler(InformerHandler(
            onAdd: { [weak self] in self?.podAdded($0) },
            onUpdate: { [weak self] old, new in self?.podUpdated(old, new) },
            onDelete: { [weak self] in self?.podDeleted($0) }))
    }

    /// Starts the workers (the factory is started by whoever owns it).
    public func start() { loop.start() }

    /// Stops the workers.
    public func stop() { loop.stop() }

    // MARK: Events → keys

    private func jobUpdated(_ old: JSONValue, _ new: JSONValue) {
        if JobView(old).metadata.resourceVersion == JobView(new).metadata.resourceVersion, old == new { return }
        queue.add(objectKey(new))
    }

    private func jobDeleted(_ object: JSONValue) {
        let key = objectKey(object)
        deletedJobs.record(key, uid: JobView(object).uid)
        queue.add(key)
    }

    /// The key of the Job controlling `pod`, when that Job is in the cache with the referenced uid.
    func controllingJobKey(_ pod: PodView) -> String? {
        guard let ref = pod.metadata.controllerReference, ref.kind == "Job" else { return nil }
        let key = pod.namespace + "/" + ref.name
        guard let job = jobs.get(key), JobView(job).uid == ref.uid else { return nil }
        return key
    }

    private func podAdded(_ object: JSONValue) {
        let pod = PodView(object)
        guard let key = controllingJobKey(pod) else { return enqueueOrphanIfTracked(pod) }
        if pod.isDeleting {
            expectations.deletionObserved(key, uid: pod.uid)
        } else {
            expectations.creationObserved(key)
        }
        if !pod.metadata.hasFinalizer(JobView.trackingFinalizer) { finalizerRemovals.deletionObserved(key, uid: pod.uid) }
        queue.add(key)
    }

    private func podUpdated(_ oldObject: JSONValue, _ newObject: JSONValue) {
        let old = PodView(oldObject), new = PodView(newObject)
        if old.metadata.resourceVersion == new.metadata.resourceVersion, oldObject == newObject { return }
        if let oldKey = controllingJobKey(old), old.controllerUID != new.controllerUID { queue.add(oldKey) }
        guard let key = controllingJobKey(new) else { return enqueueOrphanIfTracked(new) }
        if new.isDeleting { expectations.deletionObserved(key, uid: new.uid) }
        if !new.metadata.hasFinalizer(JobView.trackingFinalizer) { finalizerRemovals.deletionObserved(key, uid: new.uid) }
        queue.add(key)
    }

    private func podDeleted(_ object: JSONValue) {
        let pod = PodView(object)
        guard let key = controllingJobKey(pod) else { return enqueueOrphanIfTracked(pod) }
        expectations.deletionObserved(key, uid: pod.uid)
        finalizerRemovals.deletionObserved(key, uid: pod.uid)
        queue.add(key)
    }

    /// A pod keeping the finalizer without a live controlling Job would never be freed otherwise.
    private func enqueueOrphanIfTracked(_ pod: PodView) {
        guard pod.metadata.hasFinalizer(JobView.trackingFinalizer) else { return }
        if let ref = pod.metadata.controllerReference, ref.kind == "Job" {
            queue.add(pod.namespace + "/" + ref.name)   // the Job's key: its sync sweeps its leftovers
        } else if pod.metadata.controllerReference == nil {
            queue.add(Self.orphanKeyPrefix + pod.namespace + "/" + pod.name)
        }
    }
}

/// Uids of deleted Jobs by key (thread-safe).
final class DeletedJobs: @unchecked Sendable {
    private let lock = NSLock()
    private var uids: [String: String] = [:]

    func record(_ key: String, uid: String) { lock.withLock { uids[key] = uid } }

    /// The uid recorded for `key`, forgotten as it is read.
    func take(_ key: String) -> String? { lock.withLock { uids.removeValue(forKey: key) } }
}
