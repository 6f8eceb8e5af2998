import Foundation
import Model

/// One ClusterQueue's pending Workloads during a pass, in queue order, and what became of them.
struct QueueLine {
    var queue: ClusterQueueView
    var ordered: [WorkloadView]
    var next = 0
    /// StrictFIFO after a head that does not fit: nothing more is admitted.
    var blocked = false
    /// Backfill: the first Workload that does not fit, and when it can start (nil: unknown).
    var head: (key: String, name: String, start: Date?)?
    var waiting: [(workload: WorkloadView, why: Why)] = []

    /// Why a Workload of the line waits.
    enum Why {
        case shortfall(FlavorAssignment.Shortfall)
        case preempting([String])
        case behindStrictHead
        case behindBackfillHead(ends: Date?)
    }

    var hasNext: Bool { next < ordered.count }
}

/// The mutable state of one admission pass: the book, who holds quota, and the plan so far.
struct SchedulingPass {
    let input: QueueSchedulingInput
    let clusterQueues: [String: ClusterQueueView]
    let localQueues: [String: LocalQueueView]
    let flavors: [String: ResourceFlavorView]
    var book: QuotaBook
    var holders: [Preemption.Holder] = []
    /// When each holder's run ends at the latest (its maximum execution time), by key.
    var ends: [String: Date] = [:]
    /// Admitted in this pass: never preempted in the same pass.
    var admittedNow: Set<String> = []
    var plan = QueueSchedulingPlan()
    /// Bumped whenever the book changes: what a head would be charged depends on it.
    private var bookVersion = 0
    /// `headUsage` of each line's head, by ClusterQueue, while the book and the head are unchanged:
    /// a cohort offers every member's head for each Workload it takes, and most takes (a head that
    /// does not fit) change nothing.
    private var headUsageMemo: [String: (version: Int, next: Int, usage: [FlavorResource: Quantity])] = [:]

