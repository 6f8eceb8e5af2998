import Client
import ControllerRuntime
import Foundation
import Model

/// Releases Jobs held by their `drover.dev/depends-on` requirements (Slurm's `--dependency`): the
/// API server creates such a Job suspended; this controller says in the DependenciesSatisfied
/// condition what it waits for, unsuspends it the moment every requirement holds, and marks it
/// FailureTarget (the Job controller then fails it) when one never can.
///
/// Driven only by the shared Job informer: a change of a Job's state enqueues the Jobs that name it
/// (an index by upstream name) and the singleton Jobs of its group (an index by generateName), so
/// a release follows the event that allows it, with no polling. Decisions are `DependencySync.plan`
/// (pure); this class holds the wiring.
public final class JobDependencyController: Reconciler, @unchecked Sendable {
    /// Index of Jobs by `namespace/name` of each Job their annotation names.
    public static let upstreamIndex = "jobdependency.upstream"
    /// Index of Jobs by `namespace/generateName`.
    public static let groupIndex = "jobdependency.group"

    let client: any APIClient
    let recorder: any EventRecording
    let clock: any TimeSource
    let jobs: Informer
    /// The work queue of Job keys (`namespace/name`).
    public let queue: WorkQueue
    let writtenVersions = WrittenVersions()
    private var loop: ControllerLoop!

    public init(client: any APIClient, factory: SharedInformerFactory, recorder: any EventRecording,
                clock: any TimeSource = SystemTimeSource(), workers: Int = 2) {
        self.client = client
        self.recorder = recorder
        self.clock = clock
        jobs = factory.informer(ResourceCatalog.jobs)
        queue = WorkQueue(name: "jobdependency", clock: clock)
        loop = ControllerLoop(name: "jobdependency", queue: queue, workers: workers, reconciler: WeakReconciler(self))
        jobs.addIndex(Self.upstreamIndex) { object in
            let job = JobView(object)
            return job.dependencies.compactMap { $0.job.map { "\(job.namespace)/\($0)" } }
        }
        jobs.addIndex(Self.groupIndex) { object in
            let job = JobView(object)
            return job.dependencyGroup.map { ["\(job.namespace)/\($0)"] } ?? []
        }
        jobs.addHandler(InformerHandler(
            onAdd: { [weak self] in self?.jobAdded($0) },
            onUpdate: { [weak self] old, new in self?.jobUpdated(old, new) },
            onDelete: { [weak self] in self?.jobDeleted($0) }))
    }

    /// Starts the workers (the factory is started by whoever owns it).
    public func start() { loop.start() }

    /// Stops the workers.
    public func stop() { loop.stop() }

    // MARK: Events → keys

    /// A Job this controller has something to do with: it has requirements or is held.
    private static func isDependent(_ job: JobView) -> Bool { job.dependencyText != nil || job.isHeldByDependencies }

    private func jobAdded(_ object: JSONValue) {
        let job = JobView(object)
        if Self.isDependent(job) { queue.add(objectKey(object)) }
        enqueueDependents(of: job)   // a Job re-created under a name others wait for
    }

    private func jobUpdated(_ oldObject: JSONValue, _ newObject: JSONValue) {
        let old = JobView(oldObject), new = JobView(newObject)
        if old.metadata.resourceVersion == new.metadata.resourceVersion, oldObject == newObject { return }
        if Self.isDependent(new) || Self.isDependent(old) { queue.add(objectKey(newObject)) }
        if old.dependencyState != new.dependencyState || old.hasStarted != new.hasStarted { enqueueDependents(of: new) }
    }

    private func jobDeleted(_ object: JSONValue) {
        writtenVersions.forget(objectKey(object))
        enqueueDependents(of: JobView(object))
    }

    /// The Jobs that name `job`, and the unfinished singleton Jobs of its group.
    private func enqueueDependents(of job: JobView) {
        for key in jobs.keys(inIndex: Self.upstreamIndex, "\(job.namespace)/\(job.name)") { queue.add(key) }
        guard let group = job.dependencyGroup else { return }
        for peer in jobs.byIndex(Self.groupIndex, "\(job.namespace)/\(group)").map(JobView.init)
        where peer.name != job.name && !peer.isFinished && peer.dependencies.contains(JobDependency(.singleton)) {
            queue.add("\(peer.namespace)/\(peer.name)")
        }
    }

    // MARK: Sync

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        guard let object = jobs.get(key) else {
            writtenVersions.forget(key)
            return .done
        }
        let job = JobView(object)
        // Our last write has not reached the cache: its own event brings the key back.
        if writtenVersions.isBehind(key, cached: job.metadata.resourceVersion) { return .done }
        var upstream: [String: JobView] = [:]
        for name in Set(job.dependencies.compactMap(\.job)) {
            if let found = jobs.get("\(job.namespace)/\(name)") { upstream[name] = JobView(found) }
        }
        let group = job.dependencyGroup.map { jobs.byIndex(Self.groupIndex, "\(job.namespace)/\($0)").map(JobView.init) } ?? []
        let plan = DependencySync.plan(DependencySyncInput(job: job, upstream: upstream, group: group, now: clock.now))
        do {
            try await apply(plan, to: object, key: key)
        } catch let error as StatusError where error.code == 409 || error.code == 404 {
            // The Job changed (or went) under us: its own event brings the key back, or nothing to do.
            return .done
        }
        return .done
    }

    /// The status first (so a released Job already says why), then the patch of the Job itself.
    private func apply(_ plan: DependencyPlan, to object: JSONValue, key: String) async throws {
        let namespace = JobView(object).namespace
        let existing = object["status"]
        let status = plan.status.json(merging: existing)
        if status != (existing ?? .emptyObject) {
            var updated = object
            updated["status"] = status
            let stored = try await client.updateStatus(ResourceCatalog.jobs, namespace: namespace, object: updated)
            writtenVersions.record(key, JobView(stored).metadata.resourceVersion)
        }
        guard plan.changesJob else { return }
        let patched = try await client.patch(ResourceCatalog.jobs, namespace: namespace, name: JobView(object).name,
                                             type: .json, body: .array(plan.patch))
        writtenVersions.record(key, JobView(patched).metadata.resourceVersion)
        if plan.release {
            let message = plan.status.condition(JobDependencies.condition)?.message ?? ""
            recorder.record(patched, type: "Normal", reason: "DependenciesSatisfied", message: "Released: \(message)")
        }
    }
}
