import Client
import ControllerRuntime
import Foundation
import Model

/// The batch/v1 CronJob controller (upstream pkg/controller/cronjob/cronjob_controllerv2.go):
/// starts a Job per schedule slot, applies the concurrency policy, keeps `status.active`,
/// `lastScheduleTime` and `lastSuccessfulTime`, and trims finished Jobs to the history limits.
///
/// A sync reads the CronJob and its Jobs from the shared informers, confirms what the cache may
/// have wrong with live GETs (a running Job the status does not list, an active entry the cache
/// does not have), lets `CronJobSync.plan` decide, carries the plan out, writes the status once,
/// and asks to run again just after the next slot (no ticker). Job names are fixed per slot, so a
/// create repeated after a restart or against a lagging cache is AlreadyExists and counts as done.
public final class CronJobController: Reconciler, @unchecked Sendable {
    private let client: any APIClient
    private let cronJobs: Informer
    private let jobs: Informer
    private let recorder: EventRecorder
    private let clock: any TimeSource
    private let localTimeZone: TimeZone
    /// The work queue of `namespace/name` keys.
    public let queue: WorkQueue
    private var loop: ControllerLoop!

    /// `localTimeZone` is the zone of schedules without `spec.timeZone` (upstream: the controller
    /// manager's local zone).
    public init(client: any APIClient, factory: SharedInformerFactory, recorder: EventRecorder,
                clock: any TimeSource = SystemTimeSource(), workers: Int = 2, localTimeZone: TimeZone = .current) {
        self.client = client
        self.recorder = recorder
        self.clock = clock
        self.localTimeZone = localTimeZone
        cronJobs = factory.informer(ResourceCatalog.cronJobs)
        jobs = factory.informer(ResourceCatalog.jobs)
        queue = WorkQueue(name: "cronjob", clock: clock)
        loop = ControllerLoop(name: "cronjob", queue: queue, workers: workers, reconciler: WeakReconciler(self))
        cronJobs.addHandler(InformerHandler(
            onAdd: { [weak self] in self?.queue.add(objectKey($0)) },
            onUpdate: { [weak self] old, new in self?.cronJobChanged(old, new) },
            onDelete: { [weak self] in self?.queue.add(objectKey($0)) }))
        jobs.addHandler(InformerHandler(
            onAdd: { [weak self] in self?.enqueueOwner(of: $0) },
            onUpdate: { [weak self] old, new in self?.jobChanged(old, new) },
            onDelete: { [weak self] in self?.enqueueOwner(of: $0) }))
    }

    /// Starts the workers (the factory is started by whoever owns it).
    public func start() { loop.start() }

    /// Stops the workers.
    public func stop() { loop.stop() }

    // MARK: Events → keys

    /// A new schedule or zone moves the wake-up to its next slot; anything else syncs now.
    private func cronJobChanged(_ old: JSONValue, _ new: JSONValue) {
        let before = CronJobView(old)
        let after = CronJobView(new)
        guard before.schedule != after.schedule || before.timeZone != after.timeZone else {
            queue.add(after.key)
            return
        }
        guard let schedule = try? CronSchedule.parse(after.schedule) else {
            recorder.record(new, type: .warning, reason: "UnParseableCronJobSchedule",
                            message: "unparseable schedule for cronjob: \(after.schedule)")
            return
        }
        let zone = after.timeZone.flatMap { try? ZoneInfo.load($0).get() } ?? localTimeZone
        let now = clock.now
        let since = after.status.lastScheduleTime ?? after.creationTimestamp ?? now
        queue.addAfter(after.key, seconds: schedule.secondsUntilNextCheck(since: since, now: now, in: zone) ?? 0)
    }

    private func jobChanged(_ old: JSONValue, _ new: JSONValue) {
        if old.value(at: ["metadata", "resourceVersion"]) == new.value(at: ["metadata", "resourceVersion"]) { return }
        if OwnerReference.controller(of: old) != OwnerReference.controller(of: new) { enqueueOwner(of: old) }
        enqueueOwner(of: new)
    }

    /// Enqueues the CronJob controlling a Job, when the cache has one of that name and uid.
    private func enqueueOwner(of job: JSONValue) {
        guard let owner = OwnerReference.controller(of: job), owner.kind == "CronJob",
              let namespace = job.value(at: ["metadata", "namespace"])?.string else { return }
        let key = "\(namespace)/\(owner.name)"
        guard let cronJob = cronJobs.get(key), CronJobView(cronJob).uid == owner.uid else { return }
        queue.add(key)
    }

    // MARK: Sync

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        guard let cached = cronJobs.get(key) else { return .done }
        var cronJob = CronJobView(cached)
        let children = jobs.byIndex(InformerIndex.controller, cronJob.uid).map(CronJobChild.init)
            .filter { $0.isControlled(by: cronJob) }

