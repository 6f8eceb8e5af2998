import Client
import ControllerRuntime
import Foundation
import Model

extension DisruptionController {
    /// One sync: a budget's status, or (for a `pod|` key) a stale DisruptionTarget condition.
    public func reconcile(_ key: String) async throws -> ReconcileResult {
        if key.hasPrefix(Self.podKeyPrefix) { return try await clearStaleDisruption(String(key.dropFirst(Self.podKeyPrefix.count))) }
        guard let object = budgets.get(key) else {
            writtenVersions.forget(key)
            return .done
        }
        let pdb = PodDisruptionBudgetView(object)
        // Our last status write has not reached the cache: its own event brings the key back.
        if writtenVersions.isBehind(key, cached: pdb.metadata.resourceVersion) { return .done }
        let now = clock.now
        let plan: DisruptionBudgetSync.Plan
        do {
            let selector = try pdb.podSelector()
            let pods = selector.map { selector in
                self.pods.byIndex(InformerIndex.namespace, pdb.namespace).map(PodView.init).filter { selector.matches($0.labels) }
            } ?? []
            plan = DisruptionBudgetSync.plan(pdb, pods: pods, scale: { [replicaSets, deployments] reference in
                DisruptionBudgetSync.scale(of: reference, namespace: pdb.namespace,
                                           replicaSet: { replicaSets.get(pdb.namespace + "/" + $0).map(ReplicaSetView.init) },
                                           deployment: { deployments.get(pdb.namespace + "/" + $0).map(DeploymentView.init) })
            }, now: now)
        } catch {
            plan = DisruptionBudgetSync.plan(pdb, pods: [], selectorError: error.message, scale: { _ in .notFound }, now: now)
        }
        for event in plan.events { recorder.record(event.pod?.object ?? object, type: event.type, reason: event.reason, message: event.message) }
        // A conflict (an eviction spent the budget meanwhile) is retried from a fresher cache.
        try await WorkloadWiring.writeStatus(plan.status, to: object, resource: ResourceCatalog.podDisruptionBudgets, client: client,
                                             key: key, written: writtenVersions)
        if let failure = plan.failure { throw failure }
        return ReconcileResult(requeueAfter: plan.recheckAt.map { max(0, $0.timeIntervalSince(now)) })
    }

    /// Sets a DisruptionTarget=True condition that has outlived the timeout on a pod nobody
    /// deleted back to False (upstream's syncStalePodDisruption).
    private func clearStaleDisruption(_ podKey: String) async throws -> ReconcileResult {
        guard let object = pods.get(podKey) else { return .done }
        let pod = PodView(object)
        guard let wait = Self.staleDisruptionWait(pod, now: clock.now) else { return .done }
        if wait > 0 { return .requeue(after: wait) }
        var updated = object
        let conditions = pod.conditions.map { condition -> JSONValue in
            guard condition.type == "DisruptionTarget" else { return condition.object }
            return ["type": "DisruptionTarget", "status": "False", "lastTransitionTime": .string(Timestamp.format(clock.now))]
        }
        updated.setValue(.array(conditions), at: ["status", "conditions"])
        do {
            _ = try await client.updateStatus(ResourceCatalog.pods, namespace: pod.namespace, object: updated)
        } catch let error as StatusError where error.code == 404 {
            // Gone meanwhile: nothing left to clear.
        }
        return .done
    }
}

extension DisruptionBudgetSync.Failure: CustomStringConvertible {
    var description: String { message }
}
