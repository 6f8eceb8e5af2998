import Dispatch
import Foundation

/// Reaps processes that were orphaned inside containers and reparented to the agent (which is a
/// child subreaper), without stealing anybody else's exit status: never `waitpid(-1)`; only zombie
/// children of the agent that belong to a process group this runtime created and are not one of its
/// own container leaders (those are waited for by pid). A process that left its container's process
/// group (setsid/setpgid) and is orphaned stays a zombie until the agent exits — with cgroups it has
/// been killed along with its container, so it holds no resources but a pid.
final class OrphanReaper: @unchecked Sendable {
    private let lock = NSLock()
    private var spawnsInFlight = 0
    /// Leaders of live containers (waited for by the runtime, never here).
    private var leaders: Set<Int32> = []
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

    /// Called before posix_spawn: until `spawned` is called no zombie is reaped, because the new
    /// child's pid could equal a remembered (now empty) process group.
    func beginSpawn() { lock.withLock { spawnsInFlight += 1 } }

    /// Called after posix_spawn; `pid` is nil when the spawn failed.
    func spawned(_ pid: Int32?) {
        lock.withLock {
            spawnsInFlight -= 1
            if let pid {
                leaders.insert(pid)
                groups.insert(pid)
            }
        }
    }

    /// Takes an adopted process's group under watch.
    func adopted(_ pid: Int32) { lock.withLock { _ = leaders.insert(pid); groups.insert(pid) } }

    /// The runtime has reaped (or stopped watching) a leader; its group's orphans may follow.
    func leaderExited(_ pid: Int32) {
        let schedule: Bool = lock.withLock {
            leaders.remove(pid)
            exitedGroups.insert(pid)
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
            guard stat.parentPid == me, stat.state == "Z" else { continue }
            lock.withLock {
                if spawnsInFlight == 0 && !leaders.contains(pid) {
                    var status: Int32 = 0
                    _ = waitpid(pid, &status, WNOHANG)
                }
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
