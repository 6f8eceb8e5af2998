import CSupport
import Foundation

/// The real `ProcessRuntime` on Linux: posix_spawn'd process groups, one cgroup per container
/// (v1 or v2, rlimits where cgroups are not writable), pidfd-based exit watching, group stop with
/// a grace period, orphan reaping as a child subreaper, log rotation and state records for
/// re-adoption after an agent restart. See the Runtime section of the module README.
public final class LinuxProcessRuntime: ProcessRuntime, @unchecked Sendable {
    public let capabilities: RuntimeCapabilities
    let layout: CgroupLayout?
    let state: RuntimeStateStore
    let reaper: OrphanReaper?
    /// Exit handling and stop timers; concurrent because handlers for different processes are independent.
    let queue = DispatchQueue(label: "drover.runtime", attributes: .concurrent)
    let lock = NSLock()
    /// Watched processes by id; `reserved` holds ids whose start is in progress.
    var processes: [String: ManagedProcess] = [:]
    private var reserved: Set<String> = []
    private var logTimer: DispatchSourceTimer?

    /// - Parameters:
    ///   - stateDirectory: where the records for re-adoption live (created if missing).
    ///   - cgroupName: the parent cgroup of all containers, under the agent's own cgroup when that is
    ///     delegated, else under the hierarchy's root.
    ///   - useCgroups: false forces the rlimit fallback (tests, or a node told not to touch cgroups).
    ///   - reapOrphans: makes the agent a child subreaper and reaps orphans of its containers.
    ///   - logCheckInterval: how often log files are checked for rotation.
    public convenience init(stateDirectory: String, cgroupName: String = "drover", useCgroups: Bool = true,
                            reapOrphans: Bool = true, logCheckInterval: TimeInterval = 1) throws {
        try self.init(stateDirectory: stateDirectory, cgroupName: cgroupName, useCgroups: useCgroups,
                      reapOrphans: reapOrphans, logCheckInterval: logCheckInterval, threadPlacement: true)
    }

