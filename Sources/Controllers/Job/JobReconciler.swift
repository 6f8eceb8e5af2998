import Foundation
import Model

/// What one sync looks at: the Job, the pods it controls (from the cache), the time, and what the
/// controller still waits to see in that cache.
public struct JobSyncInput: Sendable {
    public var job: JobView
    /// Pods whose controller reference is this Job.
    public var pods: [PodView]
    public var now: Date
    /// False while pod creations or deletions of an earlier sync are not in the cache yet.
    public var expectationsSatisfied: Bool
    /// uids whose finalizer removal was sent but not yet seen in the cache.
    public var finalizerRemovalsInFlight: Set<String>

    public init(job: JobView, pods: [PodView], now: Date, expectationsSatisfied: Bool = true,
                finalizerRemovalsInFlight: Set<String> = []) {
        self.job = job
        self.pods = pods
        self.now = now
        self.expectationsSatisfied = expectationsSatisfied
        self.finalizerRemovalsInFlight = finalizerRemovalsInFlight
    }
}

/// The Job controller's decisions as a pure function of (Job, pods, now) → `JobPlan`, following
/// upstream's syncJob / manageJob / trackJobStatusAndRemoveFinalizers.
public enum JobReconciler {
    /// Upstream's cap on pod creations or deletions per sync.
    public static let maxPodCreateDeletePerSync = 500

    /// Working state of one sync (upstream's syncJobCtx).
    struct State {
        let input: JobSyncInput
        var job: JobView { input.job }
        var now: Date { input.now }
        var plan: JobPlan
        var active: [PodView]
        var activeCount: Int
        var ready: Int
        var terminating: Int
        var succeeded: Int
        var failed: Int
        var finished: JobCondition?
        var prevSucceededIndexes = IndexIntervals()
        var succeededIndexes = IndexIntervals()
        var failedIndexes: IndexIntervals?
        /// backoffLimitPerIndex: the failed pod of each pending index whose finalizer stays until its
        /// replacement carries the failure count.
        var delayedPerIndex: [Int: PodView] = [:]
        var uncountedSucceeded: Set<String>
        var uncountedFailed: Set<String>

        /// Holds the finalizer, is not being stripped of it, and (Indexed) has a valid index.
        func isTracked(_ pod: PodView) -> Bool {
            guard pod.metadata.hasFinalizer(JobView.trackingFinalizer),
                  !input.finalizerRemovalsInFlight.contains(pod.uid) else { return false }
            return !job.isIndexed || JobPods.validIndex(pod, job: job) != nil
        }

        mutating func requeue(after seconds: Double) {
            plan.requeueAfter = min(plan.requeueAfter ?? seconds, seconds)
        }
    }

    /// One sync's plan.
    public static func plan(_ input: JobSyncInput) -> JobPlan {
        let job = input.job
        var plan = JobPlan(status: job.status, now: input.now)
        plan.completions = job.completions
        if job.isManagedExternally {
            plan.skip = .managedExternally
            return plan
        }
        if job.isFinished { return finishedJobPlan(input, plan: plan) }
        plan.status.hasUncountedField = true
        return syncPlan(input, plan: plan)
    }

    /// A finished Job only loses its leftover finalizers and, once its TTL passed, itself.
    private static func finishedJobPlan(_ input: JobSyncInput, plan: JobPlan) -> JobPlan {
        var plan = plan
        plan.skip = .finished
        plan.finalizerRemovals = input.pods
            .filter { $0.metadata.hasFinalizer(JobView.trackingFinalizer) && !input.finalizerRemovalsInFlight.contains($0.uid) }
            .map { JobPlan.PodRef(namespace: $0.namespace, name: $0.name, uid: $0.uid) }
        if let ttl = input.job.ttlSecondsAfterFinished, let finishedAt = input.job.finishedAt, !input.job.isDeleting {
            let remaining = finishedAt.addingTimeInterval(Double(ttl)).timeIntervalSince(input.now)
            if remaining <= 0 { plan.deleteJob = true } else { plan.requeueAfter = remaining }
        }
        return plan
    }

