import Client
import ControllerRuntime
import Foundation
import Model
import Testing
import TestSupport
@testable import Controllers

/// Records Events instead of writing them.
final class RecordedJobEvents: EventRecording, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [(type: String, reason: String, message: String)] = []
    func record(_ involved: JSONValue, type: String, reason: String, message: String) {
        lock.withLock { recorded.append((type, reason, message)) }
    }
    var reasons: [String] { lock.withLock { recorded.map(\.reason) } }
}

/// The JobController over a FakeAPIClient and a ManualClock, driven by calling reconcile(key).
@Suite struct JobControllerTests {
    let jobs = ResourceCatalog.jobs
    let pods = ResourceCatalog.pods

    final class Harness: @unchecked Sendable {
        let client = FakeAPIClient()
        let clock = ManualClock()
        let events = RecordedJobEvents()
        let factory: SharedInformerFactory
        let controller: JobController

        init() {
            factory = SharedInformerFactory(client: client, clock: clock)
            controller = JobController(client: client, factory: factory, recorder: events, clock: clock)
        }

        func start() async {
            factory.start()
            await factory.waitForSync()
        }

        func stop() { factory.stop() }

        func createJob(_ job: JSONValue) async throws -> String {
            let stored = try await client.create(ResourceCatalog.jobs, namespace: "default", object: job)
            let uid = JobView(stored).uid
            _ = await eventually { self.controller.jobs.get("default/" + JobView(stored).name) != nil }
            return uid
        }

        func storedJob(_ name: String = "pi") -> JobView { JobView(client.object(ResourceCatalog.jobs, namespace: "default", name: name) ?? .null) }

        func storedPods() async throws -> [PodView] {
            try await client.list(ResourceCatalog.pods, namespace: "default").items.map(PodView.init).sorted { $0.name < $1.name }
        }

        func count(_ verb: String, _ resource: ResourceInfo) -> Int {
            client.calls.filter { $0.verb == verb && $0.resource == resource.storageName }.count
        }

        /// Ends a pod: phase and a terminated container finished now (on the manual clock).
        func finish(_ name: String, phase: String, exitCode: Int) async throws {
            var pod = client.object(ResourceCatalog.pods, namespace: "default", name: name)!
            pod["status"] = ["phase": .string(phase),
                             "containerStatuses": [["name": "main", "state": ["terminated": [
                                "exitCode": .int(Int64(exitCode)), "finishedAt": .string(Timestamp.format(clock.now))]]]]]
            _ = try await client.updateStatus(ResourceCatalog.pods, namespace: "default", object: pod)
        }

        /// Waits until the pod cache agrees with the fake's store.
        func settle() async throws {
            let stored = try await storedPods()
            _ = await eventually {
                let cached = self.controller.pods.list().map(PodView.init)
                return cached.count == stored.count && stored.allSatisfy { s in
                    cached.contains { $0.uid == s.uid && $0.metadata.resourceVersion == s.metadata.resourceVersion }
                }
            }
            let job = client.object(ResourceCatalog.jobs, namespace: "default", name: "pi")
            _ = await eventually { job == nil || self.controller.jobs.get("default/pi")?["metadata"]?["resourceVersion"] == job?["metadata"]?["resourceVersion"] }
        }
    }

    @Test func createsParallelismPodsOnceAndCountsSuccessesExactlyOnce() async throws {
        let h = Harness()
        await h.start()
        defer { h.stop() }
        _ = try await h.createJob(JobFixtures.job(spec: ["parallelism": 2, "completions": 2]))
        _ = try await h.controller.reconcile("default/pi")
        // At once again, before the caches caught up: expectations hold the creations back (the
        // status write may meet a 409 from the stale Job in the cache; the queue would retry).
        _ = try? await h.controller.reconcile("default/pi")
        try await h.settle()
        _ = try await h.controller.reconcile("default/pi")
        #expect(h.count("create", pods) == 2)
        let created = try await h.storedPods()
        #expect(created.allSatisfy { $0.finalizers == [JobView.trackingFinalizer] && $0.controllerUID == h.storedJob().uid })
        #expect(h.storedJob().status.active == 2)

        for pod in created { try await h.finish(pod.name, phase: "Succeeded", exitCode: 0) }
        try await h.settle()
        _ = try await h.controller.reconcile("default/pi")
        let status = h.storedJob().status
        #expect(status.succeeded == 2 && !status.hasUncounted && status.active == 0)
        #expect(status.conditions.map(\.type) == ["SuccessCriteriaMet", "Complete"])
        #expect(status.completionTime != nil)
        #expect(try await h.storedPods().allSatisfy { $0.finalizers.isEmpty })
        #expect(h.events.reasons.filter { $0 == "SuccessfulCreate" }.count == 2)
        #expect(h.events.reasons.last == "Completed")

        // Nothing left to do: no further status write, and the count stays 2.
        try await h.settle()
        let writes = h.count("updateStatus", jobs)
        _ = try await h.controller.reconcile("default/pi")
        #expect(h.count("updateStatus", jobs) == writes)
        #expect(h.storedJob().status.succeeded == 2)
    }

    @Test func anOrphanMatchingTheSelectorIsAdoptedInsteadOfCreatingAPod() async throws {
        let h = Harness()
        await h.start()
        defer { h.stop() }
        _ = try await h.client.create(pods, namespace: "default", object: [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "stray", "namespace": "default", "labels": ["app": "pi"]],
            "spec": ["containers": [["name": "main", "image": "busybox"]]], "status": ["phase": "Running"]])
        let uid = try await h.createJob(JobFixtures.job(spec: ["manualSelector": true, "selector": ["matchLabels": ["app": "pi"]]]))
        try await h.settle()
        _ = try await h.controller.reconcile("default/pi")
        let stray = PodView(h.client.object(pods, namespace: "default", name: "stray")!)
        #expect(stray.controllerUID == uid)
        #expect(stray.metadata.controllerReference?.blockOwnerDeletion == true)
        #expect(h.count("create", pods) == 1, "the stray's own create, no new pod")
        #expect(h.storedJob().status.active == 1)

