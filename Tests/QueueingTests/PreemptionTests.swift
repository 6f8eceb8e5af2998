import Model
import Testing
@testable import Queueing

/// Preemption targets as Kueue's classical preemption chooses them.
@Suite struct PreemptionTests {
    static func withPreemption(_ queue: ClusterQueueView, within: String = "Never", reclaim: String = "Never") -> ClusterQueueView {
        var object = queue.object
        object.setValue(["withinClusterQueue": .string(within), "reclaimWithinCohort": .string(reclaim)], at: ["spec", "preemption"])
        return ClusterQueueView(object)
    }

    static func input(_ queues: [ClusterQueueView], _ workloads: [WorkloadView]) -> QueueSchedulingInput {
        QueueSchedulingInput(clusterQueues: queues, localQueues: queues.map { Q.localQueue("lq-\($0.name)", $0.name) },
                             flavors: [Q.flavor("default")], workloads: workloads, namespaceLabels: [:])
    }

    @Test func lowerPriorityWithinTheQueueIsPreemptedNewestFirstAndOnlyAsMuchAsNeeded() {
        let queue = Self.withPreemption(Q.clusterQueue("research", flavors: [("default", Q.cpu("3"))]), within: "LowerPriority")
        let workloads = [Q.workload("old-low", queue: "lq-research", cpu: "1", priority: 1, created: 1, admittedIn: ("research", "default")),
                         Q.workload("new-low", queue: "lq-research", cpu: "1", priority: 1, created: 2, admittedIn: ("research", "default")),
                         Q.workload("peer", queue: "lq-research", cpu: "1", priority: 100, created: 0, admittedIn: ("research", "default")),
                         Q.workload("urgent", queue: "lq-research", cpu: "1", priority: 100, created: 5)]
        let plan = QueueScheduling.plan(Self.input([queue], workloads))
        #expect(plan.evict.map(\.key) == ["default/new-low"])
        #expect(plan.evict.first?.message == "Preempted to accommodate a workload (default/urgent) due to prioritization in the ClusterQueue")
        #expect(plan.admit.isEmpty, "admitted once the eviction is written")
        #expect(plan.pending["default/urgent"]?.message
                == "waiting for quota in ClusterQueue research: position 1 of 1; preempting default/new-low to fit")
    }

    @Test(arguments: ["Never", "LowerPriority"])
    func equalOrHigherPriorityIsNeverPreemptedWithinTheQueue(policy: String) {
        let queue = Self.withPreemption(Q.clusterQueue("research", flavors: [("default", Q.cpu("1"))]), within: policy)
        let workloads = [Q.workload("running", queue: "lq-research", cpu: "1", priority: 5, admittedIn: ("research", "default")),
                         Q.workload("pending", queue: "lq-research", cpu: "1", priority: 5, created: 1)]
        #expect(QueueScheduling.plan(Self.input([queue], workloads)).evict.isEmpty)
    }

    @Test func aQueueReclaimsItsNominalQuotaFromABorrowerInItsCohort() {
        let a = Self.withPreemption(Q.clusterQueue("a", cohort: "lab", flavors: [("default", Q.cpu("2"))]), reclaim: "Any")
        let b = Q.clusterQueue("b", cohort: "lab", flavors: [("default", Q.cpu("2"))])
        // b borrows 2 of a's cpu (uses 4 of its nominal 2).
        let workloads = [Q.workload("b1", queue: "lq-b", cpu: "2", priority: 50, created: 1, admittedIn: ("b", "default")),
                         Q.workload("b2", queue: "lq-b", cpu: "2", priority: 50, created: 2, admittedIn: ("b", "default")),
                         Q.workload("mine", queue: "lq-a", cpu: "2", created: 3)]
        let plan = QueueScheduling.plan(Self.input([a, b], workloads))
        #expect(plan.evict.map(\.key) == ["default/b2"])
        #expect(plan.evict.first?.message.hasSuffix("due to reclamation within the cohort") == true)
    }

    @Test func reclaimingIsOnlyForTheQueuesOwnNominalQuota() {
        let a = Self.withPreemption(Q.clusterQueue("a", cohort: "lab", flavors: [("default", Q.cpu("2"))]), reclaim: "Any")
        let b = Q.clusterQueue("b", cohort: "lab", flavors: [("default", Q.cpu("2"))])
        let workloads = [Q.workload("b1", queue: "lq-b", cpu: "4", admittedIn: ("b", "default")),
                         Q.workload("greedy", queue: "lq-a", cpu: "3")]
        #expect(QueueScheduling.plan(Self.input([a, b], workloads)).evict.isEmpty)
    }
}
