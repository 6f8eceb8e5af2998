import Scheduling

/// Tuning of the scheduler loop; the defaults suit production.
public struct SchedulerOptions: Sendable {
    /// How equal scores are broken (`.firstByName` in tests).
    public var tieBreak: TieBreak
    /// Decided pods whose bindings are queued or outstanding; the scheduling loop waits when this
    /// many are in flight.
    public var maxBindsInFlight: Int
    /// Bindings per batch request.
    public var bindBatchSize: Int
    /// Batch requests outstanding at once.
    public var maxBindRequestsInFlight: Int
    /// Seconds an assumed pod whose bind succeeded may stay unobserved before it is forgotten.
    public var assumeTimeout: Double
    /// Back-off of an unschedulable pod: first retry after `initialBackoff` seconds, doubling up to `maximumBackoff`.
    public var initialBackoff: Double
    public var maximumBackoff: Double
    /// Share of the nodes examined per pod, as kube-scheduler's percentageOfNodesToScore, handed to
    /// the profile: 0 (the default) is upstream's adaptive share, 100 looks at every node.
    public var percentageOfNodesToScore: Int
    /// Seconds between checks for expired back-offs and assumptions.
    public var tick: Double
    /// Label selector (query form) of the nodes this scheduler places pods on; nil means all nodes.
    /// Schedulers may share nodes: each counts only its own assumptions, and the API server refuses
    /// a binding that would overfill a node (the pod is then retried after a back-off).
    public var nodeSelector: String?

    public init(tieBreak: TieBreak = .systemRandom, maxBindsInFlight: Int = 1024, bindBatchSize: Int = 256,
                maxBindRequestsInFlight: Int = 2, assumeTimeout: Double = 30, initialBackoff: Double = 1,
                maximumBackoff: Double = 10, percentageOfNodesToScore: Int = 0, tick: Double = 0.25, nodeSelector: String? = nil) {
        self.tieBreak = tieBreak
        self.maxBindsInFlight = maxBindsInFlight
        self.bindBatchSize = max(1, bindBatchSize)
        self.maxBindRequestsInFlight = max(1, maxBindRequestsInFlight)
        self.assumeTimeout = assumeTimeout
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.percentageOfNodesToScore = percentageOfNodesToScore
        self.tick = tick
        self.nodeSelector = nodeSelector
    }
}

/// Counters of a running scheduler, for tests, logs and benchmarks.
public struct SchedulerStats: Sendable, Equatable {
    /// Pods waiting for an attempt.
    public var active = 0
    /// Pods waiting out a back-off after not fitting.
    public var backingOff = 0
    /// Pods placed by this scheduler and not yet seen bound.
    public var assumed = 0
    /// Pods whose bindings are queued or outstanding.
    public var bindsInFlight = 0
    /// Bindings that succeeded.
    public var bound = 0
    /// Bindings refused with 409 (already bound, being deleted) or 404.
    public var conflicts = 0
    /// Bindings that failed otherwise (retried).
    public var bindErrors = 0
    /// Pods that preempted others (each nominated to a node and its victims evicted).
    public var preemptions = 0
    /// Attempts that found no node (a waiting gang counts each of its pending members).
    public var unschedulable = 0
    /// Gangs bound all together (their first minMember members in one attempt).
    public var gangsPlaced = 0
    /// Gangs that gave up the room they held after their scheduleTimeoutSeconds.
    public var gangTimeouts = 0
}
