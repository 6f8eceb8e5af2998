import Model
import Testing
@testable import Queueing

/// Preemption across a cohort: borrowWithinCohort in classical preemption, and the fair-sharing
/// strategies (S2-a LessThanOrEqualToFinalShare, then S2-b LessThanInitialShare).
@Suite struct CohortPreemptionTests {
    /// Cohort lab: a and b (2 cpu each) and a pool (4 cpu); b runs 6 cpu (borrows 4): two 2-cpu
    /// Workloads at priority 5 and one at 50; a wants 4 cpu at priority 100 (it must borrow 2).
    static func borrowing(borrow: String?, threshold: Int? = nil) -> QueueSchedulingInput {
        let a = Q.preempting(Q.clusterQueue("a", cohort: "lab", flavors: [("default", Q.cpu("2"))]), reclaim: "Any",
                             borrow: borrow, threshold: threshold)
        let queues = [a, Q.clusterQueue("b", cohort: "lab", flavors: [("default", Q.cpu("2"))]),
                      Q.clusterQueue("pool", cohort: "lab", flavors: [("default", Q.cpu("4"))])]
        let workloads = [Q.workload("b1", queue: "lq-b", cpu: "2", priority: 5, created: 1, admittedIn: ("b", "default")),
                         Q.workload("b2", queue: "lq-b", cpu: "2", priority: 5, created: 2, admittedIn: ("b", "default")),
                         Q.workload("b3", queue: "lq-b", cpu: "2", priority: 50, created: 3, admittedIn: ("b", "default")),
                         Q.workload("big", queue: "lq-a", cpu: "4", priority: 100, created: 4)]
        return Q.input(queues, workloads)
    }

    @Test func withoutBorrowWithinCohortAQueueOnlyReclaimsForItsNominalQuota() {
        #expect(QueueScheduling.plan(Self.borrowing(borrow: nil)).evict.isEmpty)
        #expect(QueueScheduling.plan(Self.borrowing(borrow: "Never")).evict.isEmpty)
    }

    @Test func borrowWithinCohortPreemptsLowerPriorityWorkThenBorrows() {
        let plan = QueueScheduling.plan(Self.borrowing(borrow: "LowerPriority"))
        // Newest of the lowest priority first; freeing 2 cpu leaves 4 free in the cohort.
        #expect(plan.evict.map(\.key) == ["default/b2"])
        #expect(plan.evict.first?.message
                == "Preempted to accommodate a workload (default/big) due to reclamation within the cohort while borrowing")
    }

    @Test(arguments: [(10, ["default/b2"]), (5, ["default/b2"]), (4, [])])
    func maxPriorityThresholdBoundsWhatMayBePreemptedWhileBorrowing(threshold: Int, victims: [String]) {
        // At threshold 4 the priority-5 Workloads may only be reclaimed for a's nominal 2 cpu,
        // and 4 cpu never fit in 2.
        #expect(QueueScheduling.plan(Self.borrowing(borrow: "LowerPriority", threshold: threshold)).evict.map(\.key) == victims)
    }

    /// Fair cohort lab: a, b (2 cpu each), pool (8 cpu, nothing of its own); a and b run
    /// `running` 1-cpu Workloads each; b has one more pending.
    static func fair(a runningA: Int, b runningB: Int) -> QueueSchedulingInput {
        let queues = [Q.preempting(Q.clusterQueue("a", cohort: "lab", fairWeight: "1", flavors: [("default", Q.cpu("2"))]), reclaim: "Any"),
                      Q.preempting(Q.clusterQueue("b", cohort: "lab", fairWeight: "1", flavors: [("default", Q.cpu("2"))]), reclaim: "Any"),
                      Q.clusterQueue("pool", cohort: "lab", fairWeight: "1", flavors: [("default", Q.cpu("8"))])]
        let workloads = (0..<runningA).map { Q.workload("a\($0)", queue: "lq-a", cpu: "1", created: $0, admittedIn: ("a", "default")) }
            + (0..<runningB).map { Q.workload("b\($0)", queue: "lq-b", cpu: "1", created: 20 + $0, admittedIn: ("b", "default")) }
            + [Q.workload("next", queue: "lq-b", cpu: "1", created: 40)]
        return Q.input(queues, workloads)
    }

    @Test func aTenantBelowItsFairShareReclaimsFromTheGreedyOne() {
        // a holds 10 of 12 (borrows 8, share 666), b 2: b's next would make b 83, a without one 583.
        let plan = QueueScheduling.plan(Self.fair(a: 10, b: 2))
        #expect(plan.evict.map(\.key) == ["default/a9"])
        #expect(plan.evict.first?.message == "Preempted to accommodate a workload (default/next) due to Fair Sharing within the cohort")
    }

    @Test func nothingIsPreemptedOnceTheSharesAreEven() {
        // 6 and 6: b's next would be 416, a without one 250 (S2-a fails) and 333 now (S2-b fails).
        #expect(QueueScheduling.plan(Self.fair(a: 6, b: 6)).evict.isEmpty)
    }

    @Test func lessThanOrEqualToFinalShareHoldsUpToEqualShares() {
        // a 8 (share 500), b 4: b's next 250; a without one 416 ≥ 250, so S2-a already passes.
        #expect(QueueScheduling.plan(Self.fair(a: 8, b: 4)).evict.map(\.key) == ["default/a7"])
        // a 7 (416), b 5: b's next 333, a without one 333: S2-a passes at equality.
        #expect(QueueScheduling.plan(Self.fair(a: 7, b: 5)).evict.map(\.key) == ["default/a6"])
    }

    @Test func lessThanInitialShareLetsAQueueTakeFromOneGreedierThanItWouldBe() {
        let queues = Self.fair(a: 0, b: 0).clusterQueues
        func running(_ name: String, _ queue: String, _ cpu: String, _ created: Int) -> WorkloadView {
            Q.workload(name, queue: "lq-\(queue)", cpu: cpu, created: created, admittedIn: (queue, "default"))
        }
        // a runs one 6-cpu Workload (borrows 4: share 333); b holds 6 and wants 3 more (its new
        // share 7000*1000/12000 = 583): neither rule lets it take a's Workload.
        let even = [running("huge", "a", "6", 0), running("b0", "b", "2", 1), running("b1", "b", "4", 2),
                    Q.workload("more", queue: "lq-b", cpu: "3", created: 4)]
        #expect(QueueScheduling.plan(Q.input(queues, even)).evict.isEmpty)
        // a runs 10 cpu in one Workload (share 666), b holds 2 and wants 3 (new share 250). S2-a
        // fails (a without it is 0 < 250); S2-b passes (250 < 666).
        let greedy = [running("huge", "a", "10", 0), running("b0", "b", "2", 1), Q.workload("more", queue: "lq-b", cpu: "3", created: 4)]
        #expect(QueueScheduling.plan(Q.input(queues, greedy)).evict.map(\.key) == ["default/huge"])
    }

    @Test func withoutReclaimWithinCohortFairSharingPreemptsNothingAcrossQueues() {
        var input = Self.fair(a: 10, b: 2)
        input.clusterQueues[1] = Q.preempting(input.clusterQueues[1], reclaim: "Never")
        #expect(QueueScheduling.plan(input).evict.isEmpty)
    }
}

