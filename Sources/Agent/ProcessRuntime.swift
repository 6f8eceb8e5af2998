import Foundation

// The agent's boundary to the operating system, fixed up front so the runtime (real processes,
// cgroups, logs) and the pod sync loop can be written side by side. The loop only talks to this
// protocol; tests of the loop use a fake, tests of the real runtime use real child processes.

/// Everything needed to start one container process.
public struct ProcessSpec: Sendable, Equatable {
    /// Stable id, e.g. `<pod uid>/<container name>/<restart count>`; also names its cgroup and log files.
    public var id: String
    /// argv[0] is looked up on PATH when it has no slash.
    public var argv: [String]
    public var environment: [String: String]
    /// Must exist; a missing one fails the start with a clear message.
    public var workingDirectory: String
    /// Bytes; nil = unlimited.
    public var memoryLimit: Int64?
    /// Millicores; nil = unlimited.
    public var cpuLimitMillis: Int64?
    /// Millicores requested: the container's CPU weight under contention; nil = the default weight.
    public var cpuRequestMillis: Int64?
    /// Whole pod's process limit; nil = unlimited.
    public var pidsLimit: Int64?
    /// stdout and stderr are appended to this file (rotated by the runtime at `logMaxBytes`).
    public var logPath: String
    public var logMaxBytes: Int64
    /// Directories bind-mounted at their mount paths in a private mount namespace of the process
    /// (empty: the process shares the agent's mount namespace and starts through plain posix_spawn).
    public var mounts: [VolumeMount]

    public init(id: String, argv: [String], environment: [String: String], workingDirectory: String,
                memoryLimit: Int64? = nil, cpuLimitMillis: Int64? = nil, cpuRequestMillis: Int64? = nil, pidsLimit: Int64? = nil,
                logPath: String, logMaxBytes: Int64 = 10 * 1024 * 1024, mounts: [VolumeMount] = []) {
        self.id = id
        self.argv = argv
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.memoryLimit = memoryLimit
        self.cpuLimitMillis = cpuLimitMillis
        self.cpuRequestMillis = cpuRequestMillis
        self.pidsLimit = pidsLimit
        self.logPath = logPath
        self.logMaxBytes = logMaxBytes
        self.mounts = mounts
    }
}

/// A volume directory bind-mounted at a path only the container sees.
public struct VolumeMount: Sendable, Equatable {
    /// The volume's name, for messages.
    public var volume: String
    /// The directory on the host (the emptyDir's directory, or a subPath of it).
    public var source: String
    /// Absolute path inside the container; missing directories are created.
    public var mountPath: String
    public var readOnly: Bool

    public init(volume: String, source: String, mountPath: String, readOnly: Bool = false) {
        self.volume = volume
        self.source = source
        self.mountPath = mountPath
        self.readOnly = readOnly
    }
}

/// How a process ended.
public struct ProcessExit: Sendable, Equatable {
    /// Exit code, or 128 + signal for a killed process (137 for SIGKILL), as the kubelet reports.
    public var exitCode: Int32
    /// The signal that killed it, if any.
    public var signal: Int32?
    /// The cgroup's OOM killer ended it (reason OOMKilled).
    public var oomKilled: Bool
    public var finishedAt: Date
    /// The real exit status could not be known: the process was re-adopted after an agent restart
    /// (it is no longer the agent's child, so nobody can wait for it). `exitCode` is then 137, as
    /// the kubelet reports for ContainerStatusUnknown, unless the cgroup shows an OOM kill.
    public var statusUnknown: Bool

    public init(exitCode: Int32, signal: Int32? = nil, oomKilled: Bool = false, finishedAt: Date,
                statusUnknown: Bool = false) {
        self.exitCode = exitCode
        self.signal = signal
        self.oomKilled = oomKilled
        self.finishedAt = finishedAt
        self.statusUnknown = statusUnknown
    }
}

/// A start that failed before the program ran (RunContainerError).
public struct StartFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// `exec: "foo": executable file not found in $PATH`, `chdir /nope: no such file or directory`, ...
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What the runtime can enforce on this machine (reported on the Node as a condition/event).
public struct RuntimeCapabilities: Sendable, Equatable {
    /// `v1`, `v2`, or nil when cgroups are not writable (limits then fall back to rlimits).
    public var cgroupVersion: String?
    /// Why cgroups are unavailable, for the node condition message.
    public var cgroupProblem: String?
    /// Why volumes cannot be bind-mounted at their mountPath (not root, no CAP_SYS_ADMIN, mount
    /// namespaces refused); nil when `ProcessSpec.mounts` are honoured.
    public var volumeMountProblem: String?

    public init(cgroupVersion: String?, cgroupProblem: String? = nil, volumeMountProblem: String? = nil) {
        self.cgroupVersion = cgroupVersion
        self.cgroupProblem = cgroupProblem
        self.volumeMountProblem = volumeMountProblem
    }
}

/// Runs container processes. Implementations are thread-safe.
public protocol ProcessRuntime: AnyObject, Sendable {
    var capabilities: RuntimeCapabilities { get }

    /// Starts the process in its own process group (and cgroup where available); `onExit` is called
    /// once, on any thread, when it ends. Returns the pid.
    func start(_ spec: ProcessSpec, onExit: @escaping @Sendable (ProcessExit) -> Void) throws(StartFailure) -> Int32

    /// SIGTERM to the process group, then SIGKILL after `grace` seconds if it is still running.
    func stop(id: String, grace: TimeInterval)

    /// Processes this runtime (or an earlier run of the agent with the same state directory)
    /// started that are still alive: id → pid. Used to re-adopt them after an agent restart.
    func adoptable() -> [String: Int32]

    /// Takes over watching a process started by an earlier agent run; false if it is gone.
    func adopt(id: String, pid: Int32, onExit: @escaping @Sendable (ProcessExit) -> Void) -> Bool
}
