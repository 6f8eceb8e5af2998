import Model
import Testing
@testable import Queueing

/// Dominant resource share as Kueue computes it, and the fair-sharing tournament that orders
/// admission among a cohort's queues by it.
@Suite struct FairShareTests {
    static func book(_ queues: [ClusterQueueView], usage: [String: String]) -> QuotaBook {
        var book = QuotaBook(clusterQueues: queues)
        for (queue, cpu) in usage { book.charge(queue, [FlavorResource(flavor: "default", resource: "cpu"): Q.q(cpu)]) }
        return book
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var case_: String
        var weight: String?
        var lending: String?
        var used: String
        var share: Int
        var testDescription: String { case_ }
    }

    // a (nominal 4) and b (nominal 4) share cohort lab; the lendable cpu is 8 (b lends all of it
    // unless a lending limit says otherwise); a borrows what it uses above 4.
    @Test(arguments: [
        Row(case_: "under nominal: 0", weight: nil, lending: nil, used: "4", share: 0),
        Row(case_: "borrows 2 of 8 lendable: 2000m*1000/8000m = 250", weight: nil, lending: nil, used: "6", share: 250),
        Row(case_: "weight 2 halves it: 125", weight: "2", lending: nil, used: "6", share: 125),
        Row(case_: "weight 0.5 doubles it: 500", weight: "500m", lending: nil, used: "6", share: 500),
        Row(case_: "weight 0 while borrowing: the largest share", weight: "0", lending: nil, used: "6", share: Int.max),
        Row(case_: "weight 0 without borrowing: 0", weight: "0", lending: nil, used: "3", share: 0),
        Row(case_: "b lends only 2: lendable 4+2, 2000*1000/6000 = 333", weight: nil, lending: "2", used: "6", share: 333),
    ])
    func shareIsBorrowedOverLendableDividedByWeight(row: Row) {
        let a = Q.clusterQueue("a", cohort: "lab", fairWeight: row.weight ?? "1", flavors: [("default", Q.cpu("4"))])
        let b = Q.clusterQueue("b", cohort: "lab", flavors: [("default", Q.cpu("4", lending: row.lending))])
        let value = FairShare.share(of: "a", in: Self.book([a, b], usage: ["a": row.used]))
        #expect(value.share == row.share)
        #expect(value.resource == (row.share == 0 ? nil : "cpu"))
    }

    @Test func theDominantResourceIsTheMostBorrowedShare() {
        func queue(_ name: String) -> ClusterQueueView {
            Q.clusterQueue(name, cohort: "lab", flavors: [("default", ["cpu": ("4", nil, nil), "memory": ("4Gi", nil, nil)])])
        }
        var book = QuotaBook(clusterQueues: [queue("a"), queue("b")])
        // cpu: 1 of 8 borrowed = 125; memory: 2Gi of 8Gi = 250.
        book.charge("a", [FlavorResource(flavor: "default", resource: "cpu"): Q.q("5"),
                          FlavorResource(flavor: "default", resource: "memory"): Q.q("6Gi")])
        #expect(FairShare.share(of: "a", in: book) == FairShare.Value(share: 250, resource: "memory"))
        #expect(FairShare.share(of: "b", in: book).share == 0)
        #expect(FairShare.share(of: "a", in: book, adding: [FlavorResource(flavor: "default", resource: "memory"): Q.q("-2Gi")])
                == FairShare.Value(share: 125, resource: "cpu"))
    }

    @Test func aQueueWithoutACohortHasNoShare() {
        let alone = Q.clusterQueue("alone", fairWeight: "1", flavors: [("default", Q.cpu("1"))])
        #expect(FairShare.share(of: "alone", in: Self.book([alone], usage: ["alone": "1"])).share == 0)
    }

    /// Tenants a and b (2 cpu each) and an idle pool (8 cpu) share cohort lab; a floods its queue
    /// first with ten 1-cpu Jobs, b submits ten later.
    static func tenants(fair: Bool) -> QueueSchedulingInput {
        let weight: String? = fair ? "1" : nil
        let queues = [Q.clusterQueue("a", cohort: "lab", fairWeight: weight, flavors: [("default", Q.cpu("2"))]),
                      Q.clusterQueue("b", cohort: "lab", fairWeight: weight, flavors: [("default", Q.cpu("2"))]),
                      Q.clusterQueue("pool", cohort: "lab", fairWeight: weight, flavors: [("default", Q.cpu("8"))])]
        let workloads = (1...10).map { Q.workload("a\($0)", queue: "lq-a", cpu: "1", created: $0) }
            + (1...10).map { Q.workload("b\($0)", queue: "lq-b", cpu: "1", created: 10 + $0) }
        return Q.input(queues, workloads)
    }

    @Test func withoutFairSharingTheFloodingTenantTakesTheCohortsSpareQuota() {
        let plan = QueueScheduling.plan(Self.tenants(fair: false))
        #expect(plan.admit.filter { $0.key.hasPrefix("default/a") }.count == 10)
        #expect(plan.admit.filter { $0.key.hasPrefix("default/b") }.count == 2)
        #expect(plan.shares.isEmpty)
    }

    @Test func withFairSharingTwoTenantsSplitTheSpareQuotaEvenly() {
        let plan = QueueScheduling.plan(Self.tenants(fair: true))
        // Lowest share after admission first; ties go to the older Workload: a1 a2 b1 b2 a3 b3 a4 b4 …
        #expect(plan.admit.map(\.key).prefix(6) == ["default/a1", "default/a2", "default/b1", "default/b2", "default/a3", "default/b3"])
        #expect(plan.admit.filter { $0.key.hasPrefix("default/a") }.count == 6)
        #expect(plan.admit.filter { $0.key.hasPrefix("default/b") }.count == 6)
        // Each borrows 4 of the 12 lendable: 4000*1000/12000 = 333.
        #expect(plan.shares["a"]?.share == 333 && plan.shares["b"]?.share == 333 && plan.shares["pool"]?.share == 0)
        #expect(plan.pending["default/a7"]?.message.hasPrefix("waiting for quota in ClusterQueue a: position 1 of 4; needs 1 cpu") == true)
    }

    @Test func theWeightGivesATenantAProportionallyLargerPart() {
        var input = Self.tenants(fair: true)
        var heavy = input.clusterQueues[1].object
        heavy.setValue(["weight": "3"], at: ["spec", "fairSharing"])
        input.clusterQueues[1] = ClusterQueueView(heavy)
        let plan = QueueScheduling.plan(input)
        // 8 spare cpu split 1:3 → a borrows 2, b borrows 6 (shares 166 and 500/3 = 166).
        #expect(plan.admit.filter { $0.key.hasPrefix("default/a") }.count == 4)
        #expect(plan.admit.filter { $0.key.hasPrefix("default/b") }.count == 8)
    }

    @Test func theClusterQueueStatusReportsTheWeightedShare() {
        let input = Self.tenants(fair: true)
        let plan = QueueScheduling.plan(input)
        let status = QueueStatus.clusterQueue(input.clusterQueues[0], input: input, plan: plan)
        #expect(status["fairSharing"] == ["weightedShare": 333])
        let classic = Self.tenants(fair: false)
        #expect(QueueStatus.clusterQueue(classic.clusterQueues[0], input: classic, plan: QueueScheduling.plan(classic))["fairSharing"] == nil)
    }
}
