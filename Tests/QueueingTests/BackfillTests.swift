import Foundation
import Model
import Testing
@testable import Queueing

/// Backfill decisions with a manual clock: the head keeps a reservation at the end of what it
/// waits for; what fits now passes it only if it ends by then.
@Suite struct BackfillTests {
    /// A 5-cpu queue; `running` (3 cpu, admitted at 0, bounded to 100 s unless `runningBound` is
    /// nil) leaves 2 free. In order: big (4 cpu, waits for running), long (1 cpu, 200 s),
    /// short (1 cpu, 50 s), unbounded (1 cpu). The pass runs at 10 s.
    static func input(_ strategy: String, runningBound: Int? = 100) -> QueueSchedulingInput {
        let queue = Q.clusterQueue("batch", strategy: strategy, flavors: [("default", Q.cpu("5"))])
        let workloads = [Q.workload("running", queue: "lq-batch", cpu: "3", created: 0, seconds: runningBound, admittedIn: ("batch", "default")),
                         Q.workload("big", queue: "lq-batch", cpu: "4", created: 1, seconds: 60),
                         Q.workload("long", queue: "lq-batch", cpu: "1", created: 2, seconds: 200),
                         Q.workload("short", queue: "lq-batch", cpu: "1", created: 3, seconds: 50),
                         Q.workload("unbounded", queue: "lq-batch", cpu: "1", created: 4)]
        return Q.input([queue], workloads, now: 10)
    }

    @Test(arguments: [
        // Nothing passes the head.
        (Kueue.strictFIFO, [String]()),
        // Whatever fits goes, in order: long takes a cpu until 210 s and big, due at 100 s, starves.
        (Kueue.bestEffortFIFO, ["default/long", "default/short"]),
        // Only short ends (at 60 s) before big's reserved start (100 s).
        (Kueue.backfill, ["default/short"]),
    ])
    func whatPassesABlockedHead(strategy: String, admitted: [String]) {
        #expect(QueueScheduling.plan(Self.input(strategy)).admit.map(\.key) == admitted)
    }

    @Test func theHeadIsReservedAtTheEndOfWhatItWaitsFor() {
        let plan = QueueScheduling.plan(Self.input(Kueue.backfill))
        let start = Q.at(100)
        #expect(plan.pending["default/big"]?.reservedStart == start)
        #expect(plan.pending["default/big"]?.message == "waiting for quota in ClusterQueue batch: position 1 of 3; needs 4 cpu, "
                + "2 cpu free of 5 nominal; reserved to start by \(Timestamp.format(start))")
        #expect(plan.pending["default/long"]?.message == "waiting for quota in ClusterQueue batch: position 2 of 3; fits, but would run until "
                + "\(Timestamp.format(Q.at(210))), past the reserved start of big at \(Timestamp.format(start))")
        #expect(plan.pending["default/unbounded"]?.message.hasSuffix("fits, but has no activeDeadlineSeconds, so Backfill cannot let it pass big") == true)
    }

    @Test func withoutADeadlineOnWhatTheHeadWaitsForNothingPasses() {
        let plan = QueueScheduling.plan(Self.input(Kueue.backfill, runningBound: nil))
        #expect(plan.admit.isEmpty)
        #expect(plan.pending["default/big"]?.reservedStart == nil)
        #expect(plan.pending["default/short"]?.message.hasSuffix("fits, but the start of big cannot be reserved, so Backfill lets nothing pass it") == true)
    }

    @Test func theReservationIsTheFirstEndAfterWhichTheHeadFits() {
        // Two running Workloads ending at 30 s and 80 s; the head needs both gone.
        let holders = [Preemption.Holder(key: "x", clusterQueue: "batch", priority: 0, created: Q.at(0), usage: [FlavorResource(flavor: "default", resource: "cpu"): Q.q("2")]),
                       Preemption.Holder(key: "y", clusterQueue: "batch", priority: 0, created: Q.at(0), usage: [FlavorResource(flavor: "default", resource: "cpu"): Q.q("2")])]
        let queue = Q.clusterQueue("batch", strategy: Kueue.backfill, flavors: [("default", Q.cpu("4"))])
        var book = QuotaBook(clusterQueues: [queue])
        for holder in holders { book.charge("batch", holder.usage) }
        let flavors = ["default": Q.flavor("default")]
        func start(_ cpu: String) -> Date? {
            Backfill.reservedStart(for: Q.workload("head", queue: "lq-batch", cpu: cpu), in: queue, book: book, holders: holders,
                                   ends: ["x": Q.at(80), "y": Q.at(30)], flavors: flavors)
        }
        #expect(start("2") == Q.at(30))
        #expect(start("4") == Q.at(80))
        #expect(start("5") == nil)
        #expect(Backfill.mayPass(ends: Q.at(30), reservedStart: Q.at(30)))
        #expect(!Backfill.mayPass(ends: Q.at(31), reservedStart: Q.at(30)))
        #expect(!Backfill.mayPass(ends: nil, reservedStart: Q.at(30)))
    }
}
