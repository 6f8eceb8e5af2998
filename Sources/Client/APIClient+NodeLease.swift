import Foundation
import Model

extension APIClient {
    /// Renews `node`'s heartbeat Lease in `kube-node-lease` (holder, duration, renewTime) with one
    /// merge patch, as the agent and hollow nodes do every `NodeLease.renewInterval`; a missing
    /// Lease is created, owned by the Node when `nodeUID` is given (the garbage collector then
    /// removes it with the Node).
    public func renewNodeLease(node: String, nodeUID: String?, now: Date,
                               durationSeconds: Int64 = NodeLease.durationSeconds) async throws {
        do {
            _ = try await patch(ResourceCatalog.leases, namespace: NodeLease.namespace, name: node, type: .merge,
                                body: ["spec": NodeLease.renewal(node: node, now: now, durationSeconds: durationSeconds)])
        } catch let error as StatusError where error.code == 404 {
            do {
                _ = try await create(ResourceCatalog.leases, namespace: NodeLease.namespace,
                                     object: NodeLease.object(node: node, nodeUID: nodeUID, now: now, durationSeconds: durationSeconds))
            } catch let error as StatusError where error.code == 409 {
                // Created meanwhile (another renewal of ours that raced): it is fresh either way.
            }
        }
    }
}
