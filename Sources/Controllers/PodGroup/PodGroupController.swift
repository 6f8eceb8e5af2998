import Client
import ControllerRuntime
import Foundation
import Model

/// Keeps each PodGroup's status (phase, scheduled, running, succeeded, failed) in step with its
/// member pods, as the coscheduling plugin's PodGroup controller does; the decision is
/// `PodGroupStatusPlan` (pure). Members are found through the pod informer's podGroup index.
public final class PodGroupController: Reconciler, @unchecked Sendable {
    let client: any APIClient
    let clock: any TimeSource
    let podGroups: Informer
    let pods: Informer
    /// The work queue of PodGroup keys (`namespace/name`).
    public let queue: WorkQueue
    let writtenVersions = WrittenVersions()
    private var loop: ControllerLoop!

    public init(client: any APIClient, factory: SharedInformerFactory, clock: any TimeSource = SystemTimeSource(), workers: Int = 2) {
        self.client = client
        self.clock = clock
        podGroups = factory.informer(ResourceCatalog.podGroups)
        pods = factory.informer(ResourceCatalog.pods)
        queue = WorkQueue(name: "podgroup", clock: clock, backoff: RetryBackoff(base: 0.005, maximum: 60))
        loop = ControllerLoop(name: "podgroup", queue: queue, workers: workers, reconciler: WeakReconciler(self))
        podGroups.addHandler(WorkloadWiring.enqueueingKeys(queue))
        pods.addHandler(InformerHandler(
            onAdd: { [weak self] in self?.enqueueGroup(of: $0) },
            onUpdate: { [weak self] old, new in
                guard old != new else { return }
                self?.enqueueGroup(of: old)
                self?.enqueueGroup(of: new)
            },
            onDelete: { [weak self] in self?.enqueueGroup(of: $0) }))
    }

    /// Starts the workers (the factory is started by whoever owns it).
    public func start() { loop.start() }

    /// Stops the workers.
    public func stop() { loop.stop() }

    private func enqueueGroup(of pod: JSONValue) {
        guard let key = PodGroupSpec.groupKey(ofPod: pod), podGroups.get(key) != nil else { return }
        queue.add(key)
    }

    /// Writes the PodGroup's status when its members changed it.
    public func reconcile(_ key: String) async throws -> ReconcileResult {
        guard let group = podGroups.get(key) else {
            writtenVersions.forget(key)
            return .done
        }
        if writtenVersions.isBehind(key, cached: ObjectMetaView(group["metadata"]).resourceVersion) { return .done }
        let members = pods.byIndex(InformerIndex.podGroup, key).map(PodView.init)
        let status = PodGroupStatusPlan.status(minMember: PodGroupSpec(group).minMember, pods: members, existing: group["status"],
                                               now: clock.now)
        try await WorkloadWiring.writeStatus(status, to: group, resource: ResourceCatalog.podGroups, client: client, key: key,
                                             written: writtenVersions)
        return .done
    }
}
