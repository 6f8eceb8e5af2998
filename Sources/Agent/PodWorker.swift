import Foundation
import Model

/// An Event the agent records about a pod or its node.
struct AgentEvent: Equatable, Sendable {
    var type: String
    var reason: String
    var message: String
}

/// Why a pod failed as a whole (`status.reason` / `status.message`).
struct PodFailure: Equatable {
    var reason: String?
    var message: String?
}

/// What a worker needs from the agent besides the pod.
struct WorkerContext: Sendable {
    var nodeName: String
    var nodeIP: String
    var paths: AgentPaths
    var pidsLimit: Int64?
    var runtime: any ProcessRuntime
    var mailbox: ExitMailbox
    /// The Secrets and ConfigMaps the pods use, for env and volumes.
    var configObjects: ConfigObjectCache
}

/// The state machine of one pod bound to this node: init containers in order (a sidecar, an init
/// container with `restartPolicy: Always`, only until it has started; it then keeps running and is
/// restarted whenever it ends), then the containers, restarted per restartPolicy with back-off;
/// sidecars stopped once the containers have finished for good; probes; activeDeadlineSeconds;
/// graceful termination in upstream's order (containers first, then sidecars in reverse).
/// `sync(now:)` moves it forward and calls the runtime; `status(now:)` renders `pod.status`.
/// Owned and serialized by `PodManager`; time only comes in as `now`.
final class PodWorker {
    private(set) var pod: JSONValue
    let context: WorkerContext
    var initContainers: [ContainerRecord]
    var containers: [ContainerRecord]
    var startTime: Date?
    var failure: PodFailure?
    /// Set once the pod reached Succeeded or Failed; nothing is started after that.
    var terminalPhase: String?
    /// Events for the manager to record (drained after each sync).
    var events: [AgentEvent] = []
    /// Condition type → (status, lastTransitionTime).
    var conditionTimes: [String: (status: Bool, since: Date)] = [:]
    /// Every init container has done its part (a regular one exited 0, a sidecar started); stays
    /// true when a sidecar restarts later, as the kubelet sees it once a container has run.
    var initialized = false
    /// Since when, and why, the pod's processes are being stopped (`stopInOrder`).
    var podStop: PodStop?
    /// The deletion is done on this node: every process ended; the manager may delete the pod for good.
    private(set) var readyForDeletion = false
    private var prepared = false
    /// The pod has secret, configMap, downwardAPI or projected volumes (`PodWorker+ConfigVolumes`).
    let hasConfigVolumes: Bool
    /// Those volumes' files as last written, by volume name.
    var writtenVolumes: [String: [ProjectedFile]] = [:]
    /// The last FailedMount message per volume (one event per distinct problem).
    var volumeProblems: [String: String] = [:]
    /// Every such volume has been written once: containers may start.
    var volumesReady = true

    var uid: String { pod.value(at: ["metadata", "uid"])?.string ?? "" }
    var name: String { pod.value(at: ["metadata", "name"])?.string ?? "" }
    var namespace: String { pod.value(at: ["metadata", "namespace"])?.string ?? "default" }
    var restartPolicy: String { pod.value(at: ["spec", "restartPolicy"])?.string ?? "Always" }
    var isDeleting: Bool { pod.value(at: ["metadata", "deletionTimestamp"]) != nil }
    var anyRunning: Bool { (initContainers + containers).contains(where: \.isRunning) }

    /// When this agent first saw the pod (monotonic seconds), and whether its start was measured.
    private let firstSeen = ProcessInfo.processInfo.systemUptime
    private var reportedStart = false

    init(pod: JSONValue, context: WorkerContext) {
        self.pod = pod
        self.context = context
        func records(_ key: String, isInit: Bool) -> [ContainerRecord] {
            (pod.value(at: ["spec", key])?.array ?? []).map {
                ContainerRecord(name: $0["name"]?.string ?? "", isInit: isInit, spec: $0)
            }
        }
        initContainers = records("initContainers", isInit: true)
        containers = records("containers", isInit: false)
        hasConfigVolumes = (pod.value(at: ["spec", "volumes"])?.array ?? []).contains(where: VolumeContents.isProjected)
        volumesReady = !hasConfigVolumes
    }

    /// A newer version of the pod from the watch (deletionTimestamp, labels for fieldRefs).
    func update(_ pod: JSONValue) { self.pod = pod }

    /// Seconds the processes get between SIGTERM and SIGKILL.
    var gracePeriod: TimeInterval {
        let seconds = pod.value(at: ["metadata", "deletionGracePeriodSeconds"])?.int
            ?? pod.value(at: ["spec", "terminationGracePeriodSeconds"])?.int ?? 30
        return TimeInterval(max(0, seconds))
    }

