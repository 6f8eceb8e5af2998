import Dispatch
import Foundation

/// Reaps processes that were orphaned inside containers and reparented to the agent (which is a
/// child subreaper), without stealing anybody else's exit status: never `waitpid(-1)`; only zombie
/// children of the agent that are members, not leaders, of a process group this runtime created.
/// Everything the agent spawns itself (container leaders, probe commands) leads its own group, so
/// it is never taken here, even when its pid equals a group id remembered from an earlier container.
/// A process that left its container's process group (setsid/setpgid) and is orphaned stays a zombie
/// until the agent exits; with cgroups it has been killed along with its container, so it holds
/// nothing but a pid.
final class OrphanReaper: @unchecked Sendable {
    private let lock = NSLock()
    /// Process groups created by this runtime, live or with an exited leader.
    private var groups: Set<Int32> = []
    /// Groups whose leader exited; forgotten once no process in them is left.
    private var exitedGroups: Set<Int32> = []
    private var scanScheduled = false
    private let queue = DispatchQueue(label: "drover.runtime.reaper", qos: .utility)
    private var timer: DispatchSourceTimer?

    /// Scans every `interval` seconds while there are groups to watch, and soon after a leader exits.
    init(interval: TimeInterval = 1) {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.scan() }
        timer.resume()
        self.timer = timer
    }

    func stop() {
        timer?.cancel()
    }

    /// A container's process group (its leader's pid) to watch for orphans.
    func track(group: Int32) { _ = lock.withLock { groups.insert(group) } }

    /// A group's leader has ended; its orphans may follow. `scanSoon` schedules a scan shortly
    /// (else the periodic one finds them): with hundreds of exits per second, scanning all of /proc
    /// ten times a second cost about 1% of a 2-core machine, and most containers leave nothing behind.
    func leaderExited(_ group: Int32, scanSoon: Bool = true) {
        let schedule: Bool = lock.withLock {
            exitedGroups.insert(group)
            guard scanSoon else { return false }
            defer { scanScheduled = true }
            return !scanScheduled
        }
        if schedule { queue.asyncAfter(deadline: .now() + 0.1) { [weak self] in self?.scan() } }
    }

    private func scan() {
        let watched: Set<Int32> = lock.withLock { scanScheduled = false; return groups }
        guard !watched.isEmpty else { return }
        let me = getpid()
        var occupied = Set<Int32>()
        for pid in ProcStat.allPids() {
            guard let stat = ProcStat.read(pid: pid), watched.contains(stat.processGroup) else { continue }
            occupied.insert(stat.processGroup)
            if stat.parentPid == me && stat.state == "Z" && stat.pid != stat.processGroup {
                var status: Int32 = 0
                _ = waitpid(pid, &status, WNOHANG)
            }
        }
        lock.withLock {
            for group in exitedGroups where !occupied.contains(group) {
                exitedGroups.remove(group)
                groups.remove(group)
            }
        }
    }
}
