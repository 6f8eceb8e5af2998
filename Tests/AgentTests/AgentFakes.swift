import Agent
import Foundation
import Model

/// A clock tests move by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)

    var now: Date { lock.withLock { current } }

    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }

    var function: @Sendable () -> Date { { self.now } }
}

/// A `ProcessRuntime` that simulates processes: starts are recorded (and fail for programs named in
/// `failingPrograms`), exits happen when a test calls `exit`, and `stop` ends the process with
/// SIGTERM (exit 143) at once unless `exitOnStop` is off.
final class FakeProcessRuntime: ProcessRuntime, @unchecked Sendable {
    private let lock = NSLock()
    private let clock: ManualClock
    private var exitHandlers: [String: @Sendable (ProcessExit) -> Void] = [:]
    private var startedSpecs: [ProcessSpec] = []
    private var stops: [(id: String, grace: TimeInterval)] = []
    private var nextPID: Int32 = 1000
    var capabilities = RuntimeCapabilities(cgroupVersion: "v2")
    /// argv[0] → the start failure it causes.
    var failingPrograms: [String: StartFailure] = [:]
    var exitOnStop = true
    /// What `adoptable()` reports (an earlier agent run's processes).
    var leftovers: [String: Int32] = [:]
    /// Ids whose `adopt` fails (the process died meanwhile).
    var vanished: Set<String> = []

    init(clock: ManualClock) { self.clock = clock }

    var started: [ProcessSpec] { lock.withLock { startedSpecs } }
    var stopped: [(id: String, grace: TimeInterval)] { lock.withLock { stops } }
    var runningIDs: [String] { lock.withLock { exitHandlers.keys.sorted() } }

    func start(_ spec: ProcessSpec, onExit: @escaping @Sendable (ProcessExit) -> Void) throws(StartFailure) -> Int32 {
        if let failure = failingPrograms[spec.argv.first ?? ""] { throw failure }
        return lock.withLock {
            startedSpecs.append(spec)
            exitHandlers[spec.id] = onExit
            nextPID += 1
            return nextPID
        }
    }

    func stop(id: String, grace: TimeInterval) {
        let exitNow = lock.withLock { () -> Bool in
            stops.append((id, grace))
            return exitOnStop
        }
        if exitNow { exit(id, code: 143, signal: 15) }
    }

    func adoptable() -> [String: Int32] { lock.withLock { leftovers } }

    func adopt(id: String, pid: Int32, onExit: @escaping @Sendable (ProcessExit) -> Void) -> Bool {
        lock.withLock {
            guard !vanished.contains(id), leftovers[id] == pid else { return false }
            exitHandlers[id] = onExit
            return true
        }
    }

    /// Ends a running process; false if it is not running.
    @discardableResult
    func exit(_ id: String, code: Int32, signal: Int32? = nil, oomKilled: Bool = false) -> Bool {
        guard let handler = lock.withLock({ exitHandlers.removeValue(forKey: id) }) else { return false }
        handler(ProcessExit(exitCode: code, signal: signal, oomKilled: oomKilled, finishedAt: clock.now))
        return true
    }
}

/// Probe outcomes chosen by the test, keyed by the first word of the probe's exec command.
final class FakeProbeExecutor: ProbeExecutor, @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [String: Bool] = [:]
    private var counts: [String: Int] = [:]

    func set(_ command: String, _ success: Bool) { lock.withLock { outcomes[command] = success } }

    func runs(_ command: String) -> Int { lock.withLock { counts[command] ?? 0 } }

    func run(_ request: ProbeRequest) async -> ProbeOutcome {
        let command = request.probe.value(at: ["exec", "command"])?[0]?.string ?? ""
        let success = lock.withLock { () -> Bool in
            counts[command, default: 0] += 1
            return outcomes[command] ?? true
        }
        return ProbeOutcome(success: success, message: success ? "" : "\(command) said no")
    }
}
