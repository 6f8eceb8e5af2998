import Client
import ControllerRuntime
import Model

/// Wiring the workload controllers (ReplicaSet, Deployment) share.
enum WorkloadWiring {
    /// The handler of a controller's primary resource: every add, real update and delete
    /// enqueues the object's key (updates that change nothing are skipped).
    static func enqueueingKeys(_ queue: WorkQueue) -> InformerHandler {
        InformerHandler(onAdd: { [weak queue] in queue?.add(objectKey($0)) },
                        onUpdate: { [weak queue] old, new in if old != new { queue?.add(objectKey(new)) } },
                        onDelete: { [weak queue] in queue?.add(objectKey($0)) })
    }

    /// PUTs the status subresource of `object` when `status` differs from the stored one and
    /// remembers the version written (a 404 means the object is gone: nothing to report).
    static func writeStatus(_ status: JSONValue, to object: JSONValue, resource: ResourceInfo, client: any APIClient,
                            key: String, written: WrittenVersions) async throws {
        guard status != (object["status"] ?? .emptyObject) else { return }
        var updated = object
        updated["status"] = status
        do {
            let stored = try await client.updateStatus(resource, namespace: ObjectMetaView(object["metadata"]).namespace, object: updated)
            written.record(key, ObjectMetaView(stored["metadata"]).resourceVersion)
        } catch let error as StatusError where error.code == 404 {
            return
        }
    }
}
