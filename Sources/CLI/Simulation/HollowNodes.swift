import Client
import Foundation
import Model

/// Hollow nodes (kubemark's idea): Node objects that look alive — Ready, with capacity and
/// nodeInfo, heartbeating as the agent does (the node Lease renewed every 10 s, the status
/// reported every 5 min, both spread evenly over the nodes) — and report the pods bound to them
/// Running and Ready (and Succeeded after a simulated run time; a pod whose run time is 0 only
/// Succeeded) through pods/status, without
/// running anything; a pod annotated `drover.dev/sim-run-seconds` takes its own time. `failing` nodes go dark after `failAfter` seconds: no more heartbeats, no pod
/// reports, deletions left unfinished, as a node whose agent died.
final class HollowNodes: @unchecked Sendable {
    struct Settings: Sendable, Equatable {
        var count: Int
        var prefix: String
        var cpu: String
        var memory: String
        var pods: Int
        var labels: [String: String]
        /// Seconds after which Never/OnFailure pods are reported Succeeded; nil keeps them running.
        var runSeconds: Double?
        /// How many nodes (the last ones) stop heartbeating and reporting…
        var failing = 0
        /// …this many seconds after `start()`; nil: when `failNow()` is called.
        var failAfter: Double? = 0
    }

    /// A pod's own simulated run time in seconds (e.g. "0.2"), overriding `runSeconds`: what a
    /// Job's template carries to make its pods take that long on hollow nodes.
    static let runSecondsAnnotation = "drover.dev/sim-run-seconds"

    /// The Lease renewal period and the status report period of every node.
    static let leaseSeconds = Int(NodeLease.renewInterval)
    static let statusSeconds = 300
    /// Concurrent API requests while registering and reporting pods.
    static let parallelism = 16
    /// Concurrent heartbeat requests, on a lane of their own so a burst of pod reports never
    /// delays a Lease renewal past the node lifecycle controller's grace period.
    static let heartbeatParallelism = 16

    let settings: Settings
    private let client: any APIClient
    private let informer: Informer
    /// The hollow nodes as the API has them: one the node lifecycle controller marked Unknown (a
    /// renewal came late) reports Ready again at once, as the agent does when the API's status
    /// differs from its own.
    private let nodeInformer: Informer
    private let work: AsyncStream<@Sendable () async -> Void>
    private let submit: AsyncStream<@Sendable () async -> Void>.Continuation
    private let beats: AsyncStream<@Sendable () async -> Void>
    private let submitBeat: AsyncStream<@Sendable () async -> Void>.Continuation
    /// Heartbeats queued or under way (`lease|node`, `status|node`): a node whose last one has not
    /// finished skips its turn, so an overloaded server stretches the period instead of growing a
    /// backlog that would make every renewal late.
    private var pendingBeats: Set<String> = []
    private let lock = NSLock()
    private var handled: Set<String> = []
    private var uids: [String: String] = [:]
    private var dark: Set<String> = []
    private var counts = (running: 0, succeeded: 0)
    private var tasks: [Task<Void, Never>] = []

    init(client: any APIClient, settings: Settings) {
        self.client = client
        self.settings = settings
        // Bound pods only, as a kubelet watches only its node's pods: the unbound ones are none
        // of a node's business, and skipping them spares a third of the events at scale.
        informer = Informer(client: client, resource: ResourceCatalog.pods, fieldSelector: "spec.nodeName!=")
        nodeInformer = Informer(client: client, resource: ResourceCatalog.nodes, labelSelector: "drover.dev/hollow=true")
        (work, submit) = AsyncStream.makeStream(of: (@Sendable () async -> Void).self)
        (beats, submitBeat) = AsyncStream.makeStream(of: (@Sendable () async -> Void).self)
    }

    var names: [String] { (0..<settings.count).map { "\(settings.prefix)\($0)" } }
    /// The nodes that go dark.
    var failingNames: [String] { Array(names.suffix(settings.failing)) }
    var reported: Int { lock.withLock { counts.running } }
    var succeeded: Int { lock.withLock { counts.succeeded } }

