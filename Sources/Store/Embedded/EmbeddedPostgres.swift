import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif
import Postgres

/// Why the embedded PostgreSQL could not be prepared, started or reached.
public struct EmbeddedPostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A private PostgreSQL server in a data directory, for `drover up` and tests.
///
/// `start()` runs `initdb` when the directory holds no cluster yet, then starts `postgres` as a
/// direct child (through `setpriv` as the `postgres` or `nobody` user when running as root),
/// listening only on a unix socket in a short temporary directory. Data survives restarts.
/// Nothing is left running: `stop()` shuts down fast (SIGINT) and waits; an `atexit` hook stops
/// servers still running at exit; and the server gets SIGINT from the kernel if this process dies
/// (parent-death signal, set by `setpriv` on a thread that lives as long as the server).
///
/// Supervised: once started, a server that dies (a kill -9, a crash) is restarted with back-off
/// (1 s doubling to 30 s, back to 1 s after a minute up), said on stderr. What is left of the dead
/// one (backends reparented here) is killed and reaped first; clients of the store reconnect on
/// their own.
public final class EmbeddedPostgres: @unchecked Sendable {
    /// How to run the server.
    public struct Options: Sendable {
        /// The cluster's directory; created (with parents) when missing.
        public var dataDirectory: String
        /// fsync and synchronous commit; turn off only for throwaway data (tests).
        public var fsync: Bool
        /// The superuser role `initdb` creates; connections use it (trust authentication over the socket).
        public var superuser: String
        /// Extra server settings passed as `-c name=value` (e.g. `max_connections`).
        public var settings: [String: String]

        public init(dataDirectory: String, fsync: Bool = true, superuser: String = "drover", settings: [String: String] = [:]) {
            self.dataDirectory = dataDirectory
            self.fsync = fsync
            self.superuser = superuser
            self.settings = settings
        }
    }

    public let options: Options
    private let state = NSCondition()
    private var pid: pid_t = 0
    private var exitStatus: Int32?
    private var spawnError: EmbeddedPostgresError?
    /// Set by `stop()`: an exit is expected, no restart.
    private var stopping = false
    /// Set once `start()` saw the server accept connections: from then on an exit means a restart.
    private var supervising = false
    private var setup: ServerSetup?
    /// While the thread that spawns, waits for and restarts the server lives.
    private var supervisorRunning = false
    /// How many times the server was restarted after dying.
    public private(set) var restarts = 0
    /// The directory holding the server's unix socket while it runs.
    public private(set) var socketDirectory: String?

    /// The socket port number (it only names the socket file; nothing listens on TCP).
    public static let port = 5432

    public init(_ options: Options) { self.options = options }

    deinit { stop() }

    /// The conninfo for `database` on the running server.
    public func conninfo(database: String = "postgres") -> String {
        "host=\(socketDirectory ?? "/nonexistent") port=\(Self.port) user=\(options.superuser) dbname=\(database)"
    }

    /// True while the server process runs.
    public var isRunning: Bool {
        state.lock()
        defer { state.unlock() }
        return pid != 0
    }

    /// The postmaster's pid while it runs.
    public var serverPID: pid_t? {
        state.lock()
        defer { state.unlock() }
        return pid == 0 ? nil : pid
    }

    /// Prepares the cluster if needed, starts the server and waits until it accepts connections.
    /// Does nothing when already running (or being restarted).
    public func start() throws(EmbeddedPostgresError) {
        if state.withLock({ supervisorRunning }) { return }
        let setup = try ServerSetup(options: options)
        try setup.prepareDataDirectory()
        try setup.clearStaleServer()
        if !setup.hasCluster { try setup.initdb() }
        let socketDir = try setup.makeSocketDirectory()
        socketDirectory = socketDir
        self.setup = setup
        state.withLock { stopping = false; supervising = false }
        try launch(setup.serverArguments(socketDirectory: socketDir), log: setup.logPath)
        let deadline = Date().addingTimeInterval(60)
        while !Connection.ping(conninfo()) {
            state.lock()
            let exited = exitStatus
            state.unlock()
            if let exited {
                removeSocketDirectory()
                throw EmbeddedPostgresError("PostgreSQL exited with status \(exited) while starting; see \(setup.logPath)")
            }
            if Date() > deadline {
                stop()
                throw EmbeddedPostgresError("PostgreSQL did not accept connections within 60 seconds; see \(setup.logPath)")
            }
            usleep(5_000)
        }
        state.withLock { supervising = true }
    }

