import Client
import ControllerRuntime
import Foundation
import Model

/// The policy/v1 PodDisruptionBudget controller (upstream's pkg/controller/disruption): keeps each
/// budget's status — expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed, the
/// evictions still pending in disruptedPods, observedGeneration and the DisruptionAllowed
/// condition — which the eviction subresource spends and the scheduler's preemption respects.
/// It also turns a stale DisruptionTarget condition (an eviction or preemption that never
/// deleted its pod) back to False after two minutes, as upstream does.
///
/// Decisions are `DisruptionBudgetSync` (pure); this class holds the wiring: budget and pod
/// events → keys → work queue → `reconcile(key)` (DisruptionController+Sync.swift). Keys are a
/// budget's `namespace/name`, or `pod|namespace/name` for a pod whose condition may be stale.
public final class DisruptionController: Reconciler, @unchecked Sendable {
    let client: any APIClient
    let recorder: any EventRecording
    let clock: any TimeSource
    let budgets: Informer
    let pods: Informer
    let replicaSets: Informer
    let deployments: Informer
    /// The work queue of budget keys and `pod|` keys.
    public let queue: WorkQueue
    /// The budget's resourceVersion after our last status write, per key.
    let writtenVersions = WrittenVersions()
    private var loop: ControllerLoop!

    /// Prefix of the keys of pods whose DisruptionTarget condition may have gone stale.
    static let podKeyPrefix = "pod|"
    /// How long a DisruptionTarget=True condition may stay on a pod that is not being deleted
    /// (upstream's stalePodDisruptionTimeout).
    static let staleDisruptionTimeout: TimeInterval = 120

    public init(client: any APIClient, factory: SharedInformerFactory, recorder: any EventRecording,
                clock: any TimeSource = SystemTimeSource(), workers: Int = 2) {
        self.client = client
        self.recorder = recorder
        self.clock = clock
        budgets = factory.informer(ResourceCatalog.podDisruptionBudgets)
        pods = factory.informer(ResourceCatalog.pods)
        replicaSets = factory.informer(ResourceCatalog.replicaSets)
        deployments = factory.informer(ResourceCatalog.deployments)
        queue = WorkQueue(name: "disruption", clock: clock, backoff: RetryBackoff(base: 0.005, maximum: 60))
        loop = ControllerLoop(name: "disruption", queue: queue, workers: workers, reconciler: WeakReconciler(self))
        budgets.addHandler(WorkloadWiring.enqueueingKeys(queue))
        pods.addHandler(InformerHandler(
            onAdd: { [weak self] in self?.podChanged(nil, PodView($0)) },
            onUpdate: { [weak self] old, new in if old != new { self?.podChanged(PodView(old), PodView(new)) } },
            onDelete: { [weak self] in self?.podChanged(nil, PodView($0)) }))
    }

    /// Starts the workers (the factory is started by whoever owns it).
    public func start() { loop.start() }

    /// Stops the workers.
    public func stop() { loop.stop() }

    // MARK: Events → keys

    /// The keys of the budgets of `pod`'s namespace whose selector picks it.
    func budgetKeys(for pod: PodView) -> [String] {
        budgets.byIndex(InformerIndex.namespace, pod.namespace).compactMap { object in
            guard let selector = try? PodDisruptionBudgetView(object).podSelector(), selector.matches(pod.labels) else { return nil }
            return objectKey(object)
        }
    }

    /// A pod change wakes the budgets it belongs (or belonged) to, and schedules the clean-up of
    /// a DisruptionTarget condition that nothing acted on.
    private func podChanged(_ old: PodView?, _ pod: PodView) {
        var keys = Set(budgetKeys(for: pod))
        if let old, old.labels != pod.labels { keys.formUnion(budgetKeys(for: old)) }
        keys.forEach { queue.add($0) }
        if let wait = Self.staleDisruptionWait(pod, now: clock.now) {
            queue.addAfter(Self.podKeyPrefix + objectKey(pod.object), seconds: wait)
        }
    }

    /// Seconds until `pod`'s DisruptionTarget=True condition counts as stale (0: already), or nil
    /// when it has none that can go stale: the pod is being deleted or finished, or the condition
    /// came from the node itself (upstream's nonTerminatingPodHasStaleDisruptionCondition).
    static func staleDisruptionWait(_ pod: PodView, now: Date) -> Double? {
        guard !pod.isDeleting, !pod.isTerminal, let condition = pod.condition("DisruptionTarget"), condition.isTrue,
              condition.reason != "TerminationByKubelet" else { return nil }
        let since = condition.lastTransitionTime ?? now
        return max(0, staleDisruptionTimeout - now.timeIntervalSince(since))
    }
}