    /// Moves the pod forward: collects exits, stops or starts processes as its state requires.
    func sync(now: Date) {
        collectExits()
        if isDeleting {
            stopInOrder(reason: "the pod is being deleted", now: now)
            readyForDeletion = !anyRunning
            return
        }
        if terminalPhase != nil {
            // A failed pod's sidecars may still be waiting for their turn to stop.
            if let podStop { stopInOrder(reason: podStop.reason, now: now) }
            return
        }
        if failure == nil, let deadline = pod.value(at: ["spec", "activeDeadlineSeconds"])?.int, let startTime,
           now >= startTime.addingTimeInterval(TimeInterval(deadline)) {
            let message = "Pod was active on the node longer than the specified deadline"
            failure = PodFailure(reason: "DeadlineExceeded", message: message)
            events.append(AgentEvent(type: "Normal", reason: "DeadlineExceeded", message: message))
        }
        if failure == nil {
            prepare(now: now)
            if hasConfigVolumes { volumesReady = refreshConfigVolumes() || volumesReady }
            if !initialized { runInitSequence(now: now) }
        }
        if failure != nil {
            stopInOrder(reason: failure?.message ?? "the pod failed", now: now)
            terminalPhase = "Failed"
            return
        }
        if initialized {
            if podStop == nil {
                for index in initContainers.indices where initContainers[index].isSidecar { advance(&initContainers[index], now: now) }
            }
            for index in containers.indices { advance(&containers[index], now: now) }
            // Every container has ended and none will be restarted: the sidecars must not hold the pod.
            if !containers.isEmpty, containers.allSatisfy({ $0.termination != nil }) {
                stopInOrder(reason: "the pod's containers have finished", now: now)
            }
        }
        updateReadiness()
        let phase = self.phase
        if phase == "Succeeded" || phase == "Failed" { terminalPhase = phase }
    }

    /// Init containers in order, as the kubelet's computeInitContainerActions: the next one starts
    /// when the one before it is done (`initStepDone`). Progress is measured from the furthest one
    /// that has run, so a sidecar that restarts does not hold back those after it; sidecars before
    /// it are kept running. A regular init container that failed under Never fails the pod.
    private func runInitSequence(now: Date) {
        let furthest = initContainers.lastIndex(where: \.hasRun) ?? 0
        for index in initContainers.indices {
            if index < furthest {
                if initContainers[index].isSidecar { advance(&initContainers[index], now: now) }
                continue
            }
            advance(&initContainers[index], now: now)
            let record = initContainers[index]
            if !record.isSidecar, record.termination != nil, !record.succeeded, restartPolicy == "Never" {
                failure = PodFailure(reason: nil, message: nil)
                return
            }
            guard record.initStepDone else { return }
        }
        initialized = true
    }

    /// Records exits the runtime reported since the last sync.
    private func collectExits() {
        func collect(_ record: inout ContainerRecord) {
            guard let id = record.processID, let exit = context.mailbox.take(id: id) else { return }
            var startedAt: Date?
            if case .running(let started) = record.state { startedAt = started }
            record.state = .terminated(Termination(exit: exit, startedAt: startedAt, containerID: record.containerID,
                                                   message: record.stopReason))
            record.processID = nil
            record.ready = false
            record.started = false
            record.probes = [:]
            record.stopReason = nil
        }
        for index in initContainers.indices { collect(&initContainers[index]) }
        for index in containers.indices { collect(&containers[index]) }
    }

    /// Start time, the scratch directory and emptyDir volumes, once per pod.
    private func prepare(now: Date) {
        guard !prepared else { return }
        prepared = true
        if startTime == nil { startTime = now }
        AgentPaths.makeDirectory(context.paths.pod(uid))   // first, so each is a single mkdir
        AgentPaths.makeDirectory(context.paths.scratch(uid))
        for volume in pod.value(at: ["spec", "volumes"])?.array ?? [] {
            guard volume["emptyDir"] != nil, let name = volume["name"]?.string else { continue }
            AgentPaths.makeDirectory(context.paths.volume(uid, name))
            guard let problem = context.runtime.capabilities.volumeMountProblem else { continue }
            let variable = ProcessSpecBuilder.volumeVariable(name)
            events.append(AgentEvent(type: "Warning", reason: "VolumeNotMounted", message:
                "emptyDir volume \(name) is not mounted at its mountPath because \(problem); containers find it as the directory $\(variable) (\(context.paths.volume(uid, name)))"))
        }
    }

    /// Builds the containers' process specs; volumes are mounted when the runtime can mount them.
    var specBuilder: ProcessSpecBuilder {
        ProcessSpecBuilder(pod: pod, nodeName: context.nodeName, podIP: context.nodeIP, paths: context.paths,
                           pidsLimit: context.pidsLimit, mountVolumes: context.runtime.capabilities.volumeMountProblem == nil,
                           lookup: context.configObjects.lookup)
    }