        // Relabelled out of the selector, it is let go (and a replacement is made).
        var relabelled = h.client.object(pods, namespace: "default", name: "stray")!
        relabelled.setValue(["app": "debug"], at: ["metadata", "labels"])
        _ = try await h.client.update(pods, namespace: "default", object: relabelled)
        try await h.settle()
        _ = try await h.controller.reconcile("default/pi")
        #expect(PodView(h.client.object(pods, namespace: "default", name: "stray")!).ownerReferences.isEmpty)
        #expect(h.count("create", pods) == 2)
    }

    @Test func failedPodIsReplacedAfterTenSeconds() async throws {
        let h = Harness()
        await h.start()
        defer { h.stop() }
        _ = try await h.createJob(JobFixtures.job())
        _ = try await h.controller.reconcile("default/pi")
        try await h.settle()
        let first = try await h.storedPods()[0]
        try await h.finish(first.name, phase: "Failed", exitCode: 1)
        try await h.settle()
        let result = try await h.controller.reconcile("default/pi")
        #expect(result.requeueAfter == 10)
        #expect(h.count("create", pods) == 1)
        #expect(h.storedJob().status.failed == 1)
        h.clock.advance(by: 10)
        try await h.settle()
        _ = try await h.controller.reconcile("default/pi")
        #expect(h.count("create", pods) == 2)
    }

    @Test func activeDeadlineFailsTheJobOnceItsPodsAreGone() async throws {
        let h = Harness()
        await h.start()
        defer { h.stop() }
        _ = try await h.createJob(JobFixtures.job(spec: ["activeDeadlineSeconds": 30]))
        let result = try await h.controller.reconcile("default/pi")
        #expect(result.requeueAfter == 30)
        try await h.settle()
        h.clock.advance(by: 30)
        var failed: JobCondition?
        for _ in 0..<4 where failed == nil {
            _ = try await h.controller.reconcile("default/pi")
            try await h.settle()
            failed = h.storedJob().condition("Failed")
        }
        #expect(failed?.reason == "DeadlineExceeded")
        #expect(failed?.message == "Job was active longer than specified deadline")
        #expect(h.storedJob().condition("FailureTarget")?.reason == "DeadlineExceeded")
        #expect(h.count("delete", pods) == 1)
        #expect(try await h.storedPods().isEmpty)
        #expect(h.events.reasons.contains("DeadlineExceeded"))
    }

    @Test func suspendDeletesPodsAndResumeRestartsTheClock() async throws {
        let h = Harness()
        await h.start()
        defer { h.stop() }
        _ = try await h.createJob(JobFixtures.job(spec: ["suspend": true]))
        _ = try await h.controller.reconcile("default/pi")
        #expect(h.count("create", pods) == 0)
        #expect(h.storedJob().condition("Suspended")?.reason == "JobSuspended")
        #expect(h.storedJob().status.startTime == nil)
        h.clock.advance(by: 100)
        var job = h.client.object(jobs, namespace: "default", name: "pi")!
        job.setValue(false, at: ["spec", "suspend"])
        _ = try await h.client.update(jobs, namespace: "default", object: job)
        try await h.settle()
        _ = try await h.controller.reconcile("default/pi")
        #expect(h.count("create", pods) == 1)
        #expect(h.storedJob().condition("Suspended")?.status == "False")
        #expect(h.storedJob().status.startTime.map { abs($0.timeIntervalSince(h.clock.now)) < 1 } == true)
        #expect(h.events.reasons.filter { $0 == "Suspended" || $0 == "Resumed" } == ["Suspended", "Resumed"])
    }

    @Test func finishedJobIsDeletedInTheForegroundAfterItsTTL() async throws {
        let h = Harness()
        await h.start()
        defer { h.stop() }
        let now = Timestamp.format(h.clock.now)
        var job = JobFixtures.job(spec: ["ttlSecondsAfterFinished": 100])
        job["status"] = ["conditions": [["type": "Complete", "status": "True", "lastTransitionTime": .string(now)]]]
        _ = try await h.createJob(job)
        let early = try await h.controller.reconcile("default/pi")
        #expect(early.requeueAfter.map { abs($0 - 100) < 1 } == true)
        #expect(h.count("delete", jobs) == 0)
        h.clock.advance(by: 100)
        _ = try await h.controller.reconcile("default/pi")
        let delete = h.client.calls.first { $0.verb == "delete" && $0.resource == jobs.storageName }
        #expect(delete?.body?["propagationPolicy"]?.string == "Foreground")
    }

    @Test func jobManagedElsewhereIsNotTouched() async throws {
        let h = Harness()
        await h.start()
        defer { h.stop() }
        _ = try await h.createJob(JobFixtures.job(spec: ["managedBy": "example.com/other"]))
        let before = h.client.calls.count
        _ = try await h.controller.reconcile("default/pi")
        #expect(h.client.calls.count == before)
    }

    @Test func podsOfADeletedJobLoseTheirFinalizer() async throws {
        let h = Harness()
        try h.client.seed(pods, JobFixtures.pod("pi-abcde", phase: "Running"))   // its Job is gone
        await h.start()
        defer { h.stop() }
        _ = try await h.controller.reconcile("default/pi")
        #expect(try await h.storedPods().first?.finalizers == [])
    }
}
