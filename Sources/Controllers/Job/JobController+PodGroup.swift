import Client
import Foundation
import Model

extension JobController {
    /// Before a gang Job's pods are created: its PodGroup (named after the Job, owned by it, so
    /// the garbage collector removes it with the Job) exists with minMember = the pods that run at
    /// once. A PodGroup of that name the Job does not own is left alone: the pods join it as named.
    func ensurePodGroup(_ job: JobView) async throws {
        guard job.createsPodGroup else { return }
        let size = job.gangSize
        if let existing = podGroups.get(job.namespace + "/" + job.name) {
            let owned = ObjectMetaView(existing["metadata"]).controllerReference?.uid == job.uid
            guard owned, existing.value(at: ["spec", "minMember"])?.int != Int64(size) else { return }
            _ = try await client.patch(ResourceCatalog.podGroups, namespace: job.namespace, name: job.name, type: .merge,
                                       body: ["spec": ["minMember": .int(Int64(size))]])
            return
        }
        let group: JSONValue = [
            "apiVersion": .string(ResourceCatalog.podGroups.apiVersion), "kind": "PodGroup",
            "metadata": ["name": .string(job.name), "namespace": .string(job.namespace),
                         "labels": [JobView.jobNameLabel: .string(job.name)],
                         "ownerReferences": [OwnerReference.controlling(apiVersion: "batch/v1", kind: "Job", name: job.name, uid: job.uid).json]],
            "spec": ["minMember": .int(Int64(size))],
        ]
        do {
            _ = try await client.create(ResourceCatalog.podGroups, namespace: job.namespace, object: group)
        } catch let error as StatusError where error.code == 409 && error.reason == "AlreadyExists" {
            // Created meanwhile (a sync whose cache had not caught up): the informer brings it.
        }
    }
}
