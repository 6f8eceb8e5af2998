import Client
import ControllerRuntime
import Foundation
import Model

extension ReplicaSetController {
    /// One sync of a ReplicaSet: claim pods, create or delete towards `spec.replicas`, write status.
    public func reconcile(_ key: String) async throws -> ReconcileResult {
        guard let object = replicaSets.get(key) else {
            expectations.forget(key)
            writtenVersions.forget(key)
            return .done
        }
        let rs = ReplicaSetView(object)
        // Our last status write has not reached the cache: its own event brings the key back.
        if writtenVersions.isBehind(key, cached: rs.metadata.resourceVersion) { return .done }
        let satisfied = expectations.isSatisfied(key)
        let owned = pods.byIndex(InformerIndex.controller, rs.uid)
        let claimed = rs.isDeleting ? owned : try await claimPods(of: rs, owned: owned)
        let active = claimed.map(PodView.init).filter(\.isActive)
        let now = clock.now
        let plan = ReplicaSetSync.plan(rs, pods: active, related: relatedPods(of: rs, own: active),
                                       expectationsSatisfied: satisfied, now: now)
        var failure: ReplicaSetSync.Failure?
        var firstError: (any Error)?
        let writes = OwnedPodWrites(client: client, recorder: recorder, expectations: expectations, owner: rs.object, key: key)
        if plan.create > 0 {
            if let error = await writes.create(Array(repeating: ReplicaSetSync.pod(from: rs), count: plan.create)) {
                failure = ReplicaSetSync.Failure(reason: "FailedCreate", message: String(describing: error))
                firstError = error
            }
        } else if !plan.delete.isEmpty {
            if let error = await writes.delete(plan.delete.map { ($0, false) }) {
                failure = ReplicaSetSync.Failure(reason: "FailedDelete", message: String(describing: error))
                firstError = error
            }
        }
        // Without a sync of the pods (expectations pending) the failure condition is left as it is.
        let keepFailure = !satisfied ? rs.condition("ReplicaFailure").map {
            ReplicaSetSync.Failure(reason: $0.reason, message: $0.message)
        } : nil
        let status = ReplicaSetSync.status(rs, pods: active, failure: failure ?? keepFailure, now: now)
        try await WorkloadWiring.writeStatus(status, to: object, resource: ResourceCatalog.replicaSets, client: client,
                                            key: key, written: writtenVersions)
        if let firstError { throw firstError }
        return ReconcileResult(requeueAfter: PodAvailability.nextAvailability(active, minReadySeconds: rs.minReadySeconds, now: now))
    }

    /// The active pods of this ReplicaSet and of the other ReplicaSets of its controller (a
    /// Deployment's), for spreading deletions across nodes.
    private func relatedPods(of rs: ReplicaSetView, own: [PodView]) -> [PodView] {
        guard let owner = rs.metadata.controllerReference else { return own }
        let siblings = replicaSets.byIndex(InformerIndex.controller, owner.uid).map(ReplicaSetView.init).filter { $0.uid != rs.uid }
        return own + siblings.flatMap { pods.byIndex(InformerIndex.controller, $0.uid).map(PodView.init).filter(\.isActive) }
    }

    /// Adopts matching orphans and releases pods that stopped matching (`ControllerClaim`).
    private func claimPods(of rs: ReplicaSetView, owned: [JSONValue]) async throws -> [JSONValue] {
        let claim = ControllerClaim.claim(selector: rs.selector, ownerDeleting: rs.isDeleting, owned: owned,
                                          candidates: pods.byIndex(InformerIndex.uncontrolled, rs.namespace))
        let reference = OwnerReference.controlling(apiVersion: "apps/v1", kind: "ReplicaSet", name: rs.name, uid: rs.uid)
        return try await ControllerClaim.apply(claim, owned: owned, resource: ResourceCatalog.pods, client: client,
                                               owner: reference) { [client] in
            let live = try await client.getIfPresent(ResourceCatalog.replicaSets, namespace: rs.namespace, name: rs.name)
                .map(ReplicaSetView.init)
            return live.map { $0.uid == rs.uid && !$0.isDeleting } ?? false
        }
    }
}
