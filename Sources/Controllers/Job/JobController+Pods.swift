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

    /// Creates the planned pods in slow-start batches (1, 2, 4, …): a batch with a failure stops the
    /// rest, whose expectations are lowered at once. Returns how many pods were not created.
    func applyCreations(_ creations: [JobPlan.Creation], job: JSONValue, key: String,
                        error firstError: inout (any Error)?) async -> Int {
        guard !creations.isEmpty else { return 0 }
        expectations.expectCreations(key, count: creations.count)
        let namespace = JobView(job).namespace
        var next = 0, batch = 1, notCreated = 0
        while next < creations.count {
            let slice = creations[next..<min(next + batch, creations.count)]
            next += slice.count
            let results = await withTaskGroup(of: Result<JSONValue, any Error>.self) { group in
                for creation in slice {
                    group.addTask { [self] in
                        do { return .success(try await client.create(ResourceCatalog.pods, namespace: namespace, object: creation.pod)) }
                        catch { return .failure(error) }
                    }
                }
                var all: [Result<JSONValue, any Error>] = []
                for await result in group { all.append(result) }
                return all
            }
            var batchFailed = false
            for result in results {
                switch result {
                case .success(let pod):
                    recorder.record(job, type: "Normal", reason: "SuccessfulCreate", message: "Created pod: \(PodView(pod).name)")
                case .failure(let error):
                    batchFailed = true
                    notCreated += 1
                    expectations.creationObserved(key)
                    firstError = firstError ?? error
                    recorder.record(job, type: "Warning", reason: "FailedCreate", message: "Error creating: \(error)")
                }
            }
            if batchFailed {
                let skipped = creations.count - next
                for _ in 0..<skipped { expectations.creationObserved(key) }
                return notCreated + skipped
            }
            batch *= 2
        }
        return notCreated
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
    /// (upstream's ClaimPods). An adoption is preceded by a live read of the Job, so a Job deleted or
    /// replaced meanwhile adopts nothing; each patch names the pod's uid, so a pod replaced under the
    /// same name is never touched.
    func claimPods(of job: JobView, owned: [PodView]) async throws -> [PodView] {
        let orphans = pods.byIndex(InformerIndex.uncontrolled, job.namespace).map(PodView.init)
        let claim = PodClaim.claim(job: job, owned: owned, candidates: orphans)
        guard !claim.adopt.isEmpty || !claim.release.isEmpty else { return owned }
        var result = owned.filter { pod in !claim.release.contains { $0.uid == pod.uid } }
        for pod in claim.release {
            let body: JSONValue = ["metadata": ["uid": .string(pod.uid), "ownerReferences": [["$patch": "delete", "uid": .string(job.uid)]]]]
            try await ignoringGone { _ = try await client.patch(ResourceCatalog.pods, namespace: pod.namespace, name: pod.name,
                                                                type: .strategicMerge, body: body) }
        }
        guard !claim.adopt.isEmpty,
              let live = try await client.getIfPresent(ResourceCatalog.jobs, namespace: job.namespace, name: job.name).map(JobView.init),
              live.uid == job.uid, !live.isDeleting else { return result }
        let reference = OwnerReference.controlling(apiVersion: "batch/v1", kind: "Job", name: job.name, uid: job.uid).json
        for pod in claim.adopt {
            let body: JSONValue = ["metadata": ["uid": .string(pod.uid), "ownerReferences": [reference]]]
            try await ignoringGone {
                let adopted = try await client.patch(ResourceCatalog.pods, namespace: pod.namespace, name: pod.name,
                                                     type: .strategicMerge, body: body)
                result.append(PodView(adopted))
            }
        }
        return result
    }

    /// A pod gone (404) or replaced (409/422 on the uid) is not this sync's to claim.
    private func ignoringGone(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let error as StatusError where [404, 409, 422].contains(error.code) {}
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