    /// One container: restart a finished one if the policy says so, start a waiting one when due.
    private func advance(_ record: inout ContainerRecord, now: Date) {
        if let termination = record.termination {
            guard restarts(record, after: termination) else { return }
            let delay = record.backOff.nextDelay(startedAt: termination.startedAt, finishedAt: termination.finishedAt)
            record.lastTerminated = termination
            record.nextStart = termination.finishedAt.addingTimeInterval(delay)
            if delay > 0 {
                let message = "back-off \(Int(delay))s restarting failed container=\(record.name) pod=\(name)_\(namespace)(\(uid))"
                record.state = .waiting(reason: "CrashLoopBackOff", message: message)
                events.append(AgentEvent(type: "Warning", reason: "BackOff", message: "Back-off restarting failed container \(record.name) in pod \(name)"))
            } else {
                record.state = .waiting(reason: "ContainerCreating", message: nil)
            }
        }
        guard case .waiting = record.state, (record.nextStart ?? now) <= now else { return }
        start(&record, now: now)
    }

    /// Whether an ended instance is followed by another: sidecars always, regular init containers
    /// after a failure unless Never, containers per restartPolicy.
    private func restarts(_ record: ContainerRecord, after termination: Termination) -> Bool {
        if record.isSidecar { return true }
        if record.isInit { return restartPolicy != "Never" && termination.exitCode != 0 }
        return restartPolicy == "Always" || (restartPolicy == "OnFailure" && termination.exitCode != 0)
    }

    /// Starts a new instance; a failed start leaves it waiting with the reason (retried with back-off).
    private func start(_ record: inout ContainerRecord, now: Date) {
        // The kubelet starts no container before every volume is set up (FailedMount says why).
        guard volumesReady else { return }
        let hasRun = record.lastTerminated != nil
        let restart = record.restartCount + (hasRun ? 1 : 0)
        let spec: ProcessSpec
        var skipped: [EnvironmentSources.SkippedKeys] = []
        do {
            var builder = specBuilder
            builder.skippedKeysSink = { skipped += $0 }
            spec = try builder.build(record.spec, restart: restart)
            AgentPaths.makeDirectory((spec.logPath as NSString).deletingLastPathComponent)
            MountPoints.create(for: spec.mounts, record: context.paths.mountPoints(uid))
            let mailbox = context.mailbox
            let id = spec.id
            _ = try context.runtime.start(spec) { exit in mailbox.post(id: id, exit: exit) }
        } catch let error as ContainerConfigError {
            // A referenced object not fetched yet: the cache's first answer syncs the pod again.
            if error.pending { return }
            failStart(&record, reason: "CreateContainerConfigError", message: error.message, retryable: error.retryable, now: now)
            return
        } catch let error as StartFailure {
            failStart(&record, reason: "RunContainerError", message: error.message, now: now)
            return
        } catch {
            failStart(&record, reason: "RunContainerError", message: "\(error)", now: now)
            return
        }
        for keys in skipped {
            events.append(AgentEvent(type: "Warning", reason: "InvalidEnvironmentVariableNames", message: keys.message))
        }
        record.restartCount = restart
        record.state = .running(startedAt: now)
        if !reportedStart {
            // The pod's first process started: the kubelet's "seen → running" latency.
            reportedStart = true
            AgentMetrics.podStart.observe(ProcessInfo.processInfo.systemUptime - firstSeen)
        }
        record.processID = spec.id
        record.process = spec
        record.nextStart = nil
        record.stopReason = nil
        setUpProbes(&record, startedAt: now)
        events.append(AgentEvent(type: "Normal", reason: "Started", message: "Started container \(record.name)"))
    }

    /// `retryable` failures (a missing Secret, ConfigMap or key) wait and retry whatever the restart
    /// policy: the container was never created, as with the kubelet's CreateContainerConfigError.
    private func failStart(_ record: inout ContainerRecord, reason: String, message: String, retryable: Bool = false, now: Date) {
        events.append(AgentEvent(type: "Warning", reason: "Failed", message: "Error: \(reason): \(message)"))
        if restartPolicy == "Never", !record.isSidecar, !retryable {
            record.state = .terminated(Termination(exitCode: 128, reason: "StartError", message: message, startedAt: nil, finishedAt: now))
            return
        }
        record.state = .waiting(reason: reason, message: message)
        record.nextStart = now.addingTimeInterval(record.backOff.nextDelay(startedAt: nil, finishedAt: now))
    }

    /// The pod phase the containers' states add up to.
    var phase: String {
        if let terminalPhase { return terminalPhase }
        if failure != nil { return "Failed" }
        guard initialized else { return "Pending" }
        let terminated = containers.compactMap(\.termination)
        if !containers.isEmpty, terminated.count == containers.count {
            // Sidecars still stopping keep the pod Running (upstream counts them as running), but
            // never decide how it ends: a sidecar killed by that stop does not fail the pod.
            if initContainers.contains(where: { $0.isSidecar && $0.isRunning }) { return "Running" }
            return terminated.allSatisfy { $0.exitCode == 0 } ? "Succeeded" : "Failed"
        }
        let hasRun = containers.contains { $0.isRunning || $0.termination != nil || $0.lastTerminated != nil }
        return hasRun ? "Running" : "Pending"
    }
}

