import Foundation
import Model
import Scheduling

/// The gangs (PodGroups) this scheduler knows and their members: pending members wait here, not
/// in the queue one by one; the queue holds one entry per gang (`GangBook.queueKey`) once enough
/// members exist to reach minMember. At most one gang at a time holds reservations on the room it
/// found while it waits for the rest, so two gangs can never hold halves of the cluster from each
/// other (the deadlock of per-pod Permit waiting); the holder gives its room up after its
/// scheduleTimeoutSeconds and may not hold again for as long, so the next gang gets a turn.
/// Not thread-safe: the scheduler guards it with its lock.
struct GangBook {
    struct Gang {
        /// nil until the PodGroup is seen.
        var spec: PodGroupSpec?
        /// Unbound members waiting to be placed, by pod key.
        var pending: [String: PodInfo] = [:]
        /// Members bound or assumed that have not failed (running or succeeded): they count
        /// towards minMember.
        var placed: Set<String> = []
        /// Since when the gang has had pending members but too few to try (or no PodGroup).
        var incompleteSince: Date?
        /// The last waiting message reported for the whole gang.
        var lastMessage: String?

        /// Members still needed beyond those placed.
        var needed: Int { max(0, (spec?.minMember ?? 1) - placed.count) }
        /// True when the gang may be tried: its PodGroup is known and enough members exist.
        var isComplete: Bool { spec != nil && !pending.isEmpty && pending.count >= needed }
    }

    /// The queue key prefix of a gang's entry; pod keys (`namespace/name`) never start with it.
    static let queuePrefix = "gang:"
    static func queueKey(_ group: String) -> String { queuePrefix + group }

    private(set) var gangs: [String: Gang] = [:]
    /// The gang holding reservations, and since when.
    private(set) var holder: (group: String, since: Date)?
    /// Gangs whose hold timed out, and until when they may not hold again.
    private var cooldownUntil: [String: Date] = [:]

    subscript(group: String) -> Gang? { gangs[group] }

    // MARK: Groups and members

    mutating func setGroup(_ spec: PodGroupSpec) { gangs[spec.key, default: Gang()].spec = spec }

    mutating func removeGroup(_ group: String) {
        gangs[group]?.spec = nil
        dropIfEmpty(group)
    }

    /// An unbound member arrived or changed.
    mutating func setPending(_ group: String, key: String, pod: PodInfo) {
        gangs[group, default: Gang()].pending[key] = pod
        gangs[group]?.placed.remove(key)
    }

    /// A member is bound or assumed.
    mutating func setPlaced(_ group: String, key: String) {
        gangs[group, default: Gang()].placed.insert(key)
        gangs[group]?.pending[key] = nil
    }

    /// A member finished, went away, or left the group.
    mutating func removeMember(_ group: String, key: String) {
        gangs[group]?.pending[key] = nil
        gangs[group]?.placed.remove(key)
        dropIfEmpty(group)
    }

    mutating func setLastMessage(_ group: String, _ message: String?) { gangs[group]?.lastMessage = message }

    /// The pending members in the order they are placed: oldest first, then by name.
    /// Members of every gang waiting for their gang to be placed.
    var pendingCount: Int { gangs.values.reduce(0) { $0 + $1.pending.count } }

    func pendingMembers(_ group: String) -> [(key: String, pod: PodInfo)] {
        (gangs[group]?.pending ?? [:]).map { ($0.key, $0.value) }.sorted {
            $0.pod.creationTimestamp != $1.pod.creationTimestamp ? $0.pod.creationTimestamp < $1.pod.creationTimestamp : $0.key < $1.key
        }
    }

    /// What the queue holds for the gang: the oldest pending member standing for it, with the
    /// PodGroup's creation time, so gangs are ordered by priority and then by group age as the
    /// coscheduling plugin's queue sort does. nil when the gang cannot be tried yet.
    func queueEntry(_ group: String) -> PodInfo? {
        guard let gang = gangs[group], gang.isComplete, let spec = gang.spec,
              var first = pendingMembers(group).first?.pod else { return nil }
        first.creationTimestamp = spec.creationTimestamp
        return first
    }

    /// Tracks since when a gang with pending members has been unable to be tried; returns the
    /// incomplete gangs that have waited at least `after` seconds, for reporting.
    mutating func incompleteGangs(now: Date, after: Double) -> [String] {
        var due: [String] = []
        for (group, gang) in gangs {
            if gang.pending.isEmpty || gang.isComplete {
                if gang.incompleteSince != nil { gangs[group]?.incompleteSince = nil }
                continue
            }
            guard let since = gang.incompleteSince else {
                gangs[group]?.incompleteSince = now
                continue
            }
            if now.timeIntervalSince(since) >= after { due.append(group) }
        }
        return due.sorted()
    }

    // MARK: Reservations

    /// True when `group` may hold reservations now: no other gang holds and it is not cooling down.
    func mayHold(_ group: String, now: Date) -> Bool {
        if let holder, holder.group != group { return false }
        if let until = cooldownUntil[group], until > now { return false }
        return true
    }

    /// `group` holds (keeps its first hold time); returns how long it has held.
    mutating func hold(_ group: String, now: Date) -> Double {
        if holder?.group != group { holder = (group, now) }
        return now.timeIntervalSince(holder?.since ?? now)
    }

    /// Ends `group`'s hold.
    mutating func release(_ group: String) {
        if holder?.group == group { holder = nil }
    }

    /// Ends `group`'s hold because its timeout passed: it may not hold again for as long.
    mutating func timeOut(_ group: String, now: Date) {
        release(group)
        if let timeout = gangs[group]?.spec?.scheduleTimeoutSeconds {
            cooldownUntil[group] = now.addingTimeInterval(Double(timeout))
        }
    }

    private mutating func dropIfEmpty(_ group: String) {
        guard let gang = gangs[group], gang.pending.isEmpty else { return }
        if holder?.group == group { holder = nil }
        if gang.placed.isEmpty && gang.spec == nil {
            gangs[group] = nil
            cooldownUntil[group] = nil
        }
    }
}
