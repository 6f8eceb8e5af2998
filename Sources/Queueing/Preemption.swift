import Foundation
import Model

/// Preemption for quota, as Kueue's classical preemption, pure: which admitted Workloads to
/// evict so that a pending one fits.
///
/// Candidates, as the preemptor's ClusterQueue's `spec.preemption` allows:
/// - `withinClusterQueue: LowerPriority` — its own queue's Workloads of lower priority
///   (`LowerOrNewerEqualPriority` adds equal-priority ones admitted later);
/// - `reclaimWithinCohort: Any | LowerPriority` — Workloads of other queues of the cohort that
///   borrow (use more than nominal of a resource they hold), of any or only lower priority, and
///   only when the preemptor then fits in its own queue's nominal quota (it reclaims what is its own).
///
/// Taken in Kueue's order (other queues' borrowers first, then lower priority, then the most
/// recently created) until the preemptor fits; then every victim whose return still lets it fit is
/// spared, so the set is minimal in that order.
public enum Preemption {
    /// A Workload holding quota.
    public struct Holder: Sendable, Equatable {
        public var key: String
        public var clusterQueue: String
        public var priority: Int
        public var created: Date
        public var usage: [FlavorResource: Quantity]

        public init(key: String, clusterQueue: String, priority: Int, created: Date, usage: [FlavorResource: Quantity]) {
            self.key = key
            self.clusterQueue = clusterQueue
            self.priority = priority
            self.created = created
            self.usage = usage
        }
    }

    /// A chosen victim and the reason its Evicted condition gives.
    public struct Victim: Sendable, Equatable {
        public var key: String
        public var reason: String
        public var message: String
    }

    /// The victims that let `workload` fit in `queue`, or nil when no allowed set does.
    public static func targets(for workload: WorkloadView, in queue: ClusterQueueView, book: QuotaBook, holders: [Holder],
                               flavors: [String: ResourceFlavorView]) -> [Victim]? {
        let within = holders.filter { holder in
            guard holder.clusterQueue == queue.name else { return false }
            switch queue.withinClusterQueue {
            case "LowerPriority": return holder.priority < workload.priority
            case "LowerOrNewerEqualPriority":
                return holder.priority < workload.priority || (holder.priority == workload.priority && holder.created > workload.creationTimestamp)
            default: return false
            }
        }
        var reclaim: [Holder] = []
        if let cohort = queue.cohort, queue.reclaimWithinCohort != "Never" {
            reclaim = holders.filter { holder in
                guard holder.clusterQueue != queue.name, book.queues[holder.clusterQueue]?.cohort == cohort else { return false }
                let borrowing = holder.usage.keys.contains { (book.queues[holder.clusterQueue]?.borrowed($0) ?? .zero) > .zero }
                return borrowing && (queue.reclaimWithinCohort == "Any" || holder.priority < workload.priority)
            }
        }
        func order(_ a: Holder, _ b: Holder) -> Bool {
            if a.priority != b.priority { return a.priority < b.priority }
            if a.created != b.created { return a.created > b.created }
            return a.key < b.key
        }
        let candidates = reclaim.sorted(by: order) + within.sorted(by: order)
        guard !candidates.isEmpty else { return nil }

        func fits(without removed: [Holder]) -> WorkloadAdmission? {
            var trial = book
            for holder in removed { trial.charge(holder.clusterQueue, holder.usage.mapValues { -$0 }) }
            guard case .fits(let admission) = FlavorAssignment.assign(workload, in: queue, book: trial, flavors: flavors) else { return nil }
            // Reclaiming from the cohort is only for the queue's own nominal quota.
            if removed.contains(where: { $0.clusterQueue != queue.name }) {
                for (fr, amount) in admission.usage where trial.usage(queue.name, fr) + amount > (trial.nominal(queue.name, fr) ?? .zero) {
                    return nil
                }
            }
            return admission
        }

        var chosen: [Holder] = []
        var found = false
        for candidate in candidates {
            chosen.append(candidate)
            if fits(without: chosen) != nil {
                found = true
                break
            }
        }
        guard found else { return nil }
        for candidate in chosen.reversed() {
            let spared = chosen.filter { $0 != candidate }
            if fits(without: spared) != nil { chosen = spared }
        }
        return chosen.map { victim in
            let inCohort = victim.clusterQueue != queue.name
            return Victim(key: victim.key, reason: "Preempted",
                          message: "Preempted to accommodate a workload (\(workload.key)) due to "
                              + (inCohort ? "reclamation within the cohort" : "prioritization in the ClusterQueue"))
        }
    }
}
