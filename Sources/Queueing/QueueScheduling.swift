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

    public init(clusterQueues: [ClusterQueueView], localQueues: [LocalQueueView], flavors: [ResourceFlavorView],
                workloads: [WorkloadView], namespaceLabels: [String: [String: String]]) {
        self.clusterQueues = clusterQueues
        self.localQueues = localQueues
        self.flavors = flavors
        self.workloads = workloads
        self.namespaceLabels = namespaceLabels
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

    public static func == (a: QueueSchedulingPlan, b: QueueSchedulingPlan) -> Bool {
        a.admit.map(\.key) == b.admit.map(\.key) && a.admit.map(\.admission) == b.admit.map(\.admission)
            && a.evict == b.evict && a.pending == b.pending && a.book == b.book
    }
}

/// The queue manager's admission pass, pure: Kueue's scheduler over every ClusterQueue at once.
///
/// Quota held by Workloads with QuotaReserved=True that have not finished is charged first. Then,
/// ClusterQueue by ClusterQueue (by name), its pending Workloads in queue order — higher
/// `priority` first, then older — are admitted while they fit (`FlavorAssignment`). Under
/// StrictFIFO the first one that does not fit blocks everything behind it; under BestEffortFIFO
/// the ones behind it that fit are admitted. What is left gets its position and the reason.
public enum QueueScheduling {
    public static func plan(_ input: QueueSchedulingInput) -> QueueSchedulingPlan {
        var plan = QueueSchedulingPlan()
        var book = QuotaBook(clusterQueues: input.clusterQueues)
        var holders: [Preemption.Holder] = []
        for workload in input.workloads where !workload.isFinished {
            guard let admission = workload.admission else { continue }
            book.charge(admission.clusterQueue, admission.usage)
            holders.append(Preemption.Holder(key: workload.key, clusterQueue: admission.clusterQueue, priority: workload.priority,
                                             created: workload.creationTimestamp, usage: admission.usage))
        }
        let clusterQueues = Dictionary(input.clusterQueues.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let localQueues = Dictionary(input.localQueues.map { ("\($0.namespace)/\($0.name)", $0) }, uniquingKeysWith: { a, _ in a })
        let flavors = Dictionary(input.flavors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

        // Admitted in this pass: never preempted in the same pass.
        var admittedNow: Set<String> = []
        var queued: [String: [WorkloadView]] = [:]
        for workload in input.workloads where isPending(workload) {
            switch route(workload, localQueues: localQueues, clusterQueues: clusterQueues, namespaceLabels: input.namespaceLabels) {
            case .queue(let name): queued[name, default: []].append(workload)
            case .inadmissible(let queue, let message):
                plan.pending[workload.key] = PendingState(clusterQueue: queue, reason: "Inadmissible", message: message)
            }
        }
        for name in queued.keys.sorted() {
            let queue = clusterQueues[name]!
            let ordered = queued[name]!.sorted(by: queueOrder)
            var waiting: [(WorkloadView, FlavorAssignment.Shortfall?)] = []
            var preempting: [String: [String]] = [:]
            var blocked = false
            for workload in ordered {
                let outcome = FlavorAssignment.assign(workload, in: queue, book: book, flavors: flavors)
                switch outcome {
                case .fits(let admission) where !blocked:
                    book.charge(name, admission.usage)
                    plan.admit.append((workload.key, admission))
                    admittedNow.insert(workload.key)
                    holders.append(Preemption.Holder(key: workload.key, clusterQueue: name, priority: workload.priority,
                                                     created: workload.creationTimestamp, usage: admission.usage))
                case .fits:
                    waiting.append((workload, nil))
                case .doesNotFit(let shortfall):
                    waiting.append((workload, shortfall))
                    if !blocked, let victims = Preemption.targets(for: workload, in: queue, book: book,
                                                                      holders: holders.filter { !admittedNow.contains($0.key) }, flavors: flavors) {
                        // The victims' quota is set aside for this Workload: it is admitted by the
                        // pass after the evictions are written, and nothing behind it takes the room.
                        let keys = Set(victims.map(\.key))
                        for holder in holders where keys.contains(holder.key) {
                            book.charge(holder.clusterQueue, holder.usage.mapValues { -$0 })
                        }
                        holders.removeAll { keys.contains($0.key) }
                        if case .fits(let reserved) = FlavorAssignment.assign(workload, in: queue, book: book, flavors: flavors) {
                            book.charge(name, reserved.usage)
                        }
                        plan.evict += victims
                        preempting[workload.key] = victims.map(\.key)
                    }
                    if queue.isStrictFIFO { blocked = true }
                }
            }
            for (index, (workload, shortfall)) in waiting.enumerated() {
                var message = "waiting for quota in ClusterQueue \(name): position \(index + 1) of \(waiting.count)"
                if let victims = preempting[workload.key] {
                    message += "; preempting \(victims.joined(separator: ", ")) to fit"
                } else if let shortfall {
                    message += "; \(shortfall.text)"
                } else {
                    message += "; fits, but StrictFIFO admits nothing past \(waiting[0].0.name)"
                }
                plan.pending[workload.key] = PendingState(clusterQueue: name, position: index + 1, of: waiting.count,
                                                          reason: "Pending", message: message)
            }
        }
        plan.book = book
        return plan
    }

    /// Waiting for quota: active, holding none, not finished.
    public static func isPending(_ workload: WorkloadView) -> Bool {
        workload.isActive && !workload.hasQuotaReservation && !workload.isFinished
    }

    /// Kueue's queue order: priority, then creation time (then name, for a stable order).
    public static func queueOrder(_ a: WorkloadView, _ b: WorkloadView) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.creationTimestamp != b.creationTimestamp { return a.creationTimestamp < b.creationTimestamp }
        return a.key < b.key
    }

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
