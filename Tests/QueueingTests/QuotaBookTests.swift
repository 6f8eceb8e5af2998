import Model
import Testing
@testable import Queueing

/// Kueue's cohort arithmetic, as tables: what a queue can still take of a (flavor, resource).
@Suite struct QuotaBookTests {
    static let cpu = FlavorResource(flavor: "default", resource: "cpu")

    /// (queues with their quotas, usage charged per queue, queue asked about, expected free).
    @Test(arguments: [
        // No cohort: nominal − usage.                                              10 − 4 = 6
        ([Q.clusterQueue("a", flavors: [("default", Q.cpu("10"))])], ["a": "4"], "a", "6"),
        // No cohort, over-used (a quota lowered under running work): never negative.
        ([Q.clusterQueue("a", flavors: [("default", Q.cpu("2"))])], ["a": "3"], "a", "0"),
        // Cohort, no limits: a's free 6 + b's unused 10.                             6 + 10 = 16
        ([Q.clusterQueue("a", cohort: "c", flavors: [("default", Q.cpu("10"))]),
          Q.clusterQueue("b", cohort: "c", flavors: [("default", Q.cpu("10"))])], ["a": "4"], "a", "16"),
        // borrowingLimit 3: at most 10 + 3 − 4.                                      9
        ([Q.clusterQueue("a", cohort: "c", flavors: [("default", Q.cpu("10", borrowing: "3"))]),
          Q.clusterQueue("b", cohort: "c", flavors: [("default", Q.cpu("10"))])], ["a": "4"], "a", "9"),
        // b lends only 2: a's free 6 + 2.                                            8
        ([Q.clusterQueue("a", cohort: "c", flavors: [("default", Q.cpu("10"))]),
          Q.clusterQueue("b", cohort: "c", flavors: [("default", Q.cpu("10", lending: "2"))])], ["a": "4"], "a", "8"),
        // b lends 2 and uses 9: its guaranteed 8 is its own, 1 comes from the pool (10 + 2 = 12);
        // a used 4 of its lendable 10 → pool used 5, free 7; a has no guaranteed part.  7
        ([Q.clusterQueue("a", cohort: "c", flavors: [("default", Q.cpu("10"))]),
          Q.clusterQueue("b", cohort: "c", flavors: [("default", Q.cpu("10", lending: "2"))])], ["a": "4", "b": "9"], "a", "7"),
        // b from a's side: b's guaranteed free 8 − 8 = 0... b used 2: guaranteed free 6, pool
        // (12) used by a 10 → free 2.                                                6 + 2 = 8
        ([Q.clusterQueue("a", cohort: "c", flavors: [("default", Q.cpu("10"))]),
          Q.clusterQueue("b", cohort: "c", flavors: [("default", Q.cpu("10", lending: "2"))])], ["a": "10", "b": "2"], "b", "8"),
        // Another cohort's quota is not borrowable.                                  10 − 4 = 6
        ([Q.clusterQueue("a", cohort: "c", flavors: [("default", Q.cpu("10"))]),
          Q.clusterQueue("b", cohort: "other", flavors: [("default", Q.cpu("10"))])], ["a": "4"], "a", "6"),
    ] as [([ClusterQueueView], [String: String], String, String)])
    func availableQuotaFollowsKueuesCohortRules(queues: [ClusterQueueView], usage: [String: String], asked: String, free: String) {
        var book = QuotaBook(clusterQueues: queues)
        for (queue, amount) in usage { book.charge(queue, [Self.cpu: Q.q(amount)]) }
        #expect(book.available(asked, Self.cpu) == Q.q(free))
    }

    @Test func aFlavorTheQueueHasNoQuotaForHasNothingFree() {
        let book = QuotaBook(clusterQueues: [Q.clusterQueue("a", flavors: [("default", Q.cpu("10"))])])
        #expect(book.available("a", FlavorResource(flavor: "spot", resource: "cpu")) == .zero)
        #expect(book.available("missing", Self.cpu) == .zero)
    }
}