    /// Calls `remove` on each directory in `parent` named `prefix...` not modified for `age` seconds
    /// (for sweeping what killed processes left behind in /tmp).
    public static func removeStaleDirectories(in parent: String, prefix: String, olderThan age: TimeInterval,
                                              _ remove: (String) -> Bool) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: parent)) ?? [] where name.hasPrefix(prefix) {
            let path = parent + "/" + name
            guard let modified = (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                  Date().timeIntervalSince(modified) > age else { continue }
            _ = remove(path)
        }
    }

    /// Fast shutdown (SIGINT: disconnects clients, checkpoints) and waits for the server to exit;
    /// escalates to SIGQUIT and SIGKILL if it hangs.
    public func stop() {
        state.withLock {
            stopping = true
            supervising = false
            state.broadcast()
        }
        for (signal, seconds) in [(SIGINT, 30.0), (SIGQUIT, 5.0), (SIGKILL, 5.0)] {
            if let running = serverPID { kill(running, signal) }
            if waitForSupervisor(seconds: seconds) { break }
        }
        removeSocketDirectory()
    }

    /// Spawns the server from a dedicated thread that then waits for it: the parent-death signal
    /// fires when the spawning *thread* exits, so that thread must live exactly as long as the server
    /// — restarts included, which is why the thread also supervises.
    private func launch(_ argv: [String], log: String) throws(EmbeddedPostgresError) {
        state.lock()
        exitStatus = nil
        spawnError = nil
        supervisorRunning = true
        state.unlock()
        let thread = Thread { [self] in
            defer { state.withLock { supervisorRunning = false; state.broadcast() } }
            var backoff = 1.0
            while true {
                let child: pid_t
                do throws(EmbeddedPostgresError) {
                    child = try ChildProcess.spawn(argv, logPath: log)
                } catch {
                    state.lock()
                    spawnError = error
                    exitStatus = -1
                    state.broadcast()
                    let retry = supervising && !stopping
                    state.unlock()
                    guard retry, pause(&backoff, after: error.message) else { return }
                    continue
                }
                state.lock()
                pid = child
                RunningServers.add(child)
                // stop() came while this one was being spawned: it must not outlive it.
                if stopping { kill(child, SIGINT) }
                state.broadcast()
                state.unlock()
                let started = Date()
                let status = ChildProcess.wait(child)
                state.lock()
                pid = 0
                exitStatus = status
                RunningServers.remove(child)
                state.broadcast()
                let restart = supervising && !stopping
                state.unlock()
                guard restart else { return }
                // A clean shutdown waits for its backends; a dead postmaster leaves them behind.
                ChildProcess.killAndReapOrphans(named: "postgres", except: RunningServers.all)
                if Date().timeIntervalSince(started) > 60 { backoff = 1 }
                guard pause(&backoff, after: "PostgreSQL (pid \(child)) exited with status \(status)") else { return }
                try? setup?.clearStaleServer()
            }
        }
        thread.name = "embedded-postgres"
        thread.start()
        state.lock()
        defer { state.unlock() }
        while pid == 0 && exitStatus == nil { state.wait() }
        if let spawnError { throw spawnError }
    }

    /// Says why and when the server restarts, waits the back-off (cut short by `stop()`) and
    /// doubles it; false when stopping.
    private func pause(_ backoff: inout Double, after what: String) -> Bool {
        Logger("store").warning("\(what); restarting it", ["backoff": "\(Int(backoff))s"])
        let deadline = Date().addingTimeInterval(backoff)
        backoff = min(backoff * 2, 30)
        state.lock()
        defer { state.unlock() }
        while !stopping && state.wait(until: deadline) {}
        guard !stopping else { return false }
        restarts += 1
        return true
    }

    /// Waits up to `seconds` for the supervising thread to end (its server exited, no restart).
    private func waitForSupervisor(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        state.lock()
        defer { state.unlock() }
        while supervisorRunning {
            if !state.wait(until: deadline) { return !supervisorRunning }
        }
        return true
    }

    private func removeSocketDirectory() {
        if let dir = socketDirectory { try? FileManager.default.removeItem(atPath: dir) }
        socketDirectory = nil
    }
}

/// Server pids still running, so the exit hook can stop them.
enum RunningServers {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var pids: Set<pid_t> = []
    nonisolated(unsafe) private static var hookInstalled = false

    static func add(_ pid: pid_t) {
        lock.lock()
        defer { lock.unlock() }
        pids.insert(pid)
        if !hookInstalled {
            hookInstalled = true
            atexit { RunningServers.stopAll() }
        }
    }

    static var all: Set<pid_t> { lock.withLock { pids } }

    static func remove(_ pid: pid_t) {
        lock.lock()
        pids.remove(pid)
        lock.unlock()
    }

    /// Sends SIGINT to every server and waits (up to 10 s) for their waiting threads to reap them.
    static func stopAll() {
        lock.lock()
        let all = pids
        lock.unlock()
        for pid in all { kill(pid, SIGINT) }
        for _ in 0..<1000 {
            lock.lock()
            let left = pids.count
            lock.unlock()
            if left == 0 { return }
            usleep(10_000)
        }
    }
}
