import Client
import ControllerRuntime
import Foundation
import Model
import Scheduling

/// The scheduler loop: informers on pods and nodes feed a priority queue of pending pods and a
/// cache of the requests on every node; one scheduling thread takes pods in priority order, asks
/// the `Profile` for a node over a snapshot, assumes the placement at once, and binds through the
/// API's pods/binding subresource with many binds in flight. Pods that fit nowhere get the
/// PodScheduled=False condition and a FailedScheduling event, and are retried with back-off and
/// whenever the cluster changes.
public final class Scheduler: @unchecked Sendable {
    /// `spec.schedulerName` of the pods this scheduler takes.
    public let schedulerName: String
    let client: any APIClient
    let profile: Profile
    let clock: any TimeSource
    let options: SchedulerOptions
    let podInformer: Informer
    let nodeInformer: Informer
    /// PodGroups (scheduling.x-k8s.io), the gangs.
    let podGroupInformer: Informer
    /// PodDisruptionBudgets, which preemption spares where it can.
    let budgetInformer: Informer
    /// False when the informers are the shared factory's: others use them, so stop() leaves them.
    let ownsInformers: Bool
    let reporter: UnschedulableReporter
    /// Records the Preempted events of victims.
    let events: EventRecorder

    /// Guards everything below; the scheduling thread waits on it for work.
    let condition = NSCondition()
    var queue: SchedulingQueue
    var cache = SchedulerCache()
    var gangs = GangBook()
    var stats = SchedulerStats()
    var running = false
    var synced = false
    /// Where the next sampled window of nodes starts, for profiles that rotate it (as upstream does).
    var nextStartNode = 0
    /// Where the next preemptor's search for candidate nodes starts (upstream: a random offset).
    var nextPreemptionStart = 0
    /// Decided bindings not yet sent, oldest first.
    var pendingBindings: [PendingBinding] = []
    /// Binding requests (batches) outstanding.
    var bindRequestsInFlight = 0
    private var tickTask: Task<Void, Never>?
    private var syncTask: Task<Void, Never>?

    /// A scheduler for pods whose `spec.schedulerName` is `schedulerName`, talking to the API through
    /// `client`. With `informers` it takes the process's shared pod and node informers (unless its
    /// `options.nodeSelector` narrows the nodes it manages) instead of watching on its own.
    public init(client: any APIClient, profile: Profile = .binPacking, schedulerName: String = "default-scheduler",
                clock: any TimeSource = SystemTimeSource(), options: SchedulerOptions = SchedulerOptions(),
                informers: SharedInformerFactory? = nil) {
        self.client = client
        var profile = profile
        profile.percentageOfNodesToScore = options.percentageOfNodesToScore
        self.profile = profile
        self.schedulerName = schedulerName
        self.clock = clock
        self.options = options
        queue = SchedulingQueue(initialBackoff: options.initialBackoff, maximumBackoff: options.maximumBackoff)
        if let informers, options.nodeSelector == nil {
            podInformer = informers.informer(ResourceCatalog.pods)
            nodeInformer = informers.informer(ResourceCatalog.nodes)
            podGroupInformer = informers.informer(ResourceCatalog.podGroups)
            budgetInformer = informers.informer(ResourceCatalog.podDisruptionBudgets)
            ownsInformers = false
        } else {
            podInformer = Informer(client: client, resource: ResourceCatalog.pods, clock: clock)
            nodeInformer = Informer(client: client, resource: ResourceCatalog.nodes, labelSelector: options.nodeSelector, clock: clock)
            podGroupInformer = Informer(client: client, resource: ResourceCatalog.podGroups, clock: clock)
            budgetInformer = Informer(client: client, resource: ResourceCatalog.podDisruptionBudgets, clock: clock)
            ownsInformers = true
        }
        reporter = UnschedulableReporter(client: client, component: schedulerName, clock: clock)
        events = EventRecorder(client: client, component: schedulerName, clock: clock)
        podInformer.addHandler(InformerHandler(onAdd: { [weak self] in self?.podChanged($0) },
                                               onUpdate: { [weak self] in self?.podChanged($1) },
                                               onDelete: { [weak self] in self?.podDeleted($0) }))
        nodeInformer.addHandler(InformerHandler(onAdd: { [weak self] in self?.nodeChanged($0) },
                                                onUpdate: { [weak self] in self?.nodeChanged($1) },
                                                onDelete: { [weak self] in self?.nodeDeleted($0) }))
        SchedulerMetrics.pending.observe { [weak self] in
            guard let self else { return nil }
            condition.lock()
            defer { condition.unlock() }
            return [(["active"], Double(queue.activeCount)), (["backoff"], Double(queue.backoffCount)),
                    (["gated"], Double(gangs.pendingCount))]
        }
        podGroupInformer.addHandler(InformerHandler(onAdd: { [weak self] in self?.podGroupChanged($0) },
                                                    onUpdate: { [weak self] in self?.podGroupChanged($1) },
                                                    onDelete: { [weak self] in self?.podGroupDeleted($0) }))
    }