        // A running Job missing from status.active may only mean our cached status is behind.
        let listed = Set(cronJob.status.active.map(\.uid))
        if children.contains(where: { !$0.isFinished && !listed.contains($0.uid) }) {
            guard let fresh = try await client.getIfPresent(ResourceCatalog.cronJobs, namespace: cronJob.namespace, name: cronJob.name),
                  CronJobView(fresh).uid == cronJob.uid else { return .done }
            cronJob = CronJobView(fresh)
        }
        // An active Job the cache lacks may be newer than the cache: only a live 404 drops it.
        var gone: Set<String> = []
        let cachedUIDs = Set(children.map(\.uid))
        for reference in cronJob.status.active where !cachedUIDs.contains(reference.uid) {
            let live = try await client.getIfPresent(ResourceCatalog.jobs, namespace: reference.namespace, name: reference.name)
            if live.map({ CronJobChild($0).uid != reference.uid }) ?? true { gone.insert(reference.uid) }
        }

        let plan = CronJobSync.plan(CronJobSyncInput(cronJob: cronJob, jobs: children, goneActive: gone,
                                                     now: clock.now, localTimeZone: localTimeZone))
        return try await carryOut(plan, for: cronJob)
    }

    private func carryOut(_ plan: CronJobPlan, for cronJob: CronJobView) async throws -> ReconcileResult {
        var status = plan.status
        for reference in plan.historyDeletions { _ = await deleteJob(reference, of: cronJob) }
        for event in plan.events {
            recorder.record(cronJob.object, type: event.type == .warning ? .warning : .normal, reason: event.reason, message: event.message)
        }
        var failure: (any Error)?
        for reference in plan.replaceDeletions where !(await deleteJob(reference, of: cronJob)) {
            status.active.append(reference)
            failure = failure ?? ControllerError("could not replace job \(reference.namespace)/\(reference.name)")
        }
        if failure == nil, let creation = plan.creation {
            do {
                try await create(creation, for: cronJob, status: &status)
            } catch {
                recorder.record(cronJob.object, type: .warning, reason: "FailedCreate", message: "Error creating job: \(Self.describe(error))")
                failure = error
            }
        }
        if status != cronJob.status {
            _ = try await client.updateStatus(ResourceCatalog.cronJobs, namespace: cronJob.namespace, object: cronJob.withStatus(status))
        }
        if let failure { throw failure }
        return plan.requeueAfter.map { .requeue(after: $0) } ?? .done
    }

    /// Creates the slot's Job; AlreadyExists from a Job this CronJob controls is the earlier
    /// attempt of the same slot (its status write was lost): it is recorded, never run again.
    private func create(_ creation: CronJobPlan.Creation, for cronJob: CronJobView, status: inout CronJobView.Status) async throws {
        let job: CronJobChild
        do {
            job = CronJobChild(try await client.create(ResourceCatalog.jobs, namespace: cronJob.namespace, object: creation.job))
            recorder.record(cronJob.object, type: .normal, reason: "SuccessfulCreate", message: "Created job \(job.name)")
        } catch let error as StatusError where error.code == 409 && error.reason == "AlreadyExists" {
            let name = creation.job.value(at: ["metadata", "name"])?.string ?? ""
            let existing = CronJobChild(try await client.get(ResourceCatalog.jobs, namespace: cronJob.namespace, name: name))
            // Another actor's Job of that name: leave it, and this slot, alone.
            guard existing.isControlled(by: cronJob), !status.active.contains(where: { $0.uid == existing.uid }) else { return }
            job = existing
        }
        status.active.append(job.activeReference)
        status.lastScheduleTime = creation.scheduledTime
    }

    /// Deletes one Job (Background propagation, uid precondition); true when it is gone.
    private func deleteJob(_ reference: CronJobView.ActiveReference, of cronJob: CronJobView) async -> Bool {
        do {
            _ = try await client.delete(ResourceCatalog.jobs, namespace: reference.namespace, name: reference.name,
                                        options: DeleteOptions(propagationPolicy: .background, preconditionUID: reference.uid))
            recorder.record(cronJob.object, type: .normal, reason: "SuccessfulDelete", message: "Deleted job \(reference.name)")
            return true
        } catch let error as StatusError where error.code == 404 {
            return true
        } catch {
            recorder.record(cronJob.object, type: .warning, reason: "FailedDelete", message: "Deleted job: \(Self.describe(error))")
            return false
        }
    }

    private static func describe(_ error: any Error) -> String {
        (error as? StatusError)?.message ?? String(describing: error)
    }
}
