import Client
import ControllerRuntime
import Foundation
import Model

/// Upstream's taint eviction controller: a pod on a node with a NoExecute taint it does not
/// tolerate is deleted at once; one that tolerates it for tolerationSeconds is deleted when they
/// run out (a timer on the work queue, on the injected clock). Before the delete the pod gets
/// `DisruptionTarget=True` (reason DeletionByTaintManager), so a Job's podFailurePolicy can tell
/// the eviction from a failure of its own; the delete is graceful, and the pod's controller
/// replaces it as soon as it carries a deletionTimestamp.
///
/// A node tainted unreachable has no agent to finish a graceful deletion. Upstream leaves such a
/// pod Terminating until the node comes back or is marked out-of-service; Drover finishes it
/// itself once the pod's grace period has run out — phase Failed, then a delete with grace 0 — as
/// upstream's pod garbage collector does on out-of-service nodes, so Jobs that wait for a Failed
/// pod (podFailurePolicy, podReplacementPolicy Failed) go on without the dead agent.
public final class TaintEvictionController: Reconciler, @unchecked Sendable {
    let client: any APIClient
    let recorder: any EventRecording
    let clock: any TimeSource
    let pods: Informer
    let nodes: Informer
    /// The work queue of pod keys (`namespace/name`).
    public let queue: WorkQueue
    private let lock = NSLock()
    /// Pods with a deletion scheduled, for the cancelling Event.
    private var scheduled: Set<String> = []
    /// When a NoExecute taint without `timeAdded` was first seen (`node|key|effect`).
    private var firstSeen: [String: Date] = [:]
    private var loop: ControllerLoop!

    public init(client: any APIClient, factory: SharedInformerFactory, recorder: any EventRecording,
                clock: any TimeSource = SystemTimeSource(), workers: Int = 4) {
        self.client = client
        self.recorder = recorder
        self.clock = clock
        pods = factory.informer(ResourceCatalog.pods)
        nodes = factory.informer(ResourceCatalog.nodes)
        queue = WorkQueue(name: "tainteviction", clock: clock, backoff: RetryBackoff(base: 0.01, maximum: 60))
        loop = ControllerLoop(name: "tainteviction", queue: queue, workers: workers, reconciler: WeakReconciler(self))
        nodes.addHandler(InformerHandler(
            onAdd: { [weak self] in self?.nodeChanged(nil, NodeView($0)) },
            onUpdate: { [weak self] old, new in self?.nodeChanged(NodeView(old), NodeView(new)) }))
        pods.addHandler(InformerHandler(
            onAdd: { [weak self] in self?.podChanged(nil, PodView($0)) },
            onUpdate: { [weak self] old, new in self?.podChanged(PodView(old), PodView(new)) },
            onDelete: { [weak self] in self?.forgetScheduled(objectKey($0)) }))
    }

    /// Starts the workers (the factory is started by whoever owns it).
    public func start() { loop.start() }

    /// Stops the workers.
    public func stop() { loop.stop() }

    // MARK: Events → keys

    static func noExecuteTaints(_ node: NodeView?) -> [Taint] { node?.taints.filter { $0.effect == "NoExecute" } ?? [] }

    /// A change of a node's NoExecute taints re-decides every pod on it.
    private func nodeChanged(_ old: NodeView?, _ new: NodeView) {
        let taints = Self.noExecuteTaints(new)
        guard taints != Self.noExecuteTaints(old) else { return }
        for key in pods.keys(inIndex: InformerIndex.nodeName, new.name) { queue.add(key) }
    }

    /// A pod arriving on a tainted node, changing tolerations there, or starting its deletion there.
    private func podChanged(_ old: PodView?, _ new: PodView) {
        guard let node = new.nodeName else { return }
        if let old, old.nodeName == node, old.object["spec"]?["tolerations"] == new.object["spec"]?["tolerations"],
           old.isDeleting == new.isDeleting { return }
        guard !Self.noExecuteTaints(nodes.get(node).map(NodeView.init)).isEmpty else { return }
        queue.add(objectKey(new.object))
    }

