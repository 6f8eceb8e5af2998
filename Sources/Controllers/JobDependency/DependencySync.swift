import Foundation
import Model

/// What one sync of a Job with dependencies looks at: the Job, the Jobs its requirements name as
/// the cache has them (a name missing from `upstream` is a Job that is gone), and the Jobs of its
/// singleton group.
public struct DependencySyncInput: Sendable {
    public var job: JobView
    public var upstream: [String: JobView]
    public var group: [JobView]
    public var now: Date

    public init(job: JobView, upstream: [String: JobView] = [:], group: [JobView] = [], now: Date) {
        self.job = job
        self.upstream = upstream
        self.group = group
        self.now = now
    }
}

/// The decision of one sync: the status to write (conditions), and the changes to the Job itself.
public struct DependencyPlan: Sendable, Equatable {
    /// The status with the DependenciesSatisfied (and, when failing, FailureTarget) condition; the
    /// controller writes it when it differs from the stored one.
    public var status: JobStatus
    /// Unsuspend the Job and drop `drover.dev/held-by-dependencies`.
    public var release = false
    /// Drop the hold annotation only: a user resumed the Job before its dependencies held.
    public var dropHold = false
    /// The new `drover.dev/dependencies-satisfied` set, when it changed.
    public var record: [String]?
    /// The annotation value the decision was made from: the patch tests it is still there.
    public var decidedOn: String?
    /// The Job decided on: the patch tests its uid, so a Job re-created under the name is left alone.
    public var uid: String

    public init(status: JobStatus, uid: String) {
        self.status = status
        self.uid = uid
    }

    /// True when the Job itself (spec or annotations) must change.
    public var changesJob: Bool { release || dropHold || record != nil }

    /// The JSON patch carrying `release`, `dropHold` and `record`. It first tests that the Job and
    /// its dependencies are those decided on (and, to release, that the Job is still suspended and held),
    /// so a concurrent edit makes it fail instead of releasing a Job on stale facts.
    public var patch: [JSONValue] {
        var ops: [JSONValue] = [["op": "test", "path": "/metadata/uid", "value": .string(uid)]]
        let dependsOn = Self.annotationPath(JobDependencies.annotation)
        let held = Self.annotationPath(JobDependencies.heldAnnotation)
        if let decidedOn { ops.append(["op": "test", "path": .string(dependsOn), "value": .string(decidedOn)]) }
        if release {
            ops.append(["op": "test", "path": "/spec/suspend", "value": true])
            ops.append(["op": "replace", "path": "/spec/suspend", "value": false])
        }
        if release || dropHold {
            ops.append(["op": "test", "path": .string(held), "value": "true"])
            ops.append(["op": "remove", "path": .string(held)])
        }
        if let record {
            let path = Self.annotationPath(JobDependencies.satisfiedAnnotation)
            ops.append(["op": "add", "path": .string(path), "value": .string(record.joined(separator: ","))])
        }
        return ops
    }

    /// `/metadata/annotations/drover.dev~1depends-on` (RFC 6901 escapes).
    static func annotationPath(_ key: String) -> String {
        "/metadata/annotations/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

/// The dependency controller's decisions as a pure function of (Job, the Jobs it names, its group).
public enum DependencySync {
    public static func plan(_ input: DependencySyncInput) -> DependencyPlan {
        var plan = decide(input)
        // A queued Job (kueue.x-k8s.io/queue-name) is only let into its queue: the queue manager
        // unsuspends it once its Workload is admitted.
        if plan.release && input.job.queueName != nil {
            plan.release = false
            plan.dropHold = true
        }
        return plan
    }

    private static func decide(_ input: DependencySyncInput) -> DependencyPlan {
        let job = input.job
        var plan = DependencyPlan(status: job.status, uid: job.uid)
        if job.isFinished || job.isDeleting { return plan }
        let condition = job.condition(JobDependencies.condition)
        if !job.suspend {
            // Running: the dependencies are behind it. A hold annotation left means a user resumed
            // it early (the controller's own release drops it in the same write).
            plan.dropHold = job.isHeldByDependencies
            if let condition, condition.status == "False", condition.reason == JobDependencies.waitingReason {
                set(&plan.status, "False", JobDependencies.resumedReason,
                    "resumed before its dependencies were satisfied (\(condition.message))", input.now)
            }
            return plan
        }
        // Suspended after it ran: its user paused it; dependencies only gate the first start.
        if job.status.startTime != nil { return plan }
        guard let text = job.dependencyText else {
            // The annotation was removed while the Job was held: nothing to wait for.
            if job.isHeldByDependencies {
                set(&plan.status, "True", JobDependencies.satisfiedReason, "no dependencies", input.now)
                plan.release = true
            }
            return plan
        }
        plan.decidedOn = text
        if let error = job.dependencySyntaxError {
            set(&plan.status, "False", JobDependencies.invalidReason, error.message, input.now)
            return plan
        }
        let statuses = DependencyEvaluation.evaluate(job, upstream: { input.upstream[$0] }, group: input.group)
        let outcome = DependencyEvaluation.outcome(statuses)
        let message = DependencyEvaluation.message(outcome, all: statuses)
        switch outcome {
        case .satisfied:
            set(&plan.status, "True", JobDependencies.satisfiedReason, message, input.now)
            plan.release = job.isHeldByDependencies
            // A Job its user keeps suspended may wait long after: remember what held.
            if !plan.release { recordSatisfied(statuses, job: job, into: &plan) }
        case .waiting:
            set(&plan.status, "False", JobDependencies.waitingReason, message, input.now)
            recordSatisfied(statuses, job: job, into: &plan)
        case .never:
            set(&plan.status, "False", JobDependencies.neverSatisfiedReason, message, input.now)
            // The Job controller turns FailureTarget into Failed (same reason and message), as for
            // any other failure, once no pod is left.
            if !(plan.status.condition(JobCondition.failureTarget)?.isTrue ?? false) {
                set(&plan.status, "True", JobDependencies.neverSatisfiedReason, message, input.now, type: JobCondition.failureTarget)
            }
        }
        return plan
    }

    /// Records the satisfied requirements when the set changed, so they stay satisfied even if
    /// what satisfied them goes away (a Complete Job deleted by its TTL).
    private static func recordSatisfied(_ statuses: [DependencyStatus], job: JobView, into plan: inout DependencyPlan) {
        let satisfied = statuses.filter { $0.verdict == .satisfied }.map(\.dependency.description)
        if Set(satisfied) != job.satisfiedDependencies { plan.record = satisfied }
    }

    /// Sets a condition as upstream's ensureJobConditionStatus, except that a False condition is
    /// added too: a waiting Job must say what it waits for.
    static func set(_ status: inout JobStatus, _ value: String, _ reason: String, _ message: String, _ now: Date,
                    type: String = JobDependencies.condition) {
        if let i = status.conditions.firstIndex(where: { $0.type == type }) {
            let c = status.conditions[i]
            guard c.status != value || c.reason != reason || c.message != message else { return }
            status.conditions[i] = JobCondition(type: type, status: value, reason: reason, message: message, time: now)
        } else {
            status.conditions.append(JobCondition(type: type, status: value, reason: reason, message: message, time: now))
        }
    }
}