    private static func syncPlan(_ input: JobSyncInput, plan: JobPlan) -> JobPlan {
        let job = input.job
        let pods = input.pods
        let active = pods.filter(\.isActive)
        var state = State(input: input, plan: plan, active: active, activeCount: active.count,
                          ready: active.filter(\.isReady).count, terminating: pods.filter(\.isTerminating).count,
                          succeeded: 0, failed: 0,
                          uncountedSucceeded: Set(plan.status.uncountedSucceeded), uncountedFailed: Set(plan.status.uncountedFailed))
        let newSucceeded = pods.filter { state.isTracked($0) && !state.uncountedSucceeded.contains($0.uid) && $0.isSucceeded }
        let newFailed = pods.filter { state.isTracked($0) && !state.uncountedFailed.contains($0.uid) && JobPods.isFailed($0, job: job) }
        let countedNewFailed = newFailed.filter {
            PodFailurePolicyMatch.evaluate(job.podFailurePolicy, pod: $0).countsTowardsBackoff
        }
        state.succeeded = plan.status.succeeded + newSucceeded.count + state.uncountedSucceeded.count
        state.failed = plan.status.failed + countedNewFailed.count + state.uncountedFailed.count

        // Resuming resets startTime before the deadline is checked: activeDeadlineSeconds counts
        // continuous activity, so time spent suspended never counts.
        let resuming = !job.suspend && (plan.status.condition(JobCondition.suspended)?.isTrue ?? false)
        if !job.suspend && (state.plan.status.startTime == nil || resuming) {
            state.plan.status.startTime = input.now
        }

        decideFailure(&state, pods: pods)
        if job.isIndexed { decideIndexes(&state, pods: pods) }

        if state.finished != nil {
            // Finished: every active pod goes, keeping its finalizer so its end is counted.
            for pod in state.active {
                state.plan.deletions.append(JobPlan.Deletion(name: pod.name, uid: pod.uid, reason: .jobFinished,
                                                             removeFinalizerFirst: false, wasReady: pod.isReady))
            }
            if !input.expectationsSatisfied { state.finished = nil }
            state.terminating += state.active.count
            state.ready -= state.active.filter(\.isReady).count
            state.activeCount = 0
        } else {
            var managed = false
            if input.expectationsSatisfied && !job.isDeleting {
                manage(&state)
                managed = true
            }
            let complete: Bool
            if let completions = job.completions {
                complete = state.succeeded >= completions && state.activeCount == 0
            } else {
                complete = state.succeeded > 0 && state.activeCount == 0
            }
            if complete {
                state.finished = JobCondition(type: JobCondition.successCriteriaMet, reason: "CompletionsReached",
                                              message: "Reached expected number of succeeded pods", time: input.now)
            } else if managed {
                updateSuspended(&state)
            }
        }
        updateUnschedulable(&state)
        state.plan.status.active = state.activeCount
        state.plan.status.ready = state.ready
        state.plan.status.terminating = state.terminating
        track(&state)
        return state.plan
    }

    /// FailJob rules, backoffLimit, activeDeadlineSeconds — in upstream's order.
    private static func decideFailure(_ state: inout State, pods: [PodView]) {
        let job = state.job
        let status = state.plan.status
        if let met = status.condition(JobCondition.successCriteriaMet), met.isTrue {
            state.finished = met
            return
        }
        if let target = status.condition(JobCondition.failureTarget), target.isTrue {
            state.finished = JobCondition(type: JobCondition.failed, reason: target.reason, message: target.message, time: state.now)
            return
        }
        if job.podFailurePolicy != nil {
            for pod in pods where JobPods.isFailed(pod, job: job) {
                if let message = PodFailurePolicyMatch.evaluate(job.podFailurePolicy, pod: pod).failJobMessage {
                    state.finished = JobCondition(type: JobCondition.failureTarget, reason: "PodFailurePolicy", message: message, time: state.now)
                    return
                }
            }
        }
        if state.failed > job.backoffLimit || JobPods.pastBackoffLimitOnFailure(job, pods: pods) {
            state.finished = failureTarget("BackoffLimitExceeded", "Job has reached the specified backoff limit", state.now)
        } else if let deadline = job.activeDeadlineSeconds, !job.suspend, let start = state.plan.status.startTime {
            let left = Double(deadline) - state.now.timeIntervalSince(start)
            if left <= 0 {
                state.finished = failureTarget("DeadlineExceeded", "Job was active longer than specified deadline", state.now)
            } else {
                state.requeue(after: left)
            }
        }
    }

