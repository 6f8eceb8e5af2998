import Foundation
import Model

extension JobReconciler {
    /// upstream's manageJob: delete surplus or suspended pods, or create the missing ones (after
    /// the failure back-off). Deletions and creations never happen in the same sync.
    static func manage(_ state: inout State) {
        let job = state.job
        if job.suspend {
            for pod in state.active { deleteActive(&state, pod, reason: .suspended) }
            return
        }
        let wantActive: Int
        if let completions = job.completions {
            wantActive = max(0, min(completions - state.succeeded, job.parallelism))
        } else {
            // Work queue: once one pod succeeded, let the others finish but start none.
            wantActive = state.succeeded > 0 ? state.activeCount : job.parallelism
        }
        if job.restartsGangOnFailure, !state.active.isEmpty,
           state.input.pods.contains(where: { JobPods.isFailed($0, job: job) && state.isTracked($0) }) {
            // A member failed (seen for the first time: it still holds the finalizer): the others
            // go too, so the whole gang is created and scheduled again together.
            state.plan.events.append(JobPlan.Event(type: "Normal", reason: "GangRestart",
                                                   message: "A gang member failed: restarting the other \(state.active.count)"))
            for pod in state.active { deleteActive(&state, pod, reason: .gangRestart) }
            return
        }
        let surplus = JobPods.activePodsForRemoval(state.active, job: job, atLeast: max(0, state.activeCount - wantActive))
        if !surplus.isEmpty {
            for (pod, reason) in surplus.prefix(maxPodCreateDeletePerSync) { deleteActive(&state, pod, reason: reason) }
            return
        }
        let blocking = job.onlyReplaceFailedPods ? state.terminating : 0
        var missing = wantActive - blocking - state.activeCount
        guard missing > 0 else { return }

        if job.backoffLimitPerIndex == nil {
            let failedPods = state.input.pods.filter { JobPods.isFailed($0, job: job) }
            let recent = JobBackoff.recentFailures(failed: failedPods, succeeded: state.input.pods.filter(\.isSucceeded))
            let wait = JobBackoff.remaining(failures: recent.count, lastFailure: recent.last, now: state.now)
            if wait > 0 {
                state.requeue(after: max(wait, 1))
                return
            }
        }
        missing = min(missing, maxPodCreateDeletePerSync)
        guard job.isIndexed else {
            for _ in 0..<missing {
                state.plan.creations.append(JobPlan.Creation(index: nil, pod: JobPodTemplate.pod(for: job, index: nil)))
            }
            state.activeCount += missing
            return
        }
        var indexes = pendingIndexes(state, count: missing)
        if job.backoffLimitPerIndex != nil {
            var ready: [Int] = []
            var soonest: Double?
            for index in indexes {
                let wait = indexBackoff(state.delayedPerIndex[index], now: state.now)
                if wait == 0 { ready.append(index) } else { soonest = min(soonest ?? wait, wait) }
            }
            if ready.isEmpty, let soonest {
                state.requeue(after: max(soonest, 1))
                return
            }
            indexes = ready
        }
        for index in indexes {
            var failureCount: Int?
            var ignored = 0
            if job.backoffLimitPerIndex != nil {
                (failureCount, ignored) = newIndexFailureCounts(job, replacing: state.delayedPerIndex[index])
            }
            let pod = JobPodTemplate.pod(for: job, index: index, failureCount: failureCount, ignoredFailureCount: ignored)
            state.plan.creations.append(JobPlan.Creation(index: index, pod: pod))
        }
        state.activeCount += indexes.count
    }

    private static func deleteActive(_ state: inout State, _ pod: PodView, reason: JobPlan.DeletionReason) {
        state.plan.deletions.append(JobPlan.Deletion(name: pod.name, uid: pod.uid, reason: reason,
                                                     removeFinalizerFirst: true, wasReady: pod.isReady))
        state.activeCount -= 1
        state.terminating += 1
        if pod.isReady { state.ready -= 1 }
    }

    /// The lowest indexes neither succeeded, active, failed nor (podReplacementPolicy Failed) terminating.
    static func pendingIndexes(_ state: State, count: Int) -> [Int] {
        let job = state.job
        var taken = state.succeededIndexes.inserting(state.active.compactMap { $0.completionIndex })
        if job.onlyReplaceFailedPods {
            taken = taken.inserting(state.input.pods.filter(\.isTerminating).compactMap { $0.completionIndex })
        }
        if let failed = state.failedIndexes { taken = taken.union(failed) }
        return taken.firstMissing(count, below: job.completions ?? 0)
    }

    /// Per-index back-off: from the replaced pod's absolute failure count + 1 and its finish time.
    static func indexBackoff(_ lastFailed: PodView?, now: Date) -> Double {
        guard let pod = lastFailed else { return 0 }
        let failures = pod.indexFailureCount + pod.indexIgnoredFailureCount + 1
        return JobBackoff.remaining(failures: failures, lastFailure: JobBackoff.finishTime(pod), now: now)
    }

    /// The failure-count annotations of a replacement: the replaced pod's, plus its own failure
    /// (counted, or ignored by the policy); 0 for an index's first pod.
    static func newIndexFailureCounts(_ job: JobView, replacing pod: PodView?) -> (Int, Int) {
        guard let pod else { return (0, 0) }
        let counts = PodFailurePolicyMatch.evaluate(job.podFailurePolicy, pod: pod).countsTowardsBackoff
        return counts ? (pod.indexFailureCount + 1, pod.indexIgnoredFailureCount)
                      : (pod.indexFailureCount, pod.indexIgnoredFailureCount + 1)
    }

    /// Suspended=True (JobSuspended) while suspended; False (JobResumed) once resumed, with an Event.
    static func updateSuspended(_ state: inout State) {
        if state.job.suspend {
            if state.plan.status.ensureCondition(JobCondition.suspended, status: "True", reason: "JobSuspended",
                                                 message: "Job suspended", now: state.now) {
                state.plan.events.append(JobPlan.Event(type: "Normal", reason: "Suspended", message: "Job suspended"))
            }
        } else if state.plan.status.ensureCondition(JobCondition.suspended, status: "False", reason: "JobResumed",
                                                    message: "Job resumed", now: state.now) {
            state.plan.events.append(JobPlan.Event(type: "Normal", reason: "Resumed", message: "Job resumed"))
        }
    }
}
