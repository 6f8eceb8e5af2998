/// Names of Kueue's API (kueue.x-k8s.io/v1beta1) that several modules spell: the labels a Job
/// carries, the Workload condition types and reasons, the queueing strategies and stop policies.
public enum Kueue {
    /// The API group.
    public static let group = "kueue.x-k8s.io"
    /// The label that puts a Job in a LocalQueue of its namespace (upstream's `QueueLabel`).
    public static let queueNameLabel = "kueue.x-k8s.io/queue-name"
    /// The label naming a WorkloadPriorityClass for a Job (upstream's `WorkloadPriorityClassLabel`).
    public static let priorityClassLabel = "kueue.x-k8s.io/priority-class"
    /// The label on a Workload naming the uid of the Job it stands for.
    public static let jobUIDLabel = "kueue.x-k8s.io/job-uid"
    /// `spec.priorityClassSource` of a Workload whose priority comes from a WorkloadPriorityClass.
    public static let workloadPriorityClassSource = "kueue.x-k8s.io/workloadpriorityclass"
    /// `spec.priorityClassSource` of a Workload whose priority comes from a pod PriorityClass.
    public static let podPriorityClassSource = "scheduling.k8s.io/priorityclass"

    /// Workload condition types.
    public enum Condition {
        public static let quotaReserved = "QuotaReserved"
        public static let admitted = "Admitted"
        public static let evicted = "Evicted"
        public static let finished = "Finished"
        /// ClusterQueue and LocalQueue condition.
        public static let active = "Active"
    }

    /// `spec.queueingStrategy` values.
    public static let strictFIFO = "StrictFIFO"
    public static let bestEffortFIFO = "BestEffortFIFO"
    /// Drover's extension: BestEffortFIFO order, but nothing passes a blocked head unless its
    /// `activeDeadlineSeconds` ends before the head's reserved start (Slurm's backfill).
    public static let backfill = "Backfill"
    public static let queueingStrategies = [strictFIFO, bestEffortFIFO, backfill]
    /// `spec.stopPolicy` values.
    public static let stopPolicies = ["None", "Hold", "HoldAndDrain"]
    /// `spec.preemption.reclaimWithinCohort` values.
    public static let reclaimPolicies = ["Never", "LowerPriority", "Any"]
    /// `spec.preemption.withinClusterQueue` values.
    public static let withinClusterQueuePolicies = ["Never", "LowerPriority", "LowerOrNewerEqualPriority"]
    /// `spec.preemption.borrowWithinCohort.policy` values.
    public static let borrowWithinCohortPolicies = ["Never", "LowerPriority"]
    /// The name of a Job's only pod set, as Kueue's batch/Job integration names it.
    public static let mainPodSet = "main"
}
