import Client
import ControllerRuntime
import Model

/// The pod creations and deletions of an owner's sync (ReplicaSet, DaemonSet), with upstream's
/// bookkeeping: expectations raised before the writes and lowered for each that fails or is
/// skipped, an Event per pod (SuccessfulCreate / FailedCreate, SuccessfulDelete / FailedDelete).
struct OwnedPodWrites {
    let client: any APIClient
    let recorder: any EventRecording
    let expectations: Expectations
    /// The owner the Events are about, and its work-queue key.
    let owner: JSONValue
    let key: String

    /// Creates the pods in slow-start batches; returns the first error.
    func create(_ pods: [JSONValue]) async -> (any Error)? {
        guard !pods.isEmpty else { return nil }
        expectations.expectCreations(key, count: pods.count)
        let outcome = await SlowStart.run(pods) { [self] pod in
            do {
                let created = try await client.create(ResourceCatalog.pods, namespace: ObjectMetaView(owner["metadata"]).namespace, object: pod)
                recorder.record(owner, type: "Normal", reason: "SuccessfulCreate", message: "Created pod: \(PodView(created).name)")
                return nil
            } catch {
                expectations.creationObserved(key)
                recorder.record(owner, type: "Warning", reason: "FailedCreate", message: "Error creating: \(error)")
                return error
            }
        }
        for _ in 0..<outcome.skipped { expectations.creationObserved(key) }
        return outcome.failures.first
    }

    /// Deletes the pods concurrently with uid preconditions (a pod already gone counts as deleted);
    /// `immediately` ones with gracePeriodSeconds 0. Returns the first error.
    func delete(_ victims: [(pod: PodView, immediately: Bool)]) async -> (any Error)? {
        guard !victims.isEmpty else { return nil }
        expectations.expectDeletions(key, uids: victims.map(\.pod.uid))
        let outcome = await SlowStart.run(victims, initialBatch: victims.count) { [self] victim in
            let pod = victim.pod
            do {
                _ = try await client.delete(ResourceCatalog.pods, namespace: pod.namespace, name: pod.name,
                                            options: DeleteOptions(gracePeriodSeconds: victim.immediately ? 0 : nil,
                                                                   preconditionUID: pod.uid))
                recorder.record(owner, type: "Normal", reason: "SuccessfulDelete", message: "Deleted pod: \(pod.name)")
                return nil
            } catch let error as StatusError where error.code == 404 {
                expectations.deletionObserved(key, uid: pod.uid)
                return nil
            } catch {
                expectations.deletionObserved(key, uid: pod.uid)
                recorder.record(owner, type: "Warning", reason: "FailedDelete", message: "Error deleting: \(error)")
                return error
            }
        }
        return outcome.failures.first
    }
}
