import Foundation
import Model

/// Slurm-style backfill for ClusterQueues with `queueingStrategy: Backfill` (a Drover extension),
/// pure.
///
/// The first Workload of the queue that does not fit (the head) keeps a reservation at its
/// earliest possible start: running Workloads end at the latest when their maximum execution
/// time (the Job's `activeDeadlineSeconds`, counted from admission) runs out, so releasing them in
/// the order they end, the head's start is the first end after which it fits. A Workload behind
/// the head that fits now is admitted only if its own bound ends no later than that start, so it
/// is gone before the head needs the room and never delays it (Slurm's backfill with time limits;
/// one reservation, as EASY backfill). Without a bound on the candidate, or when the head's start
/// cannot be computed (what it waits for has no deadline), nothing passes the head.
public enum Backfill {
    /// A Workload that fits now may pass the head: it ends by the head's reserved start.
    public static func mayPass(ends: Date?, reservedStart: Date?) -> Bool {
        guard let ends, let reservedStart else { return false }
        return ends <= reservedStart
    }

    /// The earliest time the head fits if every holder with a known end leaves then, or nil when
    /// releasing all of those is still not enough.
    public static func reservedStart(for head: WorkloadView, in queue: ClusterQueueView, book: QuotaBook,
                                     holders: [Preemption.Holder], ends: [String: Date],
                                     flavors: [String: ResourceFlavorView]) -> Date? {
        var trial = book
        let ending = holders.compactMap { holder in ends[holder.key].map { (holder, $0) } }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.key < $1.0.key }
        for (holder, end) in ending {
            trial.charge(holder.clusterQueue, holder.usage.mapValues { -$0 })
            if case .fits = FlavorAssignment.assign(head, in: queue, book: trial, flavors: flavors) { return end }
        }
        return nil
    }

    /// Why a Workload that fits waits behind the head.
    static func blockedText(ends: Date?, head: String, start: Date?) -> String {
        guard let start else {
            return "fits, but the start of \(head) cannot be reserved, so Backfill lets nothing pass it"
        }
        guard let ends else {
            return "fits, but has no activeDeadlineSeconds, so Backfill cannot let it pass \(head)"
        }
        return "fits, but would run until \(Timestamp.format(ends)), past the reserved start of \(head) at \(Timestamp.format(start))"
    }

    /// The head's reservation, for its message.
    static func reservationText(_ start: Date?) -> String {
        guard let start else { return "no start can be reserved: what it waits for runs without activeDeadlineSeconds" }
        return "reserved to start by \(Timestamp.format(start))"
    }
}