    /// Starts the informers, the scheduling thread and the back-off timer.
    public func start() {
        let first = condition.withLock { () -> Bool in
            defer { running = true }
            return !running
        }
        guard first else { return }
        podInformer.start()
        nodeInformer.start()
        podGroupInformer.start()
        budgetInformer.start()
        syncTask = Task { [weak self] in await self?.waitForInformers() }
        tickTask = Task { [weak self] in await self?.tickLoop() }
        let thread = Thread { [weak self] in self?.schedulingLoop() }
        thread.name = "scheduler"
        thread.start()
    }

    /// Stops scheduling; binds already sent finish on their own.
    public func stop() {
        condition.withLock {
            running = false
            condition.broadcast()
        }
        if ownsInformers {
            podInformer.stop()
            nodeInformer.stop()
            podGroupInformer.stop()
            budgetInformer.stop()
        }
        syncTask?.cancel()
        tickTask?.cancel()
    }

    /// Returns once the informers have delivered their first lists (or the scheduler stopped).
    public func waitForSync() async {
        await podInformer.waitForSync()
        await nodeInformer.waitForSync()
        await podGroupInformer.waitForSync()
        await budgetInformer.waitForSync()
    }

    /// The scheduler's counters right now.
    public var currentStats: SchedulerStats {
        condition.withLock {
            var s = stats
            s.active = queue.activeCount
            s.backingOff = queue.backoffCount
            s.assumed = cache.assumedCount
            return s
        }
    }

    private func waitForInformers() async {
        await waitForSync()
        condition.withLock {
            synced = true
            condition.broadcast()
        }
    }

    private func tickLoop() async {
        while !Task.isCancelled {
            do { try await clock.sleep(seconds: options.tick) } catch { return }
            let now = clock.now
            let reports = condition.withLock { () -> [GangReport] in
                _ = cache.expireAssumptions(now: now)
                if queue.activateExpired(now: now) > 0 { condition.broadcast() }
                return incompleteGangReports(now: now)
            }
            reports.forEach(deliver)
        }
    }

    // MARK: Informer events

    func podChanged(_ object: JSONValue) {
        let key = objectKey(object)
        let nodeName = object.value(at: ["spec", "nodeName"])?.string ?? ""
        let phase = object.value(at: ["status", "phase"])?.string ?? ""
        let finished = phase == "Succeeded" || phase == "Failed"
        let group = PodGroupSpec.groupKey(ofPod: object)
        condition.withLock {
            if !nodeName.isEmpty {
                queue.remove(key)
                // A gang counts members that run or ran to success; a failed one must be replaced.
                if let group { gangMemberSettled(group, key: key, placed: phase != "Failed") }
                if finished {
                    // A finished pod no longer holds its node's resources: room for parked pods.
                    if let node = cache.placement(of: key) {
                        cache.removePod(key)
                        roomFreed(on: node)
                    }
                } else {
                    cache.observeBound(key, pod: PodInfo(object), node: nodeName)
                }
                return
            }
            let mine = (object.value(at: ["spec", "schedulerName"])?.string ?? "default-scheduler") == schedulerName
            guard mine, !finished, object.value(at: ["metadata", "deletionTimestamp"]) == nil else {
                queue.remove(key)
                if let group { gangMemberSettled(group, key: key, placed: false) }
                return
            }
            // Decisions happen under the lock, so a pod is either queued, assumed, or neither.
            guard !cache.isAssumed(key) else { return }
            if let group {
                gangMemberPending(group, key: key, pod: PodInfo(object))
                return
            }
            queue.add(PodInfo(object), key: key)
            condition.signal()
        }
    }

    func podDeleted(_ object: JSONValue) {
        let key = objectKey(object)
        let group = PodGroupSpec.groupKey(ofPod: object)
        condition.withLock {
            queue.remove(key)
            if let group { gangMemberSettled(group, key: key, placed: false) }
            let node = cache.placement(of: key)
            cache.removePod(key)
            if let node { roomFreed(on: node) }
        }
        reporter.forget(podKey: key)
    }

    func nodeChanged(_ object: JSONValue) {
        let node = NodeInfo(object)
        condition.withLock {
            if cache.setNode(node) { wake(queue.activateAll()) }
        }
    }

    func nodeDeleted(_ object: JSONValue) {
        let name = object.value(at: ["metadata", "name"])?.string ?? ""
        condition.withLock { cache.removeNode(name) }
    }

    /// A pod left `node` (finished or deleted): the preemptors nominated there, and the first
    /// other parked pod in queue order, get an attempt now. Called with the lock held.
    private func roomFreed(on node: String) {
        wake(queue.activate(cache.nominated(on: node)) + queue.activateFirst())
    }

    /// Wakes the scheduling thread when pods became active. Called with the lock held.
    func wake(_ activated: Int) {
        if activated > 0 { condition.broadcast() }
    }
}
