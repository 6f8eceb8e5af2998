import Foundation
import Model

extension JobReconciler {
    /// Drover's addition to upstream: the condition saying active pods wait for the scheduler.
    public static let unschedulableCondition = "PodsUnschedulable"

    /// `PodsUnschedulable=True` (reason Unschedulable) while active pods carry
    /// `PodScheduled=False, reason=Unschedulable`, quoting the scheduler's message of the oldest
    /// such pod; `False` (reason PodsScheduled) once none waits. Never added as False.
    static func updateUnschedulable(_ state: inout State) {
        let deleted = Set(state.plan.deletions.map(\.uid))
        let active = state.active.filter { !deleted.contains($0.uid) }
        let waiting = active.filter(\.isUnschedulable).sorted {
            ($0.creationTimestamp ?? .distantPast, $0.name) < ($1.creationTimestamp ?? .distantPast, $1.name)
        }
        if let oldest = waiting.first {
            let quote = oldest.scheduledCondition?.message ?? ""
            let message = "\(waiting.count) of \(active.count) active pods cannot be scheduled: \(quote)"
            state.plan.status.ensureCondition(unschedulableCondition, status: "True", reason: "Unschedulable",
                                              message: message, now: state.now)
        } else {
            state.plan.status.ensureCondition(unschedulableCondition, status: "False", reason: "PodsScheduled",
                                              message: "No active pod is waiting to be scheduled", now: state.now)
        }
    }

    /// upstream's trackJobStatusAndRemoveFinalizers, up to the first status write: finished pods
    /// with the finalizer go into uncountedTerminatedPods (Indexed: completedIndexes), their
    /// finalizers are planned for removal, and interim conditions are added.
    static func track(_ state: inout State) {
        let job = state.job
        var pods = state.input.pods
        if job.isIndexed { pods.sort { ($0.completionIndex ?? -1) < ($1.completionIndex ?? -1) } }
        let inFlight = state.input.finalizerRemovalsInFlight
        var withFinalizer = Set(pods.filter { $0.metadata.hasFinalizer(JobView.trackingFinalizer) && !inFlight.contains($0.uid) }.map(\.uid))
        // Pods gone, or stripped in an earlier sync whose second write was lost, are counted now.
        JobAccounting.countUncounted(&state.plan.status, stillWithFinalizer: withFinalizer)
        let failing = state.finished.map { $0.type != JobCondition.successCriteriaMet } ?? false
        var newSucceededIndexes: [Int] = []
        for pod in pods {
            guard withFinalizer.contains(pod.uid) else { continue }
            let consideredFailed = JobPods.isFailed(pod, job: job)
            guard canRemoveFinalizer(state, pod, consideredFailed: consideredFailed) else { continue }
            state.plan.finalizerRemovals.append(JobPlan.PodRef(namespace: pod.namespace, name: pod.name, uid: pod.uid))
            if pod.isSucceeded && !state.uncountedFailed.contains(pod.uid) {
                if job.isIndexed {
                    if let index = JobPods.validIndex(pod, job: job), !state.prevSucceededIndexes.contains(index) {
                        newSucceededIndexes.append(index)
                    }
                } else if !state.uncountedSucceeded.contains(pod.uid) {
                    state.plan.status.uncountedSucceeded.append(pod.uid)
                }
            } else if consideredFailed || failing {
                // Once the Job is failing, every pod not yet terminal ends as a failure.
                let indexOK = !job.isIndexed || JobPods.validIndex(pod, job: job) != nil
                if !state.uncountedFailed.contains(pod.uid) && indexOK
                    && PodFailurePolicyMatch.evaluate(job.podFailurePolicy, pod: pod).countsTowardsBackoff {
                    state.plan.status.uncountedFailed.append(pod.uid)
                }
            }
            let uncounted = newSucceededIndexes.count + state.plan.status.uncountedSucceeded.count + state.plan.status.uncountedFailed.count
            if uncounted >= JobAccounting.maxUncountedPods {
                state.plan.reachedMaxUncounted = true
                break
            }
        }
        if job.isIndexed {
            state.succeededIndexes = state.succeededIndexes.inserting(newSucceededIndexes)
            state.plan.status.succeeded = state.succeededIndexes.count
            state.plan.status.completedIndexes = state.succeededIndexes.description
            state.plan.status.failedIndexes = state.failedIndexes?.description
        }
        if var finished = state.finished {
            if finished.type == JobCondition.failureTarget {
                state.plan.status.conditions.append(finished)
                finished = JobCondition(type: JobCondition.failed, reason: finished.reason, message: finished.message, time: state.now)
            }
            if finished.type == JobCondition.successCriteriaMet {
                if !(state.plan.status.condition(JobCondition.successCriteriaMet)?.isTrue ?? false) {
                    state.plan.status.conditions.append(finished)
                }
                finished = JobCondition(type: JobCondition.complete, reason: finished.reason, message: finished.message, time: state.now)
            }
            state.plan.finishCondition = finished
        }
        withFinalizer.formIntersection(Set(pods.map(\.uid)))
        state.plan.podsWithFinalizer = withFinalizer
    }

    /// The finalizer may go when the Job is deleting or finishing, the pod succeeded, or it failed —
    /// unless (backoffLimitPerIndex) it waits for its replacement to inherit the failure count.
    static func canRemoveFinalizer(_ state: State, _ pod: PodView, consideredFailed: Bool) -> Bool {
        if state.job.isDeleting || state.finished != nil || pod.isSucceeded { return true }
        guard consideredFailed else { return false }
        if state.job.backoffLimitPerIndex != nil, let index = pod.completionIndex,
           state.delayedPerIndex[index]?.uid == pod.uid {
            return false
        }
        return true
    }
}
