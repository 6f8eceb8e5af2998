import Foundation
import Model

/// Preemption for quota, as Kueue's preemptor, pure: which admitted Workloads to evict so that a
/// pending one fits.
///
/// Candidates, as the preemptor's ClusterQueue's `spec.preemption` allows, and only Workloads that
/// use a (flavor, resource) the preemptor needs:
/// - `withinClusterQueue: LowerPriority` — its own queue's Workloads of lower priority
///   (`LowerOrNewerEqualPriority` adds equal-priority ones created later);
/// - `reclaimWithinCohort: Any | LowerPriority` — Workloads of other queues of the cohort that
///   borrow one of those resources, of any or only lower priority.
///
/// Classical preemption (Kueue's classicalPreemptions), candidates in Kueue's order (other queues'
/// first, then lower priority, then the most recently created):
/// 1. only own-queue candidates → take them, borrowing allowed;
/// 2. `borrowWithinCohort: LowerPriority` → other queues' Workloads may be taken while the
///    preemptor borrows, if their priority is below the preemptor's and at most
///    `maxPriorityThreshold` (when the queue is at or above nominal, the others are dropped;
///    otherwise taking one of them means the preemptor must fit its nominal quota);
/// 3. the queue is under nominal in what it needs → take candidates so that it fits its nominal
///    quota (it reclaims what is its own);
/// 4. otherwise only own-queue candidates, borrowing allowed.
/// Victims are taken one by one until the preemptor fits (a cross-queue candidate whose queue no
/// longer borrows is skipped), then every victim whose return still lets it fit is spared.
///
/// In a cohort that shares fairly the fair-sharing strategies apply instead
/// (`Preemption+FairSharing.swift`).
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

    /// Why a victim is taken: Kueue's preemption reasons, worded as its messages end.
    enum Cause: String {
        case inClusterQueue = "prioritization in the ClusterQueue"
        case reclamation = "reclamation within the cohort"
        case reclaimWhileBorrowing = "reclamation within the cohort while borrowing"
        case fairSharing = "Fair Sharing within the cohort"
    }

    /// What one search works on: the preemptor, its queue, and the book it changes.
    struct Context {
        var workload: WorkloadView
        var queue: ClusterQueueView
        var book: QuotaBook
        var flavors: [String: ResourceFlavorView]
        /// The (flavor, resource) pairs the preemptor would be charged, where victims must free room.
        var needs: Set<FlavorResource>

        /// The preemptor's admission in `book`, and, without borrowing, only within nominal quota.
        func fits(_ book: QuotaBook, allowBorrowing: Bool = true) -> Bool {
            guard case .fits(let admission) = FlavorAssignment.assign(workload, in: queue, book: book, flavors: flavors) else { return false }
            if allowBorrowing { return true }
            return admission.usage.allSatisfy { fr, amount in book.usage(queue.name, fr) + amount <= (book.nominal(queue.name, fr) ?? .zero) }
        }

        func borrows(_ queueName: String, _ book: QuotaBook) -> Bool {
            needs.contains { (book.queues[queueName]?.borrowed($0) ?? .zero) > .zero }
        }

        /// What the preemptor is charged where it needs room (Kueue's simulated usage).
        var usage: [FlavorResource: Quantity] {
            let requests = workload.totalRequests
            return Dictionary(uniqueKeysWithValues: needs.map { ($0, requests[$0.resource] ?? .zero) })
        }
    }

    /// The victims that let `workload` fit in `queue`, or nil when no allowed set does.
    public static func targets(for workload: WorkloadView, in queue: ClusterQueueView, book: QuotaBook, holders: [Holder],
                               flavors: [String: ResourceFlavorView]) -> [Victim]? {
        let needs = needed(workload, in: queue, book: book, flavors: flavors)
        guard !needs.isEmpty else { return nil }
        let context = Context(workload: workload, queue: queue, book: book, flavors: flavors, needs: needs)
        let uses = { (holder: Holder) in holder.usage.keys.contains(where: needs.contains) }
        let within = holders.filter { holder in
            guard holder.clusterQueue == queue.name, uses(holder) else { return false }
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
                guard holder.clusterQueue != queue.name, book.queues[holder.clusterQueue]?.cohort == cohort, uses(holder),
                      context.borrows(holder.clusterQueue, book) else { return false }
                return queue.reclaimWithinCohort == "Any" || holder.priority < workload.priority
            }
        }
        let candidates = (reclaim + within).sorted { a, b in candidateOrder(a, b, preemptorQueue: queue.name) }
        guard !candidates.isEmpty else { return nil }
        let chosen: [(Holder, Cause)]?
        if book.sharesFairly(queue.name) {
            chosen = fairTargets(context, candidates: candidates)
        } else {
            chosen = classicalTargets(context, candidates: candidates, sameQueue: candidates.filter { $0.clusterQueue == queue.name })
        }
        return chosen?.map { holder, cause in
            Victim(key: holder.key, reason: "Preempted",
                   message: "Preempted to accommodate a workload (\(workload.key)) due to \(cause.rawValue)")
        }
    }

    private static func classicalTargets(_ context: Context, candidates: [Holder], sameQueue: [Holder]) -> [(Holder, Cause)]? {
        if sameQueue.count == candidates.count {
            return minimal(context, candidates, allowBorrowing: true, threshold: nil)
        }
        if context.queue.borrowWithinCohortPolicy != "Never" {
            var threshold = context.workload.priority
            if let maximum = context.queue.borrowWithinCohortMaxPriority, maximum < threshold { threshold = maximum + 1 }
            var allowed = candidates
            if !underNominal(context) {
                allowed = candidates.filter { $0.clusterQueue == context.queue.name || $0.priority < threshold }
            }
            return minimal(context, allowed, allowBorrowing: true, threshold: threshold)
        }
        if underNominal(context), let found = minimal(context, candidates, allowBorrowing: false, threshold: nil) {
            return found
        }
        return minimal(context, sameQueue, allowBorrowing: true, threshold: nil)
    }

    /// Kueue's minimalPreemptions: victims in order until the preemptor fits, then spared in
    /// reverse while it still fits. Taking a cross-queue victim at or above `threshold` (or any,
    /// without one) forbids borrowing.
    private static func minimal(_ context: Context, _ candidates: [Holder], allowBorrowing: Bool, threshold: Int?) -> [(Holder, Cause)]? {
        var trial = context.book
        var borrowing = allowBorrowing
        var chosen: [(Holder, Cause)] = []
        var found = false
        for candidate in candidates {
            var cause = Cause.inClusterQueue
            if candidate.clusterQueue != context.queue.name {
                // Its queue may have stopped borrowing with the victims taken so far.
                guard context.borrows(candidate.clusterQueue, trial) else { continue }
                cause = .reclamation
                if let threshold, candidate.priority < threshold {
                    cause = .reclaimWhileBorrowing
                } else {
                    borrowing = false
                }
            }
            trial.charge(candidate.clusterQueue, candidate.usage.mapValues { -$0 })
            chosen.append((candidate, cause))
            if context.fits(trial, allowBorrowing: borrowing) {
                found = true
                break
            }
        }
        guard found else { return nil }
        return fillBack(chosen, context: context, trial: trial, allowBorrowing: borrowing)
    }

    /// Returns victims (newest choice first, the last taken excepted as Kueue does) whose quota the
    /// preemptor does not need after all.
    static func fillBack(_ chosen: [(Holder, Cause)], context: Context, trial: QuotaBook, allowBorrowing: Bool) -> [(Holder, Cause)] {
        var kept = chosen
        var book = trial
        for index in stride(from: chosen.count - 2, through: 0, by: -1) {
            let holder = chosen[index].0
            var back = book
            back.charge(holder.clusterQueue, holder.usage)
            if context.fits(back, allowBorrowing: allowBorrowing) {
                book = back
                kept.removeAll { $0.0.key == holder.key }
            }
        }
        return kept
    }

    /// Under nominal quota in every (flavor, resource) the preemptor needs.
    private static func underNominal(_ context: Context) -> Bool {
        context.needs.allSatisfy { context.book.usage(context.queue.name, $0) < (context.book.nominal(context.queue.name, $0) ?? .zero) }
    }

    /// Kueue's candidate order: other queues' Workloads first, then lower priority, then newer.
    static func candidateOrder(_ a: Holder, _ b: Holder, preemptorQueue: String) -> Bool {
        let aOther = a.clusterQueue != preemptorQueue, bOther = b.clusterQueue != preemptorQueue
        if aOther != bOther { return aOther }
        if a.priority != b.priority { return a.priority < b.priority }
        if a.created != b.created { return a.created > b.created }
        return a.key < b.key
    }

    /// The (flavor, resource) pairs the preemptor would take, as Kueue's flavor assigner in
    /// preempt mode picks them: per resource group, the first flavor the pods can use whose
    /// nominal quota (with a cohort: any quota at all) could hold the request.
    static func needed(_ workload: WorkloadView, in queue: ClusterQueueView, book: QuotaBook,
                       flavors: [String: ResourceFlavorView]) -> Set<FlavorResource> {
        var needs: Set<FlavorResource> = []
        for podSet in workload.podSets {
            var request: [String: Quantity] = [:]
            for (resource, amount) in podSet.perPod where amount > .zero { request[resource] = amount * Int64(podSet.count) }
            for group in queue.resourceGroups {
                let wanted = group.coveredResources.filter { request[$0] != nil }
                guard !wanted.isEmpty else { continue }
                let flavor = group.flavors.first { flavor in
                    FlavorAssignment.usable(flavors[flavor.name], by: podSet.template) && wanted.allSatisfy { resource in
                        let nominal = flavor.resources[resource]?.nominal ?? .zero
                        return request[resource]! <= nominal || (queue.cohort != nil && flavor.resources[resource] != nil)
                    }
                }
                if let flavor { for resource in wanted { needs.insert(FlavorResource(flavor: flavor.name, resource: resource)) } }
            }
        }
        return needs
    }
}