    private func forgetScheduled(_ key: String) { _ = lock.withLock { scheduled.remove(key) } }

    // MARK: Sync

    /// Decides one pod: nothing, a timer, the eviction, or finishing its deletion on an unreachable node.
    public func reconcile(_ key: String) async throws -> ReconcileResult {
        guard let object = pods.get(key) else {
            forgetScheduled(key)
            return .done
        }
        let pod = PodView(object)
        let node = pod.nodeName.flatMap { nodes.get($0) }.map(NodeView.init)
        let taints = Self.noExecuteTaints(node)
        let now = clock.now
        if pod.isDeleting {
            forgetScheduled(key)
            guard let due = TaintEviction.finishDeletionAt(pod, nodeTaints: taints) else { return .done }
            if due > now { return .requeue(after: due.timeIntervalSince(now)) }
            try await finishDeletion(pod)
            return .done
        }
        guard let node else { return .done }
        let since = taints.map { taint in
            TaintEviction.TaintSince(taint: taint, since: max(addedAt(taint, on: node, now: now), TaintEviction.arrival(of: pod) ?? .distantPast))
        }
        let tolerations = (pod.object["spec"]?["tolerations"]?.array ?? []).compactMap(Toleration.init)
        switch TaintEviction.decide(since, tolerations: tolerations, now: now) {
        case .keep:
            if lock.withLock({ scheduled.remove(key) }) != nil {
                recorder.record(object, type: "Normal", reason: "TaintManagerEviction", message: "Cancelling deletion of Pod \(key)")
            }
            return .done
        case .evictAt(let time):
            _ = lock.withLock { scheduled.insert(key) }
            return .requeue(after: time.timeIntervalSince(now))
        case .evict:
            forgetScheduled(key)
            try await evict(pod, key: key, now: now)
            return .done
        }
    }

    /// When `taint` was put on `node`: its `timeAdded`, else when this controller first saw it.
    private func addedAt(_ taint: Taint, on node: NodeView, now: Date) -> Date {
        if let added = node.timeAdded(taint) { return added }
        let key = "\(node.name)|\(taint.key)|\(taint.effect)"
        return lock.withLock {
            if let seen = firstSeen[key] { return seen }
            firstSeen[key] = now
            return now
        }
    }

    /// upstream's addConditionAndDeletePod: DisruptionTarget on the status, an Event, a graceful delete.
    private func evict(_ pod: PodView, key: String, now: Date) async throws {
        do {
            if !pod.isDisruptionTarget {
                let condition: JSONValue = ["type": "DisruptionTarget", "status": "True", "reason": .string(TaintEviction.conditionReason),
                                            "message": .string(TaintEviction.conditionMessage),
                                            "lastTransitionTime": .string(Timestamp.format(now))]
                _ = try await client.patch(ResourceCatalog.pods, namespace: pod.namespace, name: pod.name, type: .strategicMerge,
                                           body: ["status": ["conditions": [condition]]], subresource: "status")
            }
            recorder.record(pod.object, type: "Normal", reason: "TaintManagerEviction", message: "Marking for deletion Pod \(key)")
            _ = try await client.delete(ResourceCatalog.pods, namespace: pod.namespace, name: pod.name,
                                        options: DeleteOptions(preconditionUID: pod.uid))
        } catch let error as StatusError where error.code == 404 || error.code == 409 {
            return  // gone, or replaced by another pod of that name
        }
    }

    /// Upstream's pod GC on an out-of-service node: phase Failed (the agent will never say so),
    /// then a delete with no grace.
    private func finishDeletion(_ pod: PodView) async throws {
        do {
            _ = try await client.patch(ResourceCatalog.pods, namespace: pod.namespace, name: pod.name, type: .merge,
                                       body: ["status": ["phase": "Failed"]], subresource: "status")
            _ = try await client.delete(ResourceCatalog.pods, namespace: pod.namespace, name: pod.name,
                                        options: DeleteOptions(gracePeriodSeconds: 0, preconditionUID: pod.uid))
        } catch let error as StatusError where error.code == 404 || error.code == 409 {
            return
        }
    }
}
