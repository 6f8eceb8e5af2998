import Client
import ControllerRuntime
import Foundation
import Model

extension JobController {
    /// Deletes the planned pods (stripping the finalizer first when the plan says so); returns how
    /// many deletions failed. Each is expected by uid so a lagging cache does not delete again.
    func applyDeletions(_ deletions: [JobPlan.Deletion], job: JSONValue, key: String, pods: [PodView],
                        error firstError: inout (any Error)?) async -> Int {
        guard !deletions.isEmpty else { return 0 }
        expectations.expectDeletions(key, uids: deletions.map(\.uid))
        let byUID = Dictionary(pods.map { ($0.uid, $0) }, uniquingKeysWith: { a, _ in a })
        let namespace = JobView(job).namespace
        let results = await withTaskGroup(of: (JobPlan.Deletion, (any Error)?).self) { group in
            for deletion in deletions {
                group.addTask { [self] in
                    do {
                        if deletion.removeFinalizerFirst, let pod = byUID[deletion.uid] {
                            try await removeFinalizer(pod)
                        }
                        _ = try await client.delete(ResourceCatalog.pods, namespace: namespace, name: deletion.name,
                                                    options: DeleteOptions(preconditionUID: deletion.uid))
                        return (deletion, nil)
                    } catch let error as StatusError where error.code == 404 {
                        return (deletion, nil)
                    } catch {
                        return (deletion, error)
                    }
                }
            }
            var all: [(JobPlan.Deletion, (any Error)?)] = []
            for await result in group { all.append(result) }
            return all
        }
        var failed = 0
        for (deletion, error) in results {
            if let error {
                failed += 1
                expectations.deletionObserved(key, uid: deletion.uid)
                firstError = firstError ?? error
                recorder.record(job, type: "Warning", reason: "FailedDelete", message: "Error deleting: \(error)")
            } else {
                recorder.record(job, type: "Normal", reason: "SuccessfulDelete", message: "Deleted pod: \(deletion.name)")
            }
        }
        return failed
    }

    /// Creates the planned pods in slow-start batches (`SlowStart`): a batch with a failure stops the
    /// rest, whose expectations are lowered at once. Returns how many pods were not created.
    func applyCreations(_ creations: [JobPlan.Creation], job: JSONValue, key: String,
                        error firstError: inout (any Error)?) async -> Int {
        guard !creations.isEmpty else { return 0 }
        expectations.expectCreations(key, count: creations.count)
        let namespace = JobView(job).namespace
        let outcome = await SlowStart.run(creations) { [self] creation in
            do {
                let pod = try await client.create(ResourceCatalog.pods, namespace: namespace, object: creation.pod)
                recorder.record(job, type: "Normal", reason: "SuccessfulCreate", message: "Created pod: \(PodView(pod).name)")
                return nil
            } catch {
                expectations.creationObserved(key)
                recorder.record(job, type: "Warning", reason: "FailedCreate", message: "Error creating: \(error)")
                return error
            }
        }
        for _ in 0..<outcome.skipped { expectations.creationObserved(key) }
        firstError = firstError ?? outcome.failures.first
        return outcome.failures.count + outcome.skipped
    }

    /// Removes the tracking finalizer from each pod; returns the uids freed (a pod already gone counts).
    func removeFinalizers(_ refs: [JobPlan.PodRef], key: String) async throws -> Set<String> {
        guard !refs.isEmpty else { return [] }
        finalizerRemovals.expectDeletions(key, uids: refs.map(\.uid))
        let results = await withTaskGroup(of: (String, (any Error)?).self) { group in
            for ref in refs {
                group.addTask { [self] in
                    guard let cached = pods.get(ref.namespace + "/" + ref.name) else { return (ref.uid, nil) }
                    do {
                        try await removeFinalizer(PodView(cached))
                        return (ref.uid, nil)
                    } catch let error as StatusError where error.code == 404 {
                        return (ref.uid, nil)
                    } catch {
                        return (ref.uid, error)
                    }
                }
            }
            var all: [(String, (any Error)?)] = []
            for await result in group { all.append(result) }
            return all
        }
        var removed: Set<String> = []
        for (uid, error) in results {
            if error == nil { removed.insert(uid) } else { finalizerRemovals.deletionObserved(key, uid: uid) }
        }
        return removed
    }

    /// The Job's pods after adopting matching orphans and releasing pods that no longer match
    /// (upstream's ClaimPods; `ControllerClaim`).
    func claimPods(of job: JobView, owned: [PodView]) async throws -> [PodView] {
        let orphans = pods.byIndex(InformerIndex.uncontrolled, job.namespace)
        let claim = ControllerClaim.claim(selector: job.selector, ownerDeleting: job.isDeleting,
                                          owned: owned.map(\.object), candidates: orphans)
        let reference = OwnerReference.controlling(apiVersion: "batch/v1", kind: "Job", name: job.name, uid: job.uid)
        return try await ControllerClaim.apply(claim, owned: owned.map(\.object), resource: ResourceCatalog.pods, client: client,
                                               owner: reference) { [client] in
            let live = try await client.getIfPresent(ResourceCatalog.jobs, namespace: job.namespace, name: job.name).map(JobView.init)
            return live.map { $0.uid == job.uid && !$0.isDeleting } ?? false
        }.map(PodView.init)
    }

    /// A JSON patch that tests the finalizer is still at its position, then removes it (pods'
    /// finalizers are a plain list; a concurrent change makes the test fail with 422 and a retry).
    func removeFinalizer(_ pod: PodView) async throws {
        guard let position = pod.finalizers.firstIndex(of: JobView.trackingFinalizer) else { return }
        let path = JSONValue.string("/metadata/finalizers/\(position)")
        let patch: JSONValue = [["op": "test", "path": path, "value": .string(JobView.trackingFinalizer)],
                                ["op": "remove", "path": path]]
        _ = try await client.patch(ResourceCatalog.pods, namespace: pod.namespace, name: pod.name, type: .json, body: patch)
    }

    /// A pod without a controller reference that still holds the finalizer: free it.
    func releaseOrphan(_ podKey: String) async throws {
        guard let object = pods.get(podKey) else { return }
        let pod = PodView(object)
        if let ref = pod.metadata.controllerReference {
            guard ref.kind == "Job", ref.apiVersion == "batch/v1" else { return }
            if let job = jobs.get(pod.namespace + "/" + ref.name).map(JobView.init), job.uid == ref.uid,
               job.isManagedExternally || !job.isFinished {
                return   // adopted, or another controller's business
            }
        }
        do { try await removeFinalizer(pod) } catch let error as StatusError where error.code == 404 {}
    }

    /// The Job `key` is gone: free the pods that still name it as controller and hold the finalizer.
    func releaseLeftovers(ofDeletedJob key: String) async throws {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return }
        let leftovers: [PodView]
        if let uid = deletedJobs.take(key) {
            leftovers = pods.byIndex(InformerIndex.controller, uid).map(PodView.init)
                .filter { $0.metadata.hasFinalizer(JobView.trackingFinalizer) }
        } else {
            // Deleted before this process saw it (a pod's finalizer brought the key): scan the namespace.
            leftovers = pods.byIndex(InformerIndex.namespace, parts[0]).map(PodView.init).filter {
                $0.metadata.controllerReference?.kind == "Job" && $0.metadata.controllerReference?.name == parts[1]
                    && $0.metadata.hasFinalizer(JobView.trackingFinalizer)
            }
        }
        for pod in leftovers {
            do { try await removeFinalizer(pod) } catch let error as StatusError where error.code == 404 {}
        }
    }
}
