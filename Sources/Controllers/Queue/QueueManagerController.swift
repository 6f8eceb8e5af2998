import Client
import ControllerRuntime
import Foundation
import Model
import Queueing

/// Drover's queue manager for Kueue's API (kueue.x-k8s.io/v1beta1): Kueue's job reconciler and
/// scheduler in one controller.
///
/// Two kinds of keys share its work queue:
/// - `job/<namespace>/<name>`, for each Job labelled `kueue.x-k8s.io/queue-name`: create its
///   Workload, start it once admitted (flavor node labels and tolerations injected), keep it
///   suspended while not, mark its Workload Finished when it ends, and mirror the Workload's
///   QuotaReserved condition onto it (`JobQueueSync.plan`, pure);
/// - `queues`, one pass over every ClusterQueue: admit what fits, say why the rest waits, and
///   write ClusterQueue and LocalQueue status (`QueueScheduling.plan`, pure, in Queueing/).
/// Workload, queue, flavor and namespace events enqueue `queues`; a Workload event also its Job.
public final class QueueManagerController: Reconciler, @unchecked Sendable {
    /// The key of the admission pass.
    public static let passKey = "queues"
    static let jobPrefix = "job/"

    let client: any APIClient
    let recorder: any EventRecording
    let clock: any TimeSource
    let jobs: Informer
    let workloads: Informer
    let clusterQueues: Informer
    let localQueues: Informer
    let flavors: Informer
    let namespaces: Informer
    let workloadPriorityClasses: Informer
    let priorityClasses: Informer
    /// The work queue of keys.
    public let queue: WorkQueue
    /// Workloads as this controller last wrote them, until the cache catches up: a pass must
    /// charge quota it just granted even if the informer has not seen the write yet.
    let written = WrittenObjects()
    /// Paces position-only changes of pending messages.
    let positionWrites = PositionWrites()
    private var loop: ControllerLoop!

    public init(client: any APIClient, factory: SharedInformerFactory, recorder: any EventRecording,
                clock: any TimeSource = SystemTimeSource(), workers: Int = 2) {
        self.client = client
        self.recorder = recorder
        self.clock = clock
        jobs = factory.informer(ResourceCatalog.jobs)
        workloads = factory.informer(ResourceCatalog.workloads)
        clusterQueues = factory.informer(ResourceCatalog.clusterQueues)
        localQueues = factory.informer(ResourceCatalog.localQueues)
        flavors = factory.informer(ResourceCatalog.resourceFlavors)
        namespaces = factory.informer(ResourceCatalog.namespaces)
        workloadPriorityClasses = factory.informer(ResourceCatalog.workloadPriorityClasses)
        priorityClasses = factory.informer(ResourceCatalog.priorityClasses)
        queue = WorkQueue(name: "queuemanager", clock: clock, backoff: RetryBackoff(base: 0.005, maximum: 30))
        loop = ControllerLoop(name: "queuemanager", queue: queue, workers: workers, reconciler: WeakReconciler(self))

        jobs.addHandler(InformerHandler(
            onAdd: { [weak self] in self?.jobChanged($0) },
            onUpdate: { [weak self] old, new in if old != new { self?.jobChanged(new) } },
            onDelete: { [weak self] in self?.jobChanged($0) }))
        workloads.addHandler(InformerHandler(
            onAdd: { [weak self] in self?.workloadChanged($0) },
            onUpdate: { [weak self] old, new in if old != new { self?.workloadChanged(new) } },
            onDelete: { [weak self] in self?.workloadChanged($0) }))
        let pass = InformerHandler(onAdd: { [weak self] _ in self?.queue.add(Self.passKey) },
                                   onUpdate: { [weak self] old, new in if old != new { self?.queue.add(Self.passKey) } },
                                   onDelete: { [weak self] _ in self?.queue.add(Self.passKey) })
        for informer in [clusterQueues, localQueues, flavors, namespaces] { informer.addHandler(pass) }
    }

    /// Starts the workers (the factory is started by whoever owns it).
    public func start() { loop.start() }

    /// Stops the workers.
    public func stop() { loop.stop() }

    private func jobChanged(_ object: JSONValue) {
        let job = JobView(object)
        guard job.queueName != nil else { return }
        queue.add(Self.jobPrefix + objectKey(object))
    }

