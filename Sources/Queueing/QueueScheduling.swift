import Foundation
import Model

/// Everything the queue manager looks at in one pass.
public struct QueueSchedulingInput: Sendable {
    public var clusterQueues: [ClusterQueueView]
    public var localQueues: [LocalQueueView]
    public var flavors: [ResourceFlavorView]
    public var workloads: [WorkloadView]
    /// Labels of each namespace, by name (for namespaceSelector).
    public var namespaceLabels: [String: [String: String]]
    /// The time of the pass: backfill plans from it with the running Workloads' deadlines.
    public var now: Date

    public init(clusterQueues: [ClusterQueueView], localQueues: [LocalQueueView], flavors: [ResourceFlavorView],
                workloads: [WorkloadView], namespaceLabels: [String: [String: String]], now: Date = Date(timeIntervalSince1970: 0)) {
        self.clusterQueues = clusterQueues
        self.localQueues = localQueues
        self.flavors = flavors
        self.workloads = workloads
        self.namespaceLabels = namespaceLabels
        self.now = now
    }
}

/// Why a pending Workload waits and where: the QuotaReserved=False condition's message.
public struct PendingState: Sendable, Equatable {
    /// The ClusterQueue it waits in, nil when its queue cannot be resolved.
    public var clusterQueue: String?
    /// 1-based position among the ClusterQueue's pending Workloads, and how many there are.
    public var position: Int?
    public var of: Int?
    /// `Pending` (waits for quota) or `Inadmissible` (its queue does not let it in).
    public var reason: String
    public var message: String
    /// Under Backfill, the head's reserved start (nil elsewhere, or when no deadline bounds it).
    public var reservedStart: Date?

    public init(clusterQueue: String?, position: Int? = nil, of: Int? = nil, reason: String, message: String, reservedStart: Date? = nil) {
        self.clusterQueue = clusterQueue
        self.position = position
        self.of = of
        self.reason = reason
        self.message = message
        self.reservedStart = reservedStart
    }
}

/// One pass's decisions.
public struct QueueSchedulingPlan: Sendable, Equatable {
    /// Workloads admitted now, by key (`namespace/name`), with their admission.
    public var admit: [(key: String, admission: WorkloadAdmission)] = []
    /// Admitted Workloads to evict so that pending ones fit (preemption), in order.
    public var evict: [Preemption.Victim] = []
    /// Every Workload still pending, by key.
    public var pending: [String: PendingState] = [:]
    /// The book after the pass (quota held by what was admitted before and now).
    public var book = QuotaBook()
    /// Each ClusterQueue's dominant resource share after the pass (queues of fair cohorts only).
    public var shares: [String: FairShare.Value] = [:]

    public static func == (a: QueueSchedulingPlan, b: QueueSchedulingPlan) -> Bool {
        a.admit.map(\.key) == b.admit.map(\.key) && a.admit.map(\.admission) == b.admit.map(\.admission)
            && a.evict == b.evict && a.pending == b.pending && a.book == b.book && a.shares == b.shares
    }
}

/// The queue manager's admission pass, pure: Kueue's scheduler over every ClusterQueue at once.
///
/// Quota held by Workloads with QuotaReserved=True that have not finished is charged first. Then
/// each ClusterQueue's pending Workloads are taken in queue order — higher `priority` first, then
/// older — and admitted while they fit (`FlavorAssignment`). Under StrictFIFO the first one that
/// does not fit blocks everything behind it; under BestEffortFIFO the ones behind it that fit are
/// admitted; under Backfill only those that end before the blocked head's reserved start
/// (`Backfill`). A Workload that does not fit may preempt (`Preemption`).
///
/// Queues without a cohort are independent. In a cohort each queue offers its next Workload and
/// one of them goes first, as Kueue orders a cycle's heads: one that needs no borrowing before
/// one that does, then higher priority, then older (so a queue taking back its own quota is not
/// beaten to it by a borrower). In a cohort that shares fairly (`QuotaBook.fairCohorts`) the one
/// whose queue would have the lowest dominant resource share once it is admitted goes first
/// (then higher priority, then older), Kueue's fair-sharing tournament, so a tenant that floods
/// its queue cannot take all the cohort's unused quota. What is left gets its position and the
/// reason.
public enum QueueScheduling {
    public static func plan(_ input: QueueSchedulingInput) -> QueueSchedulingPlan {
        var pass = SchedulingPass(input)
        var lines: [String: QueueLine] = [:]
        for (name, workloads) in pass.route() {
            lines[name] = QueueLine(queue: pass.clusterQueues[name]!, ordered: workloads.sorted(by: queueOrder))
        }
        for name in lines.keys.sorted() where pass.clusterQueues[name]?.cohort == nil {
            while lines[name]!.hasNext { pass.attempt(&lines[name]!) }
        }
        for cohort in Set(lines.keys.compactMap { pass.clusterQueues[$0]?.cohort }).sorted() {
            let members = lines.keys.filter { pass.clusterQueues[$0]?.cohort == cohort }
            let fair = pass.book.fairCohorts.contains(cohort)
            while case let offered = members.filter({ lines[$0]!.hasNext }), !offered.isEmpty,
                  let name = fair ? pass.tournament(offered, lines) : pass.nextInCohort(offered, lines) {
                pass.attempt(&lines[name]!)
            }
        }
        for name in lines.keys.sorted() { pass.recordWaiting(lines[name]!) }
        return pass.finish()
    }

    /// Waiting for quota: active, holding none, not finished.
    public static func isPending(_ workload: WorkloadView) -> Bool { workload.isPendingForQuota }

    /// Kueue's queue order: priority, then creation time (then name, for a stable order).
    public static func queueOrder(_ a: WorkloadView, _ b: WorkloadView) -> Bool { WorkloadView.queueOrder(a, b) }

    enum Route: Equatable {
        case queue(String)
        case inadmissible(String?, String)
    }

    /// The ClusterQueue a Workload's LocalQueue feeds, or why it cannot enter it (Kueue's messages).
    static func route(_ workload: WorkloadView, localQueues: [String: LocalQueueView], clusterQueues: [String: ClusterQueueView],
                      namespaceLabels: [String: [String: String]]) -> Route {
        guard let local = localQueues["\(workload.namespace)/\(workload.queueName)"] else {
            return .inadmissible(nil, "LocalQueue \(workload.queueName) doesn't exist")
        }
        guard let queue = clusterQueues[local.clusterQueue] else {
            return .inadmissible(nil, "ClusterQueue \(local.clusterQueue) doesn't exist")
        }
        if queue.isStopped || local.isStopped {
            return .inadmissible(queue.name, "ClusterQueue \(queue.name) is inactive (stopPolicy)")
        }
        if !queue.selects(namespaceLabels: namespaceLabels[workload.namespace] ?? [:]) {
            return .inadmissible(queue.name, "Workload namespace doesn't match ClusterQueue selector")
        }
        return .queue(queue.name)
    }
}
