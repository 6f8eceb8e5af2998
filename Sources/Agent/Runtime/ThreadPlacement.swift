import CSupport
import Foundation

/// Race-free cgroup v1 placement without a wrapper process. v1 lets a single thread change cgroups
/// (through `tasks`), and a child is born in the cgroups of the thread that forks it; so the spawning
/// thread moves into the container's cgroups, spawns, and moves back to the agent's own cgroups.
/// That saves an exec of /bin/sh per container (about a third of the CPU of starting `true`).
///
/// While the thread is inside it counts against the container's pids limit, so the cgroup is created
/// with room for one more (`pidsLimit + 1`) and the real limit is written after the spawn but before
/// the thread leaves: the container never has more than `pidsLimit` processes. Memory is charged per
/// address space (owned by the agent's main thread), so the agent's allocations meanwhile are not
/// charged to the container. v2 cannot move single threads of a domain cgroup; there the sh wrapper
/// places the child.
enum ThreadPlacement {
    /// Runs `spawn` with the calling thread inside `cgroup`, and always moves the thread back home.
    static func spawn(in cgroup: ContainerCgroup, homes: [String: String], pidsLimit: Int64?,
                      _ spawn: () throws(StartFailure) -> Int32) throws(StartFailure) -> Int32 {
        let tid = String(drover_gettid())
        defer {
            for directory in homes.values { SmallFile.write(tid, to: directory + "/tasks") }
        }
        for directory in cgroup.directories.values {
            if let error = SmallFile.write(tid, to: directory + "/tasks") {
                throw StartFailure("place the process in its cgroup: \(error)")
            }
        }
        let pid = try spawn()
        guard let pidsLimit else { return pid }
        do throws(StartFailure) {
            try cgroup.setPidsLimit(pidsLimit)
        } catch {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            throw error
        }
        return pid
    }
}
