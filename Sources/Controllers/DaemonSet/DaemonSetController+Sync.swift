import Client
import ControllerRuntime
import Foundation
import Model

extension DaemonSetController {
    /// One sync of a DaemonSet (upstream's syncDaemonSet): claim pods, bring the history up to
    /// date, create and delete pods per node, take one rollout step, prune history, write status.
    public func reconcile(_ key: String) async throws -> ReconcileResult {
        guard let object = daemonSets.get(key) else {
            expectations.forget(key)
            writtenVersions.forget(key)
            failedPodBackoff.forget(key)
            return .done
        }
        let ds = DaemonSetView(object)
        // Our last status write has not reached the cache: its own event brings the key back.
        if writtenVersions.isBehind(key, cached: ds.metadata.resourceVersion) { return .done }
        if ds.isDeleting { return .done }
        let owned = pods.byIndex(InformerIndex.controller, ds.uid)
        let claimed = try await claimPods(of: ds, owned: owned).map(PodView.init)
        let history = try await syncHistory(ds)
        let hash = history.hash
        let nodeList = DaemonSetSync.nodes(nodes.list(), for: ds)
        let byNode = DaemonSetSync.podsByNode(claimed)
        let now = clock.now
        guard expectations.isSatisfied(key) else {
            // Status only; observedGeneration stays until a sync acts on this generation.
            try await writeStatus(DaemonSetSync.status(ds, nodes: nodeList, pods: byNode, hash: hash, now: now,
                                                       observeGeneration: false), object: object, key: key)
            return .done
        }
        var plan = DaemonSetSync.manage(ds, nodes: nodeList, pods: byNode, hash: hash, now: now,
                                        backoffUntil: failedPodBackoff.until(key))
        if plan.isEmpty {
            let step = DaemonSetRollout.plan(ds, nodes: nodeList, pods: byNode, hash: hash, now: now)
            plan.createOn = step.createOn
            plan.delete = step.delete
        }
        for node in plan.failedOn { failedPodBackoff.record(key, node: node, now: now) }
        for message in plan.warnings { recorder.record(ds.object, type: "Warning", reason: "FailedDaemonPod", message: message) }
        let firstError = await apply(plan, ds: ds, hash: hash, key: key)
        try await pruneHistory(ds, old: history.old, pods: claimed)
        try await writeStatus(DaemonSetSync.status(ds, nodes: nodeList, pods: byNode, hash: hash, now: now, observeGeneration: true),
                              object: object, key: key)
        if let firstError { throw firstError }
        // The pod status counts on each node is its oldest: come back when one of them turns available.
        let counted = byNode.values.compactMap(\.first)
        let availability = PodAvailability.nextAvailability(counted, minReadySeconds: ds.minReadySeconds, now: now)
        let requeue = [plan.requeueAfter, availability].compactMap { $0 }.min()
        return ReconcileResult(requeueAfter: requeue)
    }

    private func writeStatus(_ status: JSONValue, object: JSONValue, key: String) async throws {
        try await WorkloadWiring.writeStatus(status, to: object, resource: ResourceCatalog.daemonSets, client: client,
                                            key: key, written: writtenVersions)
    }

    /// Adopts matching orphans and releases pods that stopped matching (`ControllerClaim`).
    private func claimPods(of ds: DaemonSetView, owned: [JSONValue]) async throws -> [JSONValue] {
        let claim = ControllerClaim.claim(selector: ds.selector, ownerDeleting: ds.isDeleting, owned: owned,
                                          candidates: pods.byIndex(InformerIndex.uncontrolled, ds.namespace))
        let reference = OwnerReference.controlling(apiVersion: "apps/v1", kind: "DaemonSet", name: ds.name, uid: ds.uid)
        return try await ControllerClaim.apply(claim, owned: owned, resource: ResourceCatalog.pods, client: client,
                                               owner: reference) { [client] in
            let live = try await client.getIfPresent(ResourceCatalog.daemonSets, namespace: ds.namespace, name: ds.name)
                .map(DaemonSetView.init)
            return live.map { $0.uid == ds.uid && !$0.isDeleting } ?? false
        }
    }

    /// Deletions first, then creations (at most `burst` of each); returns the first error.
    private func apply(_ plan: DaemonSetSync.Plan, ds: DaemonSetView, hash: String, key: String) async -> (any Error)? {
        let writes = OwnedPodWrites(client: client, recorder: recorder, expectations: expectations, owner: ds.object, key: key)
        let victims = plan.delete.map { ($0, false) } + plan.forceDelete.map { ($0, true) }
        let deleteError = await writes.delete(Array(victims.prefix(burst)))
        let createError = await writes.create(plan.createOn.prefix(burst).map { DaemonPlacement.pod(for: ds, node: $0, hash: hash) })
        return deleteError ?? createError
    }
}