    private func workloadChanged(_ object: JSONValue) {
        let workload = WorkloadView(object)
        written.observed(workload.key, object)
        if let owner = workload.ownerJob { queue.add("\(Self.jobPrefix)\(workload.namespace)/\(owner.name)") }
        queue.add(Self.passKey)
    }

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        if key == Self.passKey {
            try await runPass()
        } else if key.hasPrefix(Self.jobPrefix) {
            try await syncJob(String(key.dropFirst(Self.jobPrefix.count)))
        }
        return .done
    }

    // MARK: Jobs

    /// The Workload the cache (or this controller's last write) has for a Job.
    func workload(of job: JobView) -> WorkloadView? {
        let key = "\(job.namespace)/\(WorkloadBuilder.name(for: job))"
        guard let object = written.latest(key, cached: workloads.get(key)) else { return nil }
        let workload = WorkloadView(object)
        return workload.ownerJob?.uid == job.uid ? workload : nil
    }

    func syncJob(_ key: String) async throws {
        guard let object = jobs.get(key) else { return }
        let job = JobView(object)
        let podClasses = priorityClasses.list().compactMap(PriorityClasses.Class.init)
        let priority = WorkloadBuilder.priority(for: job, workloadClasses: { [workloadPriorityClasses] in workloadPriorityClasses.get($0) },
                                                podClasses: podClasses)
        let flavorViews = Dictionary(flavors.list().map { (ResourceFlavorView($0).name, ResourceFlavorView($0)) },
                                     uniquingKeysWith: { a, _ in a })
        let input = JobQueueSyncInput(job: job, workload: workload(of: job), flavors: flavorViews, priority: priority)
        do {
            for action in JobQueueSync.plan(input) { try await apply(action, job: job, workload: input.workload) }
        } catch let error as StatusError where error.code == 404 || error.code == 409 {
            // Changed or gone under us: its own event brings the key back.
        }
    }

    private func apply(_ action: JobQueueAction, job: JobView, workload: WorkloadView?) async throws {
        let jobs = ResourceCatalog.jobs
        switch action {
        case .createWorkload(let body):
            do {
                let created = try await client.create(ResourceCatalog.workloads, namespace: job.namespace, object: body)
                written.record(WorkloadView(created).key, created)
            } catch let error as StatusError where error.code == 409 {
                return
            }
        case .startJob(let patch):
            let started = try await client.patch(jobs, namespace: job.namespace, name: job.name, type: .merge, body: patch)
            recorder.record(started, type: "Normal", reason: "Started",
                            message: "Admitted by ClusterQueue \(workload?.admission?.clusterQueue ?? "")")
        case .suspendJob(let patch), .restoreTemplate(let patch):
            _ = try await client.patch(jobs, namespace: job.namespace, name: job.name, type: .merge, body: patch)
        case .mirrorCondition(let status, let reason, let message):
            // A False condition is written too (unlike ensureCondition): a waiting Job says why.
            var updated = job.object
            var jobStatus = job.status
            let condition = JobCondition(type: Kueue.Condition.quotaReserved, status: status, reason: reason, message: message,
                                         time: clock.now)
            if let i = jobStatus.conditions.firstIndex(where: { $0.type == Kueue.Condition.quotaReserved }) {
                jobStatus.conditions[i] = condition
            } else {
                jobStatus.conditions.append(condition)
            }
            updated["status"] = jobStatus.json(merging: job.object["status"])
            _ = try await client.updateStatus(jobs, namespace: job.namespace, object: updated)
        case .finishWorkload(let reason, let message):
            guard let workload else { return }
            try await writeWorkloadStatus(workload) { status in
                Conditions.set(&status, Kueue.Condition.finished, "True", reason, message, now: self.clock.now)
            }
        case .deactivateWorkload(let message):
            guard let workload else { return }
            let patched = try await client.patch(ResourceCatalog.workloads, namespace: workload.namespace, name: workload.name,
                                                 type: .merge, body: ["spec": ["active": false]])
            written.record(workload.key, patched)
            try await writeWorkloadStatus(WorkloadView(patched)) { status in
                status["admission"] = nil
                let now = self.clock.now
                Conditions.set(&status, Kueue.Condition.evicted, "True", "Deactivated", message, now: now)
                Conditions.set(&status, Kueue.Condition.quotaReserved, "False", "Deactivated", message, now: now)
                Conditions.set(&status, Kueue.Condition.admitted, "False", "Deactivated", message, now: now)
            }
            recorder.record(job.object, type: "Normal", reason: "Stopped", message: message)
        case .reactivateWorkload:
            guard let workload else { return }
            let patched = try await client.patch(ResourceCatalog.workloads, namespace: workload.namespace, name: workload.name,
                                                 type: .merge, body: ["spec": ["active": true]])
            written.record(workload.key, patched)
            try await writeWorkloadStatus(WorkloadView(patched)) { status in
                Conditions.set(&status, Kueue.Condition.evicted, "False", "Requeued", "The Job was resumed by its user: queued again",
                               now: self.clock.now)
            }
        }
    }

    /// Writes a Workload's status changed by `change`, when it changed, and remembers the result.
    func writeWorkloadStatus(_ workload: WorkloadView, _ change: (inout JSONValue) -> Void) async throws {
        var status = workload.object["status"] ?? .emptyObject
        if status.object == nil { status = .emptyObject }
        let before = status
        change(&status)
        guard status != before else { return }
        var updated = workload.object
        updated["status"] = status
        let stored = try await client.updateStatus(ResourceCatalog.workloads, namespace: workload.namespace, object: updated)
        written.record(workload.key, stored)
    }
}