    static func failureTarget(_ reason: String, _ message: String, _ now: Date) -> JobCondition {
        JobCondition(type: JobCondition.failureTarget, reason: reason, message: message, time: now)
    }

    /// Indexed Jobs: succeeded and failed indexes, maxFailedIndexes, successPolicy.
    private static func decideIndexes(_ state: inout State, pods: [PodView]) {
        let job = state.job
        let completions = job.completions ?? 0
        state.prevSucceededIndexes = IndexIntervals(parsing: state.plan.status.completedIndexes, completions: completions)
        let newSucceeded = pods.filter { $0.isSucceeded && state.isTracked($0) }.compactMap { JobPods.validIndex($0, job: job) }
        state.succeededIndexes = state.prevSucceededIndexes.inserting(newSucceeded)
        state.succeeded = state.succeededIndexes.count
        if let perIndex = job.backoffLimitPerIndex {
            let previous = IndexIntervals(parsing: state.plan.status.failedIndexes ?? "", completions: completions)
            let newFailed = pods.filter { state.isTracked($0) && isIndexFailed($0, job: job, limit: perIndex) }
                .compactMap { JobPods.validIndex($0, job: job) }
            let failedIndexes = previous.inserting(newFailed)
            state.failedIndexes = failedIndexes
            if state.finished == nil {
                if let max = job.maxFailedIndexes, failedIndexes.count > max {
                    state.finished = failureTarget("MaxFailedIndexesExceeded",
                                                   "Job has exceeded the specified maximal number of failed indexes", state.now)
                } else if !failedIndexes.isEmpty && failedIndexes.count + state.succeededIndexes.count >= completions {
                    state.finished = failureTarget("FailedIndexes", "Job has failed indexes", state.now)
                }
            }
            state.delayedPerIndex = delayedDeletions(state, pods: pods)
        }
        if state.finished == nil,
           let message = SuccessPolicyMatch.evaluate(job.successPolicy, completions: completions, succeeded: state.succeededIndexes) {
            state.finished = JobCondition(type: JobCondition.successCriteriaMet, reason: "SuccessPolicy", message: message, time: state.now)
        }
    }

    /// A failed pod fails its index on a FailIndex rule, or when counted failures reach backoffLimitPerIndex.
    static func isIndexFailed(_ pod: PodView, job: JobView, limit: Int) -> Bool {
        guard JobPods.isFailed(pod, job: job) else { return false }
        let match = PodFailurePolicyMatch.evaluate(job.podFailurePolicy, pod: pod)
        if match.action == .failIndex { return true }
        return match.countsTowardsBackoff && pod.indexFailureCount >= limit
    }

    /// The newest failed pod of each index that is neither succeeded, failed nor active.
    private static func delayedDeletions(_ state: State, pods: [PodView]) -> [Int: PodView] {
        let activeIndexes = Set(state.active.compactMap { JobPods.validIndex($0, job: state.job) })
        var result: [Int: PodView] = [:]
        for pod in pods where state.isTracked(pod) && JobPods.isFailed(pod, job: state.job) {
            guard let index = JobPods.validIndex(pod, job: state.job), !state.succeededIndexes.contains(index),
                  !(state.failedIndexes?.contains(index) ?? false), !activeIndexes.contains(index) else { continue }
            if let current = result[index] {
                let newer = current.indexFailureCount + current.indexIgnoredFailureCount <= pod.indexFailureCount + pod.indexIgnoredFailureCount
                    && JobBackoff.finishTime(pod) >= JobBackoff.finishTime(current)
                if newer { result[index] = pod }
            } else {
                result[index] = pod
            }
        }
        return result
    }
}
