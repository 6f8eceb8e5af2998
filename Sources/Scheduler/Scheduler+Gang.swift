import Client
import Foundation
import Model
import Scheduling

/// Gang scheduling (the coscheduling plugin's PodGroup, placed all or nothing): members of a
/// PodGroup wait in the `GangBook`; the queue holds one entry per gang; one attempt places the
/// whole gang on a working copy of the cluster and assumes and binds every placement together, or
/// binds none. A gang that does not fit may hold the room it found (nominations, as a preemptor
/// holds its room) while it waits, one gang at a time and for at most its scheduleTimeoutSeconds.
extension Scheduler {
    /// How long a gang may sit with too few members (or no PodGroup) before its pods say so.
    static let incompleteGangReportDelay = 2.0

    // MARK: Informer events (lock held)

    /// Files an unbound member of `group`; its gang's queue entry follows.
    func gangMemberPending(_ group: String, key: String, pod: PodInfo) {
        gangs.setPending(group, key: key, pod: pod)
        refreshGangEntry(group)
    }

    /// A member is bound (or assumed), finished or gone.
    func gangMemberSettled(_ group: String, key: String, placed: Bool) {
        if placed { gangs.setPlaced(group, key: key) } else { gangs.removeMember(group, key: key) }
        refreshGangEntry(group)
    }

    func podGroupChanged(_ object: JSONValue) {
        let spec = PodGroupSpec(object)
        condition.withLock {
            gangs.setGroup(spec)
            refreshGangEntry(spec.key)
        }
    }

    func podGroupDeleted(_ object: JSONValue) {
        let group = PodGroupSpec(object).key
        condition.withLock {
            dropNominations(group)
            gangs.release(group)
            gangs.removeGroup(group)
            refreshGangEntry(group)
        }
    }

    /// Queues the gang once it can be tried (an entry in back-off stays there), or takes it out.
    func refreshGangEntry(_ group: String) {
        let key = GangBook.queueKey(group)
        if let entry = gangs.queueEntry(group) {
            if !queue.contains(key) { condition.signal() }
            queue.add(entry, key: key)
        } else {
            queue.remove(key)
        }
    }

    /// Drops the nominations (held room) of the gang's pending members.
    func dropNominations(_ group: String) {
        for (key, _) in gangs.pendingMembers(group) { _ = cache.takeNomination(key) }
    }

    // MARK: The attempt

    /// What to tell users after a gang attempt, done once the lock is released.
    struct GangReport {
        var pods: [PodInfo]
        var message: String
        /// Also recorded once on the gang's Job (or PodGroup), when it changed.
        var onOwner: Bool
    }

    /// One attempt at the gang behind queue entry `entry`. Called with the lock held.
    func scheduleGang(_ group: String, entry: PodInfo) -> GangReport? {
        guard let gang = gangs[group], let spec = gang.spec else { return nil }
        let queueKey = GangBook.queueKey(group)
        let now = clock.now
        // The gang's own held room must not stand in its way; the hold itself (its start) stays.
        dropNominations(group)
        let members = gangs.pendingMembers(group)
        let started = gang.placed.count >= spec.minMember
        let plan = profile.placeGang(members.map(\.pod), needed: gang.needed, minResources: started ? ResourceAmounts() : spec.minResources,
                                     nodes: cache.nodes(forPriority: entry.priority), tieBreak: options.tieBreak,
                                     nextStartIndex: &nextStartNode)
        if plan.fits {
            for (member, node) in plan.placements {
                let (key, pod) = members[member]
                cache.assume(key, requests: pod.requests, node: node)
                gangs.setPlaced(group, key: key)
                pendingBindings.append(PendingBinding(pod: pod, key: key, node: node))
            }
            stats.bindsInFlight += plan.placements.count
            stats.gangsPlaced += started ? 0 : 1
            gangs.release(group)
            gangs.setLastMessage(group, nil)
            sendBindingsIfPossible()
            let left = gangs.pendingMembers(group).map(\.pod)
            guard let first = left.first else {
                queue.placed(queueKey)
                return nil
            }
            // The gang runs; members beyond what fitted wait like any pod.
            queue.backOff(entry, key: queueKey, now: now)
            let message = profile.unschedulableMessage(first, nodes: cache.nodes(forPriority: first.priority)).description
            return GangReport(pods: left, message: message, onOwner: false)
        }

        var message = plan.waitingMessage ?? ""
        if !plan.placements.isEmpty, gang.needed > 0, gangs.mayHold(group, now: now) {
            let held = gangs.hold(group, now: now)
            if held < Double(spec.scheduleTimeoutSeconds) {
                for (member, node) in plan.placements {
                    let (key, pod) = members[member]
                    cache.nominate(key, requests: pod.requests, node: node, priority: pod.priority)
                }
                message += "; holding room for \(plan.placements.count) of them"
            } else {
                gangs.timeOut(group, now: now)
                stats.gangTimeouts += 1
                // The room it held (its nominations were dropped above) is free for the pods it
                // kept out: they try now, before the gang may hold again.
                wake(queue.activateAll())
                message += "; gave up the room held for \(spec.scheduleTimeoutSeconds)s"
            }
        }
        queue.backOff(entry, key: queueKey, now: now)
        stats.unschedulable += members.count
        let changed = gang.lastMessage != message
        gangs.setLastMessage(group, message)
        return GangReport(pods: members.map(\.pod), message: message, onOwner: changed)
    }

    /// The pods of gangs that have waited too long with too few members or without a PodGroup.
    /// Called with the lock held.
    func incompleteGangReports(now: Date) -> [GangReport] {
        gangs.incompleteGangs(now: now, after: Self.incompleteGangReportDelay).compactMap { group in
            guard let gang = gangs[group] else { return nil }
            let message = gang.spec == nil
                ? "waiting for gang: PodGroup \(group) not found"
                : "waiting for gang: \(gang.pending.count + gang.placed.count) of \(gang.spec?.minMember ?? 0) pods exist"
            guard gang.lastMessage != message else { return nil }
            gangs.setLastMessage(group, message)
            return GangReport(pods: gangs.pendingMembers(group).map(\.pod), message: message, onOwner: true)
        }
    }

    /// Sets the waiting message on each pod and, once per change, on the gang's controller (its Job).
    func deliver(_ report: GangReport) {
        for pod in report.pods { reporter.report(pod, message: report.message) }
        guard report.onOwner, let pod = report.pods.first else { return }
        let owner = (pod.object.value(at: ["metadata", "ownerReferences"])?.array ?? []).first { $0["controller"]?.bool == true }
        guard let owner else { return }
        let involved: JSONValue = ["apiVersion": owner["apiVersion"] ?? "", "kind": owner["kind"] ?? "",
                                   "metadata": ["name": owner["name"] ?? "", "namespace": .string(pod.namespace), "uid": owner["uid"] ?? ""]]
        events.record(involved, type: .warning, reason: "FailedScheduling", message: report.message)
    }
}
