import Foundation

extension LinuxProcessRuntime {
    public func adoptable() -> [String: Int32] {
        var live: [String: Int32] = [:]
        for record in state.all() {
            if RuntimeStateStore.isAlive(record) {
                live[record.id] = record.pid
            } else if lock.withLock({ processes[record.id] == nil }) {
                // Ended while no agent watched it: nothing to adopt, so clean up what it left.
                record.cgroup?.killAll()
                record.cgroup?.remove()
                state.remove(id: record.id, pid: record.pid)
            }
        }
        return live
    }

    /// Watches a process recorded by an earlier run (or another runtime instance) from now on. Its
    /// exit status is only known when it happens to be this agent's own child; otherwise the exit
    /// is reported with `statusUnknown` (see `ProcessExit`).
    public func adopt(id: String, pid: Int32, onExit: @escaping @Sendable (ProcessExit) -> Void) -> Bool {
        if let current = lock.withLock({ processes[id] }) { return current.pid == pid }
        guard let record = state.all().first(where: { $0.id == id && $0.pid == pid }),
              let stat = ProcStat.read(pid: pid), stat.startTime == record.startTime, stat.state != "Z" else { return false }
        reaper?.track(group: pid)
        watch(ManagedProcess(record: record, isChild: stat.parentPid == getpid(), onExit: onExit))
        return true
    }
}
