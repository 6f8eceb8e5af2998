import TestSupport
import Foundation
@testable import Agent

/// A scratch directory, a runtime on it and helpers to start real processes and wait for their exit.
final class RuntimeFixture: @unchecked Sendable {
    let directory: String
    let runtime: LinuxProcessRuntime

    init(useCgroups: Bool = true, logCheckInterval: TimeInterval = 1, threadPlacement: Bool = true) throws {
        directory = NSTemporaryDirectory() + "drover-runtime-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/logs", withIntermediateDirectories: true)
        runtime = try LinuxProcessRuntime(stateDirectory: directory + "/state", cgroupName: "drover", useCgroups: useCgroups,
                                          reapOrphans: true, logCheckInterval: logCheckInterval, threadPlacement: threadPlacement)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The environment tests give their processes: only a PATH.
    static let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin"]

    func spec(_ argv: [String], id: String = UUID().uuidString, environment: [String: String] = environment,
              workingDirectory: String? = nil, memoryLimit: Int64? = nil, cpuLimitMillis: Int64? = nil,
              pidsLimit: Int64? = nil, logMaxBytes: Int64 = 10 * 1024 * 1024, mounts: [VolumeMount] = []) -> ProcessSpec {
        ProcessSpec(id: id, argv: argv, environment: environment, workingDirectory: workingDirectory ?? directory,
                    memoryLimit: memoryLimit, cpuLimitMillis: cpuLimitMillis, pidsLimit: pidsLimit,
                    logPath: directory + "/logs/\(ContainerCgroup.name(for: id)).log", logMaxBytes: logMaxBytes,
                    mounts: mounts)
    }

    /// Starts the process; the returned waiter yields its exit.
    func start(_ spec: ProcessSpec) throws -> ExitWaiter {
        let waiter = ExitWaiter()
        waiter.pid = try runtime.start(spec, onExit: waiter.deliver)
        return waiter
    }

    /// Starts the process and waits for its exit.
    func run(_ spec: ProcessSpec) async throws -> ProcessExit? {
        try await start(spec).exit()
    }

    func log(_ spec: ProcessSpec) -> String {
        (try? String(contentsOfFile: spec.logPath, encoding: .utf8)) ?? ""
    }
}

/// Collects one `onExit` call.
final class ExitWaiter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: ProcessExit?
    private var calls = 0
    var pid: Int32 = 0

    var deliver: @Sendable (ProcessExit) -> Void {
        { [self] exit in lock.withLock { value = exit; calls += 1 } }
    }

    var callCount: Int { lock.withLock { calls } }

    /// The exit, or nil if none came within `limit` seconds (a generous bound, not a timing assertion).
    func exit(within limit: TimeInterval = 60) async -> ProcessExit? {
        await eventually(within: limit) { self.lock.withLock { self.value } }
    }
}


/// Whether `pid` is gone (or only a zombie nobody has reaped yet, when `allowZombie`).
func processGone(_ pid: Int32, allowZombie: Bool = false) -> Bool {
    guard let stat = ProcStat.read(pid: pid) else { return true }
    return allowZombie && stat.state == "Z"
}