    /// Creates (or refreshes) every node and marks it Ready.
    func register() async throws {
        let nodes = ResourceCatalog.nodes
        try await forEachConcurrently(names) { [self] name in
            let object = node(name)
            let stored: JSONValue
            do {
                stored = try await client.create(nodes, namespace: nil, object: object)
            } catch let error as StatusError where error.code == 409 {
                stored = try await client.get(nodes, namespace: nil, name: name)
            }
            var withStatus = stored
            withStatus["status"] = object["status"]
            _ = try await client.updateStatus(nodes, namespace: nil, object: withStatus)
            let uid = NodeView(stored).metadata.uid
            lock.withLock { uids[name] = uid }
            try await client.renewNodeLease(node: name, nodeUID: uid, now: Date())
        }
    }

    /// Starts heartbeats and pod reporting.
    func start() {
        let mine = Set(names)
        informer.addHandler(InformerHandler(onAdd: { [self] in podChanged($0, mine) }, onUpdate: { [self] in podChanged($1, mine) }))
        informer.start()
        nodeInformer.addHandler(InformerHandler(onAdd: { [self] in nodeChanged($0, mine) }, onUpdate: { [self] in nodeChanged($1, mine) }))
        nodeInformer.start()
        var started: [Task<Void, Never>] = []
        for _ in 0..<Self.parallelism {
            started.append(Task { [work] in for await job in work { await job() } })
        }
        for _ in 0..<Self.heartbeatParallelism {
            started.append(Task { [beats] in for await job in beats { await job() } })
        }
        started.append(Task { [self] in await heartbeatLoop() })
        lock.withLock { tasks = started }
    }

    func stop() {
        informer.stop()
        nodeInformer.stop()
        submit.finish()
        submitBeat.finish()
        lock.withLock { tasks }.forEach { $0.cancel() }
    }

    func deleteAll() async throws {
        try await forEachConcurrently(names) { [client] name in
            _ = try? await client.delete(ResourceCatalog.nodes, namespace: nil, name: name)
        }
    }

    // MARK: Nodes

