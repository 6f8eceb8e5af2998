import Client
import ControllerRuntime
import Foundation
import Model

extension DeploymentController {
    /// One sync of a Deployment: claim ReplicaSets, plan, then create, update, delete, annotate,
    /// write status, record Events.
    public func reconcile(_ key: String) async throws -> ReconcileResult {
        guard let object = deployments.get(key) else {
            expectations.forget(key)
            writtenVersions.forget(key)
            return .done
        }
        let d = DeploymentView(object)
        // The cache is behind our own writes (status, a created or scaled ReplicaSet): their events bring the key back.
        if writtenVersions.isBehind(key, cached: d.metadata.resourceVersion) || !expectations.isSatisfied(key) { return .done }
        let sets = try await claimReplicaSets(of: d).map(ReplicaSetView.init)
        if sets.contains(where: { writtenVersions.isBehind("rs:" + objectKey($0.object), cached: $0.metadata.resourceVersion) }) {
            return .done
        }
        var podsByRS: [String: [PodView]] = [:]
        for rs in sets { podsByRS[rs.uid] = pods.byIndex(InformerIndex.controller, rs.uid).map(PodView.init) }
        let plan = DeploymentSync.plan(DeploymentSyncInput(deployment: d, replicaSets: sets, podsByReplicaSet: podsByRS, now: clock.now))

        if let rs = plan.create, let failure = try await createReplicaSet(rs, deployment: d, key: key) {
            try await writeStatus(failure, to: object, key: key)
            return .done   // the create's own event (or the collision's status write) brings the key back
        }
        for update in plan.updates {
            do {
                let stored = try await client.update(ResourceCatalog.replicaSets, namespace: d.namespace, object: update)
                writtenVersions.record("rs:" + objectKey(stored), ReplicaSetView(stored).metadata.resourceVersion)
            } catch let error as StatusError where error.code == 404 {
                continue
            }
        }
        for rs in plan.deletions {
            do {
                _ = try await client.delete(ResourceCatalog.replicaSets, namespace: rs.namespace, name: rs.name,
                                            options: DeleteOptions(preconditionUID: rs.uid))
            } catch let error as StatusError where error.code == 404 || error.code == 409 {
                continue
            }
        }
        var current = object
        if let revision = plan.revision {
            let body: JSONValue = ["metadata": ["annotations": [DeploymentView.revisionAnnotation: .string(revision)]]]
            current = try await client.patch(ResourceCatalog.deployments, namespace: d.namespace, name: d.name, type: .merge, body: body)
            writtenVersions.record(key, DeploymentView(current).metadata.resourceVersion)
        }
        try await writeStatus(plan.status, to: current, key: key)
        for event in plan.events { recorder.record(object, type: event.type, reason: event.reason, message: event.message) }
        return ReconcileResult(requeueAfter: plan.requeueAfter)
    }

    /// Adopts matching orphan ReplicaSets and releases those that stopped matching (`ControllerClaim`).
    private func claimReplicaSets(of d: DeploymentView) async throws -> [JSONValue] {
        let owned = replicaSets.byIndex(InformerIndex.controller, d.uid)
        guard !d.isDeleting else { return owned }
        let claim = ControllerClaim.claim(selector: d.selector, ownerDeleting: d.isDeleting, owned: owned,
                                          candidates: replicaSets.byIndex(InformerIndex.uncontrolled, d.namespace))
        let reference = OwnerReference.controlling(apiVersion: "apps/v1", kind: "Deployment", name: d.name, uid: d.uid)
        return try await ControllerClaim.apply(claim, owned: owned, resource: ResourceCatalog.replicaSets, client: client,
                                               owner: reference) { [client] in
            let live = try await client.getIfPresent(ResourceCatalog.deployments, namespace: d.namespace, name: d.name)
                .map(DeploymentView.init)
            return live.map { $0.uid == d.uid && !$0.isDeleting } ?? false
        }
    }

    /// Creates the new ReplicaSet. Returns nil on success, else the status to write instead of the
    /// plan's: a name taken by a different ReplicaSet raises `collisionCount` (the next hash
    /// differs, as upstream); another refusal sets Progressing=False, ReplicaSetCreateError.
    private func createReplicaSet(_ rs: JSONValue, deployment d: DeploymentView, key: String) async throws -> JSONValue? {
        expectations.expectCreations(key, count: 1)
        let name = ReplicaSetView(rs).name
        do {
            let stored = try await client.create(ResourceCatalog.replicaSets, namespace: d.namespace, object: rs)
            writtenVersions.record("rs:" + objectKey(stored), ReplicaSetView(stored).metadata.resourceVersion)
            return nil
        } catch let error as StatusError where error.code == 409 {
            expectations.creationObserved(key)
            let existing = try await client.getIfPresent(ResourceCatalog.replicaSets, namespace: d.namespace, name: name).map(ReplicaSetView.init)
            if let existing, existing.metadata.controllerReference?.uid == d.uid,
               TemplateHash.equalIgnoringHash(existing.template, d.template) {
                throw error   // ours, not yet in the cache: retry once it is
            }
            var status = d.object["status"] ?? .emptyObject
            status["collisionCount"] = .int(Int64((d.collisionCount ?? 0) + 1))
            return status
        } catch {
            expectations.creationObserved(key)
            let message = "Failed to create new replica set \"\(name)\": \(error)"
            recorder.record(d.object, type: "Warning", reason: "ReplicaSetCreateError", message: message)
            var status = d.object["status"] ?? .emptyObject
            if d.progressDeadlineSeconds != nil {
                DeploymentConditions.set(DeploymentConditions.make("Progressing", "False", "ReplicaSetCreateError", message, now: clock.now),
                                         in: &status)
            }
            try await writeStatus(status, to: d.object, key: key)
            throw error
        }
    }

    private func writeStatus(_ status: JSONValue, to d: JSONValue, key: String) async throws {
        try await WorkloadWiring.writeStatus(status, to: d, resource: ResourceCatalog.deployments, client: client,
                                             key: key, written: writtenVersions)
    }
}
