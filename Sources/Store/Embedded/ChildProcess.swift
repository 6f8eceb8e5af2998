import Foundation
#if canImport(Glibc)
import Glibc
#endif
import CSupport

/// Starting programs as direct children with `posix_spawn` (Foundation.Process cannot run a
/// program as another user, and its waiting is slow). Signals are reset to their defaults in the
/// child so an ignored SIGINT in this process does not make PostgreSQL unstoppable.
enum ChildProcess {
    /// Spawns `argv` (argv[0] is an absolute path) with stdout and stderr appended to `logPath`
    /// (or to `/dev/null`). Returns the child's pid.
    static func spawn(_ argv: [String], logPath: String?) throws(EmbeddedPostgresError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // No O_CLOEXEC here: these become the child's fds 1 and 2.
        posix_spawn_file_actions_addopen(&actions, 1, logPath ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        return try spawn(argv, actions: &actions)
    }

    /// Runs `argv` to completion and returns (exit status, stdout and stderr together).
    static func output(_ argv: [String]) throws(EmbeddedPostgresError) -> (status: Int32, output: String) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw EmbeddedPostgresError("could not create a pipe: \(String(cString: strerror(errno)))") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        let pid: pid_t
        do { pid = try spawn(argv, actions: &actions) } catch {
            close(fds[0]); close(fds[1])
            throw error
        }
        close(fds[1])
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        close(fds[0])
        return (wait(pid), String(decoding: data, as: UTF8.self))
    }

    /// After a server died: its processes that became this process's children (orphans are
    /// reparented to a child subreaper, as `drover up`'s agent makes it) are killed and reaped, so
    /// none stays a zombie or holds the old server's shared memory. They are recognised by their
    /// command name (PostgreSQL's backends each start a session of their own, so no process group
    /// holds them all). Without a subreaper they went to init, which reaps them.
    /// `except`: the servers this process runs itself (their postmasters are its children too).
    static func killAndReapOrphans(named command: String, except: Set<pid_t>) {
        let me = getpid()
        for pid in ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(pid_t.init)
        where !except.contains(pid) && ProcessInfo.parentPid(of: pid) == me && ProcessInfo.command(of: pid) == command {
            kill(pid, SIGKILL)
            _ = wait(pid)
        }
    }

    /// Blocks until `pid` exits; returns its exit code, or 128 + signal when it was killed.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        if drover_wifexited(status) != 0 { return drover_wexitstatus(status) }
        return 128 + drover_wtermsig(status)
    }

    private static func spawn(_ argv: [String], actions: inout posix_spawn_file_actions_t) throws(EmbeddedPostgresError) -> pid_t {
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attr, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attr, cArgs, environ)
        guard rc == 0 else {
            throw EmbeddedPostgresError("could not start \(argv[0]): \(String(cString: strerror(rc)))")
        }
        return pid
    }
}