    /// `threadPlacement` false forces the sh wrapper even where threads could place children (tests).
    /// `volumeMountCheck` says why volumes cannot be bind-mounted (nil: they can); it gets the state
    /// directory for a trial mount.
    init(stateDirectory: String, cgroupName: String, useCgroups: Bool, reapOrphans: Bool,
         logCheckInterval: TimeInterval, threadPlacement: Bool,
         volumeMountCheck: (String) -> String? = MountSupport.detect(trialDirectory:)) throws {
        state = try RuntimeStateStore(directory: stateDirectory)
        let volumeMountProblem = volumeMountCheck(stateDirectory)
        let detected: Result<CgroupLayout, CgroupProblem> = useCgroups
            ? CgroupLayout.detect(name: cgroupName)
            : .failure(CgroupProblem("cgroups are disabled by configuration"))
        switch detected {
        case .success(var layout):
            if !threadPlacement { layout.threadHomes = nil }
            self.layout = layout
            capabilities = RuntimeCapabilities(cgroupVersion: layout.version.rawValue, volumeMountProblem: volumeMountProblem)
        case .failure(let problem):
            layout = nil
            capabilities = RuntimeCapabilities(cgroupVersion: nil, cgroupProblem: problem.message
                + "; memory limits fall back to RLIMIT_AS (address space, not resident memory), pids limits to"
                + " RLIMIT_NPROC (counted per user, not enforced for root) and CPU limits are not enforced"
                + " (RLIMIT_CPU caps total CPU time, it is not a rate)", volumeMountProblem: volumeMountProblem)
        }
        reaper = reapOrphans && drover_set_child_subreaper() == 0 ? OrphanReaper() : nil
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + logCheckInterval, repeating: logCheckInterval)
        timer.setEventHandler { [weak self] in self?.rotateLogs() }
        timer.resume()
        logTimer = timer
    }

    deinit {
        logTimer?.cancel()
        reaper?.stop()
    }

    public func start(_ spec: ProcessSpec, onExit: @escaping @Sendable (ProcessExit) -> Void) throws(StartFailure) -> Int32 {
        let taken = lock.withLock { () -> Bool in
            if processes[spec.id] != nil || reserved.contains(spec.id) { return true }
            reserved.insert(spec.id)
            return false
        }
        if taken { throw StartFailure("a process with id \(spec.id) is already running") }
        defer { _ = lock.withLock { reserved.remove(spec.id) } }

        guard let program = spec.argv.first else { throw StartFailure("exec: no command") }
        let mounting = !spec.mounts.isEmpty
        if mounting, let problem = capabilities.volumeMountProblem {
            throw StartFailure("cannot mount the container's volumes: \(problem)")
        }
        // With mounts the child itself checks the working directory and finds the program, after the
        // mounts (either may be inside a volume).
        if !mounting { try PosixSpawner.checkWorkingDirectory(spec.workingDirectory) }
        let executable = mounting ? program : try PosixSpawner.resolveExecutable(program, searchPath: spec.environment["PATH"],
                                                                                   workingDirectory: spec.workingDirectory)
        let logFD = try PosixSpawner.openLog(spec.logPath)
        defer { close(logFD) }
        // Where the spawning thread can enter the cgroups itself no wrapper is needed; the pids
        // limit then leaves room for that thread until the spawn is done (see ThreadPlacement).
        let threadHomes = layout?.threadHomes
        let cgroup = try layout.map { layout throws(StartFailure) in
            try ContainerCgroup.create(in: layout, name: ContainerCgroup.name(for: spec.id), pod: ContainerCgroup.podName(for: spec.id),
                                       memoryLimit: spec.memoryLimit,
                                       cpuLimitMillis: spec.cpuLimitMillis, cpuRequestMillis: spec.cpuRequestMillis,
                                       pidsLimit: threadHomes == nil ? spec.pidsLimit : spec.pidsLimit.map { $0 + 1 })
        }
        let plan = LaunchPlan(executable: executable, argv: spec.argv, environment: spec.environment,
                              cgroupProcsFiles: threadHomes == nil ? cgroup?.procsFiles ?? [] : [],
                              rlimits: cgroup == nil ? FallbackLimits(spec: spec) : .none)
        let spawn = { () throws(StartFailure) -> Int32 in
            mounting
                ? try MountingSpawner.spawn(program: plan.path, argv: plan.argv, environment: spec.environment,
                                            workingDirectory: spec.workingDirectory, outputFD: logFD, mounts: spec.mounts)
                : try PosixSpawner.spawn(path: plan.path, argv: plan.argv, environment: spec.environment,
                                         workingDirectory: spec.workingDirectory, outputFD: logFD)
        }
        let pid: Int32
        do throws(StartFailure) {
            if let cgroup, let threadHomes {
                pid = try ThreadPlacement.spawn(in: cgroup, homes: threadHomes, pidsLimit: spec.pidsLimit, spawn)
            } else {
                pid = try spawn()
            }
        } catch {
            cgroup?.remove()
            throw error
        }
        reaper?.track(group: pid)
        let record = RuntimeStateStore.Record(id: spec.id, pid: pid, startTime: ProcStat.read(pid: pid)?.startTime ?? 0,
                                              cgroup: cgroup, logPath: spec.logPath, logMaxBytes: spec.logMaxBytes)
        state.save(record)
        watch(ManagedProcess(record: record, isChild: true, onExit: onExit))
        return pid
    }

    /// Registers the process and starts its pidfd watch. Without a pidfd, an adopted process has
    /// already ended; a child is waited for by `handleEnd` directly (blocking one queue thread).
    func watch(_ process: ManagedProcess) {
        lock.withLock {
            processes[process.record.id] = process
            process.watcher = PidWatcher(pid: process.pid, queue: queue) { [weak self] in self?.handleEnd(of: process) }
        }
        if process.watcher == nil { queue.async { [weak self] in self?.handleEnd(of: process) } }
    }

    public func stop(id: String, grace: TimeInterval) {
        guard let process = lock.withLock({ processes[id] }) else { return }
        kill(-process.pid, grace > 0 ? SIGTERM : SIGKILL)
        guard grace > 0 else { return }
        queue.asyncAfter(deadline: .now() + grace) { [weak self] in
            guard let self, self.lock.withLock({ self.processes[id] === process }) else { return }
            kill(-process.pid, SIGKILL)
            process.record.cgroup?.killAll()
        }
    }

    /// Stops watching every process without touching them, as an exiting agent does; their state
    /// records stay for the next runtime to adopt. (Tests use it to simulate an agent restart.)
    public func detach() {
        let all = lock.withLock { () -> [ManagedProcess] in
            defer { processes.removeAll() }
            return Array(processes.values)
        }
        for process in all { process.watcher?.cancel() }
        logTimer?.cancel()
        reaper?.stop()
    }

    /// The cgroup of a watched process (nil without cgroups or when not watched).
    func cgroup(of id: String) -> ContainerCgroup? {
        lock.withLock { processes[id]?.record.cgroup }
    }

    private func rotateLogs() {
        let records = lock.withLock { processes.values.map(\.record) }
        for record in records { LogRotator.rotateIfNeeded(path: record.logPath, maxBytes: record.logMaxBytes) }
    }
}