extension CohortPreemptionTests {
    /// Tenants a and b of 1 cpu each, reclaiming Any, and a pool lending 2 cpu to the cohort.
    static let reclaimingTenants = [
        Q.preempting(Q.clusterQueue("a", cohort: "lab", flavors: [("default", Q.cpu("1"))]), reclaim: "Any"),
        Q.preempting(Q.clusterQueue("b", cohort: "lab", flavors: [("default", Q.cpu("1"))]), reclaim: "Any"),
        Q.clusterQueue("pool", cohort: "lab", flavors: [("default", Q.cpu("2"))])]

    @Test func aTenantReclaimsItsNominalQuotaFromAFloodingBorrower() {
        let workloads = (1...4).map { Q.workload("a\($0)", queue: "lq-a", cpu: "1", created: $0, admittedIn: ("a", "default")) }
            + (1...4).map { Q.workload("b\($0)", queue: "lq-b", cpu: "1", created: 10 + $0) }
        let plan = QueueScheduling.plan(Q.input(Self.reclaimingTenants, workloads))
        // b takes back its nominal 1 cpu; beyond it, it would be borrowing.
        #expect(plan.evict.map(\.key) == ["default/a4"])
    }
}

extension CohortPreemptionTests {
    @Test func aWorkloadWithinNominalQuotaGoesBeforeABorrowerOfAnotherQueue() {
        // After a4 was preempted for b1, both wait for the one free cpu: b1 fits b's nominal
        // quota, a4 would borrow, so b1 goes first (a's name sorts first, its Workload is older).
        let workloads = (1...3).map { Q.workload("a\($0)", queue: "lq-a", cpu: "1", created: $0, admittedIn: ("a", "default")) }
            + [Q.workload("a4", queue: "lq-a", cpu: "1", created: 4), Q.workload("b1", queue: "lq-b", cpu: "1", created: 11)]
        let plan = QueueScheduling.plan(Q.input(Self.reclaimingTenants, workloads))
        #expect(plan.admit.map(\.key) == ["default/b1"])
        #expect(plan.evict.isEmpty)
    }
}
