import Client
import Foundation
import Model

/// Runs the pods bound to this node: one `PodWorker` per pod, synced when the watch brings news,
/// when a process exits, and on every tick; writes each pod's status only when it changed, records
/// events, and finishes deletions. Serializes the syncs of each pod.
public actor PodManager {
    private let client: any APIClient
    private let runtime: any ProcessRuntime
    private let probes: any ProbeExecutor
    private let now: @Sendable () -> Date
    private let events: EventRecorder
    private let log: @Sendable (String) -> Void
    private let context: WorkerContext
    let logIndex = LogIndex()
    private var workers: [String: PodWorker] = [:]
    /// Writes the statuses the syncs render, in the background, only when they changed.
    private let statusWriter: StatusWriter
    /// Pods being synced; the actor leaves their workers alone while `PodWorker.sync` runs.
    private var syncing: Set<String> = []
    /// Pods to sync again when their running sync ends.
    private var dirty: Set<String> = []
    /// Newer versions of syncing pods, handed to the worker when its sync starts its next round.
    private var incoming: [String: JSONValue] = [:]
    /// Workers of pods removed while syncing; their processes are stopped when the sync ends.
    private var removedWhileSyncing: [String: PodWorker] = [:]
    /// Finished pods (Succeeded or Failed, nothing running, not being deleted) whose final status is
    /// published: the periodic tick skips them; a watch event about them brings them back.
    private var settled: Set<String> = []
    private var deleted: Set<String> = []
    /// The Secrets and ConfigMaps each pod uses (watched by `configObjects` while some pod does).
    private var references: [String: Set<ConfigObjectRef>] = [:]
    /// Pods one of whose objects changed since their last sync.
    private var sourceNews: Set<String> = []
    private let configObjects: ConfigObjectCache
    private let wakeups: AsyncStream<String>
    private let wakeupSink: AsyncStream<String>.Continuation

    /// `statusRetrySleep` waits out a failed status write's retry delay (tests pass a gate).
    public init(client: any APIClient, runtime: any ProcessRuntime, probes: any ProbeExecutor,
                configuration: AgentConfiguration, now: @escaping @Sendable () -> Date = { Date() },
                log: @escaping @Sendable (String) -> Void = { _ in },
                statusRetrySleep: (@Sendable (TimeInterval) async -> Void)? = nil) {
        self.client = client
        self.runtime = runtime
        self.probes = probes
        self.now = now
        self.log = log
        self.events = EventRecorder(client: client, nodeName: configuration.nodeName, now: now, log: log)
        statusWriter = StatusWriter(client: client, log: log, concurrency: configuration.statusWriters,
                                    retryDelay: configuration.statusRetryDelay,
                                    sleep: statusRetrySleep ?? StatusWriter.realSleep)
        (wakeups, wakeupSink) = AsyncStream.makeStream(of: String.self)
        let sink = wakeupSink
        let mailbox = ExitMailbox { id in sink.yield(String(id.prefix { $0 != "/" })) }
        configObjects = ConfigObjectCache(client: client, log: log)
        context = WorkerContext(nodeName: configuration.nodeName, nodeIP: configuration.nodeIP, paths: configuration.paths,
                                pidsLimit: configuration.podPidsLimit, runtime: runtime, mailbox: mailbox, configObjects: configObjects)
        configObjects.onChange { [weak self] ref in Task { await self?.objectChanged(ref) } }
    }

    /// A Secret or ConfigMap changed (or was fetched for the first time): the pods using it sync now,
    /// so their volumes follow it and containers waiting for it start.
    func objectChanged(_ ref: ConfigObjectRef) {
        for (uid, refs) in references where refs.contains(ref) && !settled.contains(uid) {
            sourceNews.insert(uid)
            Task { await sync(uid: uid) }
        }
    }

    /// The uids of the pods being run.
    public var podUIDs: [String] { workers.keys.sorted() }

    /// The current list of pods bound here (the first list after start, or a relist after the
    /// watch expired). On the first list (`adopt`) processes of an earlier agent run are re-adopted
    /// and those of pods no longer bound here are stopped. Pods missing from the list are treated
    /// as deleted.
    public func replaceAll(_ pods: [JSONValue], adopt: Bool) {
        let adoptable = adopt ? runtime.adoptable() : [:]
        var claimed: Set<String> = []
        var listed: Set<String> = []
        for pod in pods {
            guard let uid = pod.value(at: ["metadata", "uid"])?.string else { continue }
            listed.insert(uid)
            claimed.formUnion(add(pod, adoptable: adoptable))
        }
        for uid in workers.keys where !listed.contains(uid) { remove(uid) }
        for (id, _) in adoptable where !claimed.contains(id) {
            log("stopping process \(id): its pod is no longer bound to this node")
            runtime.stop(id: id, grace: 10)
        }
    }

    /// A watch event about a pod bound here; true when the pod needs a sync because of it. The
    /// echo of the agent's own status write (only status and resourceVersion changed) needs none:
    /// the worker never reads the status back.
    @discardableResult
    public func apply(_ event: WatchEvent) -> Bool {
        guard let uid = event.object.value(at: ["metadata", "uid"])?.string else { return false }
        switch event.type {
        case .added, .modified:
            if let worker = workers[uid], !Self.differsBeyondStatus(incoming[uid] ?? worker.pod, event.object) {
                if syncing.contains(uid) { incoming[uid] = event.object } else { worker.update(event.object) }
                return false
            }
            _ = add(event.object, adoptable: [:])
            return true
        case .deleted:
            remove(uid)
            return false
        case .bookmark, .error:
            return false
        }
    }

    /// Whether anything the worker reads (spec, metadata other than resourceVersion and
    /// managedFields) differs between two versions of a pod.
    static func differsBeyondStatus(_ old: JSONValue, _ new: JSONValue) -> Bool {
        guard old["spec"] == new["spec"] else { return true }
        guard var oldMetadata = old["metadata"]?.object, var newMetadata = new["metadata"]?.object else { return true }
        for key in ["resourceVersion", "managedFields"] {
            oldMetadata[key] = nil
            newMetadata[key] = nil
        }
        return oldMetadata != newMetadata
    }

    /// Syncs every pod once, one after another, and waits until their statuses have been written
    /// (tests; the run loop uses `tick`).
    public func syncAll() async {
        for uid in workers.keys.sorted() { await sync(uid: uid) }
        await statusWriter.flush()
    }

    /// Syncs every pod concurrently, except those syncing now: during a burst of new pods most
    /// wait for their first step, and a tick would only add another round to each.
    func tick() {
        for uid in workers.keys where !settled.contains(uid) && !syncing.contains(uid) { Task { await self.sync(uid: uid) } }
    }

    /// Uids of pods whose processes exited, as they happen.
    nonisolated var exitWakeups: AsyncStream<String> { wakeups }

    /// Moves one pod forward and publishes the result; a sync requested while one runs is folded
    /// into another round of the running one. The worker's own step (`PodWorker.sync`, which
    /// starts processes) runs on `BlockingPool.podSyncs`, off the actor: while it runs, the actor
    /// does not touch that worker (`incoming`, `removedWhileSyncing`).
    public func sync(uid: String) async {
        guard workers[uid] != nil else { return }
        if syncing.contains(uid) {
            dirty.insert(uid)
            return
        }
        syncing.insert(uid)
        repeat {
            dirty.remove(uid)
            guard let worker = workers[uid] else { break }
            if let pod = incoming.removeValue(forKey: uid) { worker.update(pod) }
            if sourceNews.remove(uid) != nil { worker.sourcesChanged() }
            await step(worker)
            let due = worker.dueProbes(now: now())
            for probe in due {
                let outcome = await probes.run(probe.request)
                worker.recordProbe(probe, outcome: outcome, now: now())
            }
            if !due.isEmpty { await step(worker) }
            let status = await publish(worker)
            guard workers[uid] === worker else { break }
            // The writer retries the final status until it is written, so the tick can leave the pod.
            if let status, ["Succeeded", "Failed"].contains(worker.phase) && !worker.anyRunning && !worker.isDeleting,
               statusWriter.isHandled(uid: uid, status: status) {
                settled.insert(uid)
            }
        } while dirty.contains(uid)
        syncing.remove(uid)
        if let worker = removedWhileSyncing.removeValue(forKey: uid) { finishRemoval(of: worker) }
    }

    /// `worker.sync(now:)` on the blocking pool; urgent once the pod has started (its next step is
    /// usually about an exit).
    private func step(_ worker: PodWorker) async {
        let time = now()
        let handle = WorkerHandle(worker: worker)
        await BlockingPool.podSyncs.run(urgent: worker.startTime != nil) { handle.worker.sync(now: time) }
    }

    private func add(_ pod: JSONValue, adoptable: [String: Int32]) -> Set<String> {
        guard let uid = pod.value(at: ["metadata", "uid"])?.string else { return [] }
        if let worker = workers[uid] {
            if syncing.contains(uid) {
                incoming[uid] = pod
                dirty.insert(uid)   // the running sync takes it in another round
            } else {
                worker.update(pod)
            }
            settled.remove(uid)
            return []
        }
        let worker = PodWorker(pod: pod, context: context)
        let adopted = worker.restore(adoptable: adoptable, now: now())
        workers[uid] = worker
        let refs = ConfigObjectRef.references(of: pod)
        if !refs.isEmpty {
            references[uid] = refs
            configObjects.retain(refs, pod: uid)
        }
        statusWriter.seed(uid: uid, status: pod["status"])
        return adopted
    }

    /// The pod is gone from this node: nothing more is published for it; its processes are stopped
    /// and its files removed (`finishRemoval`) once a sync running meanwhile has ended.
    private func remove(_ uid: String) {
        guard let worker = workers.removeValue(forKey: uid) else { return }
        settled.remove(uid)
        if references.removeValue(forKey: uid) != nil { configObjects.release(pod: uid) }
        sourceNews.remove(uid)
        incoming[uid] = nil
        statusWriter.forget(uid: uid)
        deleted.remove(uid)
        logIndex.set(namespace: worker.namespace, name: worker.name, pod: nil)
        if syncing.contains(uid) {
            removedWhileSyncing[uid] = worker
        } else {
            finishRemoval(of: worker)
        }
    }

    /// Stops whatever still runs, or else removes the pod's directory (logs, scratch, emptyDirs)
    /// and the mount points created for it (processes in their grace period may still use them).
    private func finishRemoval(of worker: PodWorker) {
        if worker.anyRunning {
            worker.stopAll(reason: "the pod was deleted", now: now())
        } else {
            MountPoints.removeRecorded(context.paths.mountPoints(worker.uid))
            try? FileManager.default.removeItem(atPath: context.paths.pod(worker.uid))
        }
    }

    /// Events, the log index, the status (to the writer), and the final DELETE once a deleted pod's
    /// processes have all ended. Returns the status handed over: nil when the pod was removed
    /// meanwhile, or when news arrived during this round (typically the exit of the container it
    /// started, while its Started event was being recorded): the next round renders a newer status,
    /// and only that one is handed over, so a short pod usually needs a single status write.
    private func publish(_ worker: PodWorker) async -> JSONValue? {
        let uid = worker.uid
        let pending = worker.events
        worker.events = []
        for event in pending { await events.record(event, about: worker.pod) }
        guard workers[uid] === worker else { return nil }
        logIndex.set(namespace: worker.namespace, name: worker.name, pod: worker.logEntry)
        if dirty.contains(uid) { return nil }
        let status = worker.status(now: now())
        statusWriter.set(uid: uid, namespace: worker.namespace, name: worker.name, status: status)
        if worker.readyForDeletion, !deleted.contains(uid) {
            deleted.insert(uid)
            // Watchers see the final status before the pod disappears, as with the kubelet.
            await statusWriter.flush(uid: uid)
            do {
                _ = try await client.delete(ResourceCatalog.pods, namespace: worker.namespace, name: worker.name,
                                            options: DeleteOptions(propagationPolicy: nil, gracePeriodSeconds: 0))
            } catch let error as StatusError where error.code == 404 {
                // Already gone.
            } catch {
                deleted.remove(uid)
                log("finishing the deletion of pod \(worker.namespace)/\(worker.name) failed: \(error)")
            }
        }
        return status
    }
}

/// Hands a worker to the blocking pool. `PodWorker` is not Sendable: the manager guarantees that
/// nothing else touches it while its sync runs there.
private struct WorkerHandle: @unchecked Sendable {
    let worker: PodWorker
}
