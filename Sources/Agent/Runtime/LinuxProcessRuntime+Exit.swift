import CSupport
import Foundation

extension LinuxProcessRuntime {
    /// Runs once when a watched process has ended: tears down what is left of the container (the
    /// rest of its process group and cgroup, as the end of a container's pid 1 does), decodes the
    /// status, removes the cgroup and the state record, and reports the exit.
    func handleEnd(of process: ManagedProcess) {
        let record = process.record
        var status: Int32 = 0
        var reaped = false
        if process.isChild {
            // Wait without reaping until it has exited: at once when the pidfd fired; blocking only
            // in the rare case that no pidfd could be opened (e.g. out of descriptors).
            var info = siginfo_t()
            let flags = WEXITED | WNOWAIT | (process.watcher == nil ? 0 : WNOHANG)
            var result: Int32
            repeat { result = waitid(P_PID, id_t(record.pid), &info, flags) } while result < 0 && errno == EINTR
            // The zombie leader still holds the group id, so this cannot hit a reused process group.
            kill(-record.pid, SIGKILL)
            repeat { result = waitpid(record.pid, &status, WNOHANG) } while result < 0 && errno == EINTR
            reaped = result == record.pid
        }
        let oomKilled = (record.cgroup?.oomKillCount() ?? 0) > 0
        let exit = Self.decode(status: reaped ? status : nil, oomKilled: oomKilled)
        // Only processes left in the cgroup (or anywhere, without one) can become orphans soon; a
        // child of the leader that already ended meanwhile is reaped by the reaper's periodic scan.
        var mayLeaveOrphans = true
        if let cgroup = record.cgroup {
            mayLeaveOrphans = cgroup.killAll()
            if !cgroup.remove() { removeLater(cgroup, attempt: 1) }
        }
        LogRotator.rotateIfNeeded(path: record.logPath, maxBytes: record.logMaxBytes)
        let current = lock.withLock { () -> Bool in
            guard processes[record.id] === process else { return false }
            processes.removeValue(forKey: record.id)
            return true
        }
        guard current else { return }   // detached meanwhile: the next runtime owns it
        state.remove(id: record.id, pid: record.pid)
        reaper?.leaderExited(record.pid, scanSoon: mayLeaveOrphans)
        process.onExit(exit)
    }

    /// A killed process's exit takes a moment to leave the cgroup; retry with growing delays (up to ~10 s).
    private func removeLater(_ cgroup: ContainerCgroup, attempt: Int) {
        guard attempt <= 10 else { return }
        queue.asyncAfter(deadline: .now() + 0.01 * Double(1 << attempt)) { [weak self] in
            cgroup.killAll()
            if !cgroup.remove() { self?.removeLater(cgroup, attempt: attempt + 1) }
        }
    }

    /// The kubelet's view of a wait status: the exit code, or 128 + signal. nil status = unknown
    /// (not our child): 137 with `statusUnknown`, unless the cgroup saw an OOM kill.
    static func decode(status: Int32?, oomKilled: Bool, at date: Date = Date()) -> ProcessExit {
        guard let status else {
            return oomKilled
                ? ProcessExit(exitCode: 128 + SIGKILL, signal: SIGKILL, oomKilled: true, finishedAt: date)
                : ProcessExit(exitCode: 128 + SIGKILL, finishedAt: date, statusUnknown: true)
        }
        if drover_wifexited(status) != 0 {
            return ProcessExit(exitCode: drover_wexitstatus(status), finishedAt: date)
        }
        let signal = drover_wifsignaled(status) != 0 ? drover_wtermsig(status) : SIGKILL
        return ProcessExit(exitCode: 128 + signal, signal: signal, oomKilled: oomKilled && signal == SIGKILL, finishedAt: date)
    }
}