    private func node(_ name: String) -> JSONValue {
        let resources: JSONValue = ["cpu": .string(settings.cpu), "memory": .string(settings.memory),
                                    "pods": .string(String(settings.pods)), "ephemeral-storage": "100Gi"]
        var labels = settings.labels
        labels["kubernetes.io/hostname"] = name
        labels["drover.dev/hollow"] = "true"
        return ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name), "labels": .stringMap(labels)],
                "spec": .emptyObject,
                "status": ["capacity": resources, "allocatable": resources,
                           "conditions": conditions(now: Date(), changed: true),
                           "nodeInfo": ["kubeletVersion": "drover-sim", "operatingSystem": "linux", "architecture": "amd64",
                                        "osImage": "hollow", "kernelVersion": "hollow", "containerRuntimeVersion": "hollow://0",
                                        "machineID": .string(name), "systemUUID": .string(name), "bootID": .string(name)],
                           "addresses": [["type": "Hostname", "address": .string(name)]]]]
    }

    /// The conditions a live hollow node reports: Ready, no pressure; lastTransitionTime only when
    /// they `changed` (a strategic merge patch without it keeps the stored one).
    private func conditions(now: Date, changed: Bool) -> JSONValue {
        let stamp = JSONValue.string(Timestamp.format(now))
        let all: [(String, String, String, String)] = [
            ("Ready", "True", "KubeletReady", "hollow node is posting ready status"),
            ("MemoryPressure", "False", "KubeletHasSufficientMemory", "hollow node has sufficient memory available"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "hollow node has no disk pressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID", "hollow node has sufficient PID available"),
        ]
        return .array(all.map { type, status, reason, message in
            var condition: JSONValue = ["type": .string(type), "status": .string(status), "reason": .string(reason),
                                        "message": .string(message), "lastHeartbeatTime": stamp]
            if changed { condition["lastTransitionTime"] = stamp }
            return condition
        })
    }

    /// Patches the node's conditions (through nodes/status).
    private func reportStatus(_ name: String, changed: Bool) async {
        _ = try? await client.patch(ResourceCatalog.nodes, namespace: nil, name: name, type: .strategicMerge,
                                    body: ["status": ["conditions": conditions(now: Date(), changed: changed)]], subresource: "status")
    }

    /// A live hollow node whose Ready condition is not True (the node lifecycle controller's
    /// Unknown) says it is ready again.
    private func nodeChanged(_ node: JSONValue, _ mine: Set<String>) {
        let view = NodeView(node)
        guard mine.contains(view.name), !isDark(view.name), view.readyStatus != "True" else { return }
        beat("status|" + view.name) { [self] in await reportStatus(view.name, changed: true) }
    }

    /// Every second: the nodes whose turn it is renew their Lease (each every 10 s) or report their
    /// status (each every 5 min); node i takes its turn at second i·period/N of each period, so
    /// the load is even. The failing nodes stop once `failAfter` has passed.
    private func heartbeatLoop() async {
        let all = names
        let started = Date()
        var tick = 0
        while !Task.isCancelled {
            do { try await Task.sleep(nanoseconds: 1_000_000_000) } catch { return }
            tick += 1
            if let failAfter = settings.failAfter, Date().timeIntervalSince(started) >= failAfter { failNow() }
            let silent = lock.withLock { dark }
            for (i, name) in all.enumerated() where !silent.contains(name) {
                if (tick + i * Self.leaseSeconds / all.count) % Self.leaseSeconds == 0 {
                    let uid = lock.withLock { uids[name] }
                    beat("lease|" + name) { [client] in try? await client.renewNodeLease(node: name, nodeUID: uid, now: Date()) }
                }
                if (tick + i * Self.statusSeconds / all.count) % Self.statusSeconds == 0 {
                    beat("status|" + name) { [self] in await reportStatus(name, changed: false) }
                }
            }
        }
    }

    /// Queues a heartbeat unless the previous one of the same `key` is still pending.
    private func beat(_ key: String, _ job: @escaping @Sendable () async -> Void) {
        guard lock.withLock({ pendingBeats.insert(key).inserted }) else { return }
        submitBeat.yield { [self] in
            await job()
            _ = lock.withLock { pendingBeats.remove(key) }
        }
    }

    /// The failing nodes go dark now (at once if `failAfter` has passed already).
    func failNow() {
        let names = Set(failingNames)
        lock.withLock { if dark.isEmpty { dark = names } }
    }

    /// True once `name` has gone dark.
    func isDark(_ name: String) -> Bool { lock.withLock { dark.contains(name) } }

    // MARK: Pods

    private func podChanged(_ pod: JSONValue, _ mine: Set<String>) {
        guard let node = pod.value(at: ["spec", "nodeName"])?.string, mine.contains(node), !isDark(node) else { return }
        let key = objectKey(pod)
        if pod.value(at: ["metadata", "deletionTimestamp"]) != nil {
            // A kubelet finishes a graceful deletion once its containers are gone; here they never ran.
            submit.yield { [client] in
                _ = try? await client.delete(ResourceCatalog.pods, namespace: pod.value(at: ["metadata", "namespace"])?.string,
                                             name: pod.value(at: ["metadata", "name"])?.string ?? "",
                                             options: DeleteOptions(propagationPolicy: nil, gracePeriodSeconds: 0))
            }
            return
        }
        let phase = pod.value(at: ["status", "phase"])?.string ?? "Pending"
        guard phase == "Pending", lock.withLock({ handled.insert(key).inserted }) else { return }
        submit.yield { [self] in await run(pod, node: node) }
    }

    private func run(_ pod: JSONValue, node: String) async {
        let started = Timestamp.format(Date())
        let policy = pod.value(at: ["spec", "restartPolicy"])?.string ?? "Always"
        let own = pod.value(at: ["metadata", "annotations", Self.runSecondsAnnotation])?.string.flatMap(Double.init)
        let runSeconds = policy == "Never" || policy == "OnFailure" ? own ?? settings.runSeconds : nil
        // A pod that finishes before its first report is reported once, finished, as a kubelet's
        // status manager sends only the newest status of a pod whose containers already exited.
        if runSeconds == 0 {
            if await !finish(pod, started: started) { lock.withLock { _ = handled.remove(objectKey(pod)) } }
            return
        }
        let containers = containerStatuses(pod, state: ["running": ["startedAt": .string(started)]], running: true)
        let running: JSONValue = ["status": ["phase": "Running", "hostIP": "10.0.0.1", "podIP": "10.0.0.2", "startTime": .string(started),
                                             "conditions": conditions(ready: true, now: started), "containerStatuses": .array(containers)]]
        guard await report(pod, running) else {
            lock.withLock { _ = handled.remove(objectKey(pod)) }
            return
        }
        lock.withLock { counts.running += 1 }
        guard let runSeconds else { return }
        Task { [self] in
            try? await Task.sleep(nanoseconds: UInt64(runSeconds * 1e9))
            submit.yield { [self] in await finish(pod, started: started) }
        }
    }

    /// Reports the pod Succeeded; false when the API refused it.
    @discardableResult
    private func finish(_ pod: JSONValue, started: String) async -> Bool {
        let now = Timestamp.format(Date())
        let containers = containerStatuses(pod, state: ["terminated": ["exitCode": 0, "reason": "Completed", "startedAt": .string(started),
                                                                         "finishedAt": .string(now)]], running: false)
        let body: JSONValue = ["status": ["phase": "Succeeded", "hostIP": "10.0.0.1", "podIP": "10.0.0.2", "startTime": .string(started),
                                          "conditions": conditions(ready: false, now: now), "containerStatuses": .array(containers)]]
        guard await report(pod, body) else { return false }
        lock.withLock { counts.succeeded += 1 }
        return true
    }

    /// The pod's containers' statuses, each in `state`.
    private func containerStatuses(_ pod: JSONValue, state: JSONValue, running: Bool) -> [JSONValue] {
        (pod.value(at: ["spec", "containers"])?.array ?? []).map { container -> JSONValue in
            ["name": container["name"] ?? "main", "ready": .bool(running), "started": .bool(running), "restartCount": 0,
             "image": container["image"] ?? "", "imageID": "", "state": state]
        }
    }

    /// Patches the pod's status with `body`; false when the API refused it.
    private func report(_ pod: JSONValue, _ body: JSONValue) async -> Bool {
        (try? await client.patch(ResourceCatalog.pods, namespace: pod.value(at: ["metadata", "namespace"])?.string,
                                 name: pod.value(at: ["metadata", "name"])?.string ?? "", type: .strategicMerge,
                                 body: body, subresource: "status")) != nil
    }

    private func conditions(ready: Bool, now: String) -> JSONValue {
        let status: JSONValue = ready ? "True" : "False"
        return .array(["PodScheduled", "Initialized", "ContainersReady", "Ready"].map { type -> JSONValue in
            ["type": .string(type), "status": type == "PodScheduled" || type == "Initialized" ? "True" : status,
             "lastProbeTime": .null, "lastTransitionTime": .string(now)]
        })
    }

    /// Runs `body` over `items` with `parallelism` requests in flight; the first error wins.
    private func forEachConcurrently(_ items: [String], _ body: @escaping @Sendable (String) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var iterator = items.makeIterator()
            for _ in 0..<Self.parallelism {
                guard let item = iterator.next() else { break }
                group.addTask { try await body(item) }
            }
            while try await group.next() != nil {
                if let item = iterator.next() { group.addTask { try await body(item) } }
            }
        }
    }
}
