import Client
import ControllerRuntime
import Foundation
import Model

extension JobController {
    /// One sync of a Job (or of an orphaned pod): read the caches, plan, apply; timed into
    /// job_controller_job_sync_duration_seconds.
    public func reconcile(_ key: String) async throws -> ReconcileResult {
        let started = ProcessInfo.processInfo.systemUptime
        let mode = jobs.get(key).map { JobView($0).isIndexed ? "Indexed" : "NonIndexed" } ?? "NonIndexed"
        do {
            let result = try await sync(key)
            JobMetrics.syncDuration.observe(ProcessInfo.processInfo.systemUptime - started, mode, "success", "reconciling")
            return result
        } catch {
            JobMetrics.syncDuration.observe(ProcessInfo.processInfo.systemUptime - started, mode, "error", "reconciling")
            throw error
        }
    }

    private func sync(_ key: String) async throws -> ReconcileResult {
        if key.hasPrefix(Self.orphanKeyPrefix) {
            try await releaseOrphan(String(key.dropFirst(Self.orphanKeyPrefix.count)))
            return .done
        }
        guard let object = jobs.get(key) else {
            expectations.forget(key)
            finalizerRemovals.forget(key)
            writtenVersions.forget(key)
            try await releaseLeftovers(ofDeletedJob: key)
            return .done
        }
        let job = JobView(object)
        if job.isManagedExternally { return .done }
        // Our last status write has not reached the cache: its own event brings the key back.
        if writtenVersions.isBehind(key, cached: job.metadata.resourceVersion) { return .done }
        let pods = try await claimPods(of: job, owned: self.pods.byIndex(InformerIndex.controller, job.uid).map(PodView.init))
        // Expectations are read before planning: a pod that arrives after this read only delays the next sync.
        let input = JobSyncInput(job: job, pods: pods, now: clock.now, expectationsSatisfied: expectations.isSatisfied(key),
                                 finalizerRemovalsInFlight: finalizerRemovals.pendingDeletions(key))
        var plan = JobReconciler.plan(input)
        if plan.skip == .managedExternally { return .done }
        if plan.deleteJob {
            try await deleteExpiredJob(job)
            return .done
        }
        if plan.skip == .finished {
            _ = try await removeFinalizers(plan.finalizerRemovals, key: key)
            return ReconcileResult(requeueAfter: plan.requeueAfter)
        }

        var firstError: (any Error)?
        let failedDeletes = await applyDeletions(plan.deletions, job: object, key: key, pods: pods, error: &firstError)
        plan.status.active += failedDeletes
        plan.status.terminating = max(0, (plan.status.terminating ?? 0) - failedDeletes)
        if !plan.creations.isEmpty { try await ensurePodGroup(job) }
        let failedCreates = await applyCreations(plan.creations, job: object, key: key, error: &firstError)
        plan.status.active = max(0, plan.status.active - failedCreates)

        try await writeStatuses(plan, job: object, key: key)
        if let firstError { throw firstError }
        return ReconcileResult(requeueAfter: plan.requeueAfter)
    }

    /// The status write, finalizer removals, and — only if finalizers were removed — the second
    /// write that moves their uids into the counters and may finish the Job.
    private func writeStatuses(_ plan: JobPlan, job: JSONValue, key: String) async throws {
        var current = job
        if plan.finalizerRemovals.isEmpty {
            let (final, events) = plan.finalStatus(removed: [])
            current = try await writeStatus(final, to: current, key: key)
            record(plan.events + events, on: current)
            return
        }
        current = try await writeStatus(plan.status, to: current, key: key)
        record(plan.events, on: current)
        let removed = try await removeFinalizers(plan.finalizerRemovals, key: key)
        let (final, events) = plan.finalStatus(removed: removed)
        current = try await writeStatus(final, to: current, key: key)
        record(events, on: current)
    }

    /// PUTs the status subresource when it differs from the stored one; returns the Job now stored.
    func writeStatus(_ status: JobStatus, to job: JSONValue, key: String) async throws -> JSONValue {
        let existing = job["status"]
        let next = status.json(merging: existing)
        if next == (existing ?? .emptyObject) { return job }
        var updated = job
        updated["status"] = next
        let stored = try await client.updateStatus(ResourceCatalog.jobs, namespace: JobView(job).namespace, object: updated)
        writtenVersions.record(key, JobView(stored).metadata.resourceVersion)
        JobMetrics.recordFinish(before: job, after: stored)
        return stored
    }

    private func record(_ events: [JobPlan.Event], on job: JSONValue) {
        for event in events { recorder.record(job, type: event.type, reason: event.reason, message: event.message) }
    }

    /// TTL expired: delete the Job in the foreground, so its pods go first (the garbage collector).
    private func deleteExpiredJob(_ job: JobView) async throws {
        do {
            _ = try await client.delete(ResourceCatalog.jobs, namespace: job.namespace, name: job.name,
                                        options: DeleteOptions(propagationPolicy: .foreground, preconditionUID: job.uid))
        } catch let error as StatusError where error.code == 404 {
            return
        }
    }
}