    init(_ input: QueueSchedulingInput) {
        self.input = input
        book = QuotaBook(clusterQueues: input.clusterQueues)
        clusterQueues = Dictionary(input.clusterQueues.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        localQueues = Dictionary(input.localQueues.map { ("\($0.namespace)/\($0.name)", $0) }, uniquingKeysWith: { a, _ in a })
        flavors = Dictionary(input.flavors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for workload in input.workloads where !workload.isFinished {
            guard let admission = workload.admission else { continue }
            hold(workload, admission, since: workload.quotaReservedAt ?? input.now)
        }
    }

    /// Changes the book (the only way the pass does).
    private mutating func charge(_ queue: String, _ usage: [FlavorResource: Quantity]) {
        book.charge(queue, usage)
        bookVersion += 1
    }

    /// Charges a Workload's admission and records it as a holder.
    mutating func hold(_ workload: WorkloadView, _ admission: WorkloadAdmission, since start: Date) {
        charge(admission.clusterQueue, admission.usage)
        holders.append(Preemption.Holder(key: workload.key, clusterQueue: admission.clusterQueue, priority: workload.priority,
                                         created: workload.creationTimestamp, usage: admission.usage))
        if let seconds = workload.maximumExecutionTimeSeconds { ends[workload.key] = start.addingTimeInterval(Double(seconds)) }
    }

    /// Pending Workloads by the ClusterQueue they wait in; the others are marked Inadmissible.
    mutating func route() -> [String: [WorkloadView]] {
        var queued: [String: [WorkloadView]] = [:]
        for workload in input.workloads where QueueScheduling.isPending(workload) {
            switch QueueScheduling.route(workload, localQueues: localQueues, clusterQueues: clusterQueues,
                                         namespaceLabels: input.namespaceLabels) {
            case .queue(let name): queued[name, default: []].append(workload)
            case .inadmissible(let queue, let message):
                plan.pending[workload.key] = PendingState(clusterQueue: queue, reason: "Inadmissible", message: message)
            }
        }
        return queued
    }

    /// Takes the line's next Workload: admits it, lets it preempt, or leaves it waiting.
    mutating func attempt(_ line: inout QueueLine) {
        let workload = line.ordered[line.next]
        line.next += 1
        let name = line.queue.name
        switch FlavorAssignment.assign(workload, in: line.queue, book: book, flavors: flavors) {
        case .fits where line.blocked:
            line.waiting.append((workload, .behindStrictHead))
        case .fits(let admission):
            if let head = line.head {
                let ends = workload.maximumExecutionTimeSeconds.map { input.now.addingTimeInterval(Double($0)) }
                guard Backfill.mayPass(ends: ends, reservedStart: head.start) else {
                    line.waiting.append((workload, .behindBackfillHead(ends: ends)))
                    return
                }
            }
            hold(workload, admission, since: input.now)
            plan.admit.append((workload.key, admission))
            admittedNow.insert(workload.key)
        case .doesNotFit(let shortfall):
            guard !line.blocked, line.head == nil else {
                line.waiting.append((workload, .shortfall(shortfall)))
                return
            }
            if let victims = Preemption.targets(for: workload, in: line.queue, book: book,
                                                holders: holders.filter { !admittedNow.contains($0.key) }, flavors: flavors) {
                // The victims' quota is set aside for this Workload: it is admitted by the pass
                // after the evictions are written, and nothing behind it takes the room.
                let keys = Set(victims.map(\.key))
                for holder in holders where keys.contains(holder.key) {
                    charge(holder.clusterQueue, holder.usage.mapValues { -$0 })
                }
                holders.removeAll { keys.contains($0.key) }
                if case .fits(let reserved) = FlavorAssignment.assign(workload, in: line.queue, book: book, flavors: flavors) {
                    charge(name, reserved.usage)
                }
                plan.evict += victims
                line.waiting.append((workload, .preempting(victims.map(\.key))))
            } else {
                line.waiting.append((workload, .shortfall(shortfall)))
            }
            if line.queue.isStrictFIFO { line.blocked = true }
            if line.queue.isBackfill {
                line.head = (workload.key, workload.name, Backfill.reservedStart(for: workload, in: line.queue, book: book, holders: holders,
                                                                  ends: ends, flavors: flavors))
            }
        }
    }

    /// Kueue's order of a cycle's heads in a cohort without fair sharing: a Workload that fits its
    /// queue's nominal quota before one that borrows, then higher priority, then older.
    mutating func nextInCohort(_ names: [String], _ lines: [String: QueueLine]) -> String? {
        var best: (borrows: Bool, workload: WorkloadView, name: String)?
        for name in names.sorted() {
            let line = lines[name]!
            let workload = line.ordered[line.next]
            let borrows = headUsage(of: name, line).contains { fr, amount in
                book.usage(name, fr) + amount > (book.nominal(name, fr) ?? .zero)
            }
            guard let current = best else {
                best = (borrows, workload, name)
                continue
            }
            if borrows != current.borrows ? !borrows : QueueScheduling.queueOrder(workload, current.workload) {
                best = (borrows, workload, name)
            }
        }
        return best?.name
    }

    /// `headUsage` of the head of `line` (ClusterQueue `name`), remembered while nothing changes it.
    mutating func headUsage(of name: String, _ line: QueueLine) -> [FlavorResource: Quantity] {
        if let known = headUsageMemo[name], known.version == bookVersion, known.next == line.next { return known.usage }
        let usage = headUsage(line.ordered[line.next], line.queue)
        headUsageMemo[name] = (bookVersion, line.next, usage)
        return usage
    }

    /// What a head would be charged: its admission if it fits, else its request where it would
    /// preempt.
    func headUsage(_ workload: WorkloadView, _ queue: ClusterQueueView) -> [FlavorResource: Quantity] {
        if case .fits(let admission) = FlavorAssignment.assign(workload, in: queue, book: book, flavors: flavors) { return admission.usage }
        return Preemption.Context(workload: workload, queue: queue, book: book, flavors: flavors,
                                  needs: Preemption.needed(workload, in: queue, book: book, flavors: flavors)).usage
    }

    /// Kueue's fair-sharing tournament among the queues that still have Workloads: the one whose
    /// share after admitting its next Workload is lowest (then higher priority, then older).
    mutating func tournament(_ names: [String], _ lines: [String: QueueLine]) -> String? {
        var best: (share: Int, workload: WorkloadView, name: String)?
        for name in names.sorted() {
            let line = lines[name]!
            let workload = line.ordered[line.next]
            let share = FairShare.share(of: name, in: book, adding: headUsage(of: name, line)).share
            guard let current = best else {
                best = (share, workload, name)
                continue
            }
            if share != current.share ? share < current.share : QueueScheduling.queueOrder(workload, current.workload) {
                best = (share, workload, name)
            }
        }
        return best?.name
    }

    /// How many waiting Workloads per queue get their exact position and reason in their message;
    /// those further back get a message that does not change as the queue moves (each change is
    /// a status write, and a long queue moves at every admission), the visibility API has their
    /// positions.
    static let detailedPositions = 20

    /// Every Workload left in the line gets its position and the reason it waits.
    mutating func recordWaiting(_ line: QueueLine) {
        let name = line.queue.name
        for (index, entry) in line.waiting.enumerated() {
            guard index < Self.detailedPositions else {
                plan.pending[entry.workload.key] = PendingState(
                    clusterQueue: name, position: index + 1, of: line.waiting.count, reason: "Pending",
                    message: "waiting for quota in ClusterQueue \(name): \(Self.detailedPositions) or more Workloads ahead "
                        + "(drover queue \(name) or the visibility API shows the position)")
                continue
            }
            var message = "waiting for quota in ClusterQueue \(name): position \(index + 1) of \(line.waiting.count)"
            var reserved: Date?
            switch entry.why {
            case .preempting(let victims): message += "; preempting \(victims.joined(separator: ", ")) to fit"
            case .shortfall(let shortfall): message += "; \(shortfall.text)"
            case .behindStrictHead: message += "; fits, but StrictFIFO admits nothing past \(line.waiting[0].workload.name)"
            case .behindBackfillHead(let ends):
                message += "; " + Backfill.blockedText(ends: ends, head: line.head?.name ?? "", start: line.head?.start)
            }
            if let head = line.head, head.key == entry.workload.key {
                reserved = head.start
                message += "; " + Backfill.reservationText(head.start)
            }
            plan.pending[entry.workload.key] = PendingState(clusterQueue: name, position: index + 1, of: line.waiting.count,
                                                            reason: "Pending", message: message, reservedStart: reserved)
        }
    }

    /// The plan with the final book and the shares of the fair cohorts' queues.
    mutating func finish() -> QueueSchedulingPlan {
        plan.book = book
        for name in clusterQueues.keys where book.sharesFairly(name) { plan.shares[name] = FairShare.share(of: name, in: book) }
        return plan
    }
}
