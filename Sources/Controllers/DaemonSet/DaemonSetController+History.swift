import Client
import ControllerRuntime
import Foundation
import Model

extension DaemonSetController {
    /// Brings the DaemonSet's ControllerRevisions up to date (`DaemonSetHistory.plan`) and returns
    /// the plan, whose `current` is stored afterwards.
    func syncHistory(_ ds: DaemonSetView) async throws -> DaemonSetHistory.Plan {
        var history = DaemonSetHistory.plan(ds, revisions: revisions.byIndex(InformerIndex.controller, ds.uid))
        if history.create {
            history.current = try await createRevision(history.current, ds: ds)
        } else if let number = history.renumber {
            var updated = history.current
            updated["revision"] = .int(number)
            history.current = try await client.update(ResourceCatalog.controllerRevisions, namespace: ds.namespace, object: updated)
        }
        for duplicate in history.duplicates {
            try await deleteRevision(duplicate)
        }
        return history
    }

    /// Creates the revision; on a name taken by another template (a hash collision) bumps
    /// `status.collisionCount`, so the next sync hashes differently (upstream's snapshot).
    private func createRevision(_ revision: JSONValue, ds: DaemonSetView) async throws -> JSONValue {
        do {
            return try await client.create(ResourceCatalog.controllerRevisions, namespace: ds.namespace, object: revision)
        } catch let error as StatusError where error.code == 409 {
            let name = ObjectMetaView(revision["metadata"]).name
            let existing = try await client.get(ResourceCatalog.controllerRevisions, namespace: ds.namespace, name: name)
            if DaemonSetHistory.matches(ds, existing) { return existing }
            let live = try await client.get(ResourceCatalog.daemonSets, namespace: ds.namespace, name: ds.name)
            let liveView = DaemonSetView(live)
            guard liveView.collisionCount == ds.collisionCount else {
                throw ControllerError("found a stale collision count of DaemonSet \(ds.name); will retry until it is updated")
            }
            var bumped = live
            bumped.setValue(.int(Int64((ds.collisionCount ?? 0) + 1)), at: ["status", "collisionCount"])
            _ = try await client.updateStatus(ResourceCatalog.daemonSets, namespace: ds.namespace, object: bumped)
            throw error
        }
    }

    /// Deletes old revisions beyond the history limit that no pod (finished ones included) still carries.
    func pruneHistory(_ ds: DaemonSetView, old: [JSONValue], pods: [PodView]) async throws {
        let live = Set(pods.compactMap { $0.labels[DaemonSetView.revisionHashLabel] })
        for revision in DaemonSetHistory.prunable(old, limit: ds.revisionHistoryLimit, liveHashes: live) {
            try await deleteRevision(revision)
        }
    }

    private func deleteRevision(_ revision: JSONValue) async throws {
        let meta = ObjectMetaView(revision["metadata"])
        do {
            _ = try await client.delete(ResourceCatalog.controllerRevisions, namespace: meta.namespace, name: meta.name,
                                        options: DeleteOptions(preconditionUID: meta.uid))
        } catch let error as StatusError where error.code == 404 || error.code == 409 {}
    }
}
