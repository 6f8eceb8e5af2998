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
    /// The last status written (or read) per pod uid; a sync writes only when it differs.
    private var written: [String: JSONValue] = [:]
    private var syncing: Set<String> = []
    private var dirty: Set<String> = []
    /// Finished pods (Succeeded or Failed, nothing running, not being deleted) whose final status is
    /// published: the periodic tick skips them; a watch event about them brings them back.
    private var settled: Set<String> = []
    private var deleted: Set<String> = []
    private let wakeups: AsyncStream<String>
    private let wakeupSink: AsyncStream<String>.Continuation

    public init(client: any APIClient, runtime: any ProcessRuntime, probes: any ProbeExecutor,
                configuration: AgentConfiguration, now: @escaping @Sendable () -> Date = { Date() },
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.client = client
        self.runtime = runtime
        self.probes = probes
        self.now = now
        self.log = log
        self.events = EventRecorder(client: client, nodeName: configuration.nodeName, now: now, log: log)
        (wakeups, wakeupSink) = AsyncStream.makeStream(of: String.self)
        let sink = wakeupSink
        let mailbox = ExitMailbox { id in sink.yield(String(id.prefix { $0 != "/" })) }
        context = WorkerContext(nodeName: configuration.nodeName, nodeIP: configuration.nodeIP, paths: configuration.paths,
                                pidsLimit: configuration.podPidsLimit, runtime: runtime, mailbox: mailbox)
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

    /// A watch event about a pod bound here.
    public func apply(_ event: WatchEvent) {
        guard let uid = event.object.value(at: ["metadata", "uid"])?.string else { return }
        switch event.type {
        case .added, .modified: _ = add(event.object, adoptable: [:])
        case .deleted: remove(uid)
        case .bookmark, .error: break
        }
    }

    /// Syncs every pod once, one after another (tests; the run loop uses `tick`).
    public func syncAll() async {
        for uid in workers.keys.sorted() { await sync(uid: uid) }
    }

    /// Syncs every pod concurrently.
    func tick() {
        for uid in workers.keys where !settled.contains(uid) { Task { await self.sync(uid: uid) } }
    }

    /// Uids of pods whose processes exited, as they happen.
    nonisolated var exitWakeups: AsyncStream<String> { wakeups }

    /// Moves one pod forward and publishes the result; a sync requested while one runs is folded
    /// into another round of the running one.
    public func sync(uid: String) async {
        guard workers[uid] != nil else { return }
        if syncing.contains(uid) {
            dirty.insert(uid)
            return
        }
        syncing.insert(uid)
        defer { syncing.remove(uid) }
        repeat {
            dirty.remove(uid)
            guard let worker = workers[uid] else { return }
            worker.sync(now: now())
            let due = worker.dueProbes(now: now())
            for probe in due {
                let outcome = await probes.run(probe.request)
                worker.recordProbe(probe, outcome: outcome, now: now())
            }
            if !due.isEmpty { worker.sync(now: now()) }
            await publish(worker)
            if ["Succeeded", "Failed"].contains(worker.phase) && !worker.anyRunning && !worker.isDeleting,
               written[uid] == worker.status(now: now()) {
                settled.insert(uid)
            }
        } while dirty.contains(uid)
    }

    private func add(_ pod: JSONValue, adoptable: [String: Int32]) -> Set<String> {
        guard let uid = pod.value(at: ["metadata", "uid"])?.string else { return [] }
        if let worker = workers[uid] {
            worker.update(pod)
            settled.remove(uid)
            return []
        }
        let worker = PodWorker(pod: pod, context: context)
        let adopted = worker.restore(adoptable: adoptable, now: now())
        workers[uid] = worker
        written[uid] = pod["status"]
        return adopted
    }

    /// The pod is gone from this node: stop whatever still runs, and remove its directory (logs,
    /// scratch, emptyDirs) and the mount points created for it unless processes still have their
    /// grace period to use them.
    private func remove(_ uid: String) {
        guard let worker = workers.removeValue(forKey: uid) else { return }
        settled.remove(uid)
        if worker.anyRunning {
            worker.stopAll(reason: "the pod was deleted", now: now())
        } else {
            MountPoints.removeRecorded(context.paths.mountPoints(uid))
            try? FileManager.default.removeItem(atPath: context.paths.pod(uid))
        }
        written[uid] = nil
        deleted.remove(uid)
        logIndex.set(namespace: worker.namespace, name: worker.name, pod: nil)
    }

    /// Events, the status if it changed, the log index, and the final DELETE once a deleted pod's
    /// processes have all ended.
    private func publish(_ worker: PodWorker) async {
        let uid = worker.uid
        let pending = worker.events
        worker.events = []
        for event in pending { await events.record(event, about: worker.pod) }
        logIndex.set(namespace: worker.namespace, name: worker.name, pod: worker.logEntry)
        let status = worker.status(now: now())
        if status != written[uid] {
            let body: JSONValue = ["apiVersion": "v1", "kind": "Pod",
                                   "metadata": ["name": .string(worker.name), "namespace": .string(worker.namespace)],
                                   "status": status]
            do {
                _ = try await client.updateStatus(ResourceCatalog.pods, namespace: worker.namespace, object: body)
                written[uid] = status
            } catch {
                log("writing the status of pod \(worker.namespace)/\(worker.name) failed: \(error)")
            }
        }
        if worker.readyForDeletion, !deleted.contains(uid) {
            deleted.insert(uid)
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
    }
}
