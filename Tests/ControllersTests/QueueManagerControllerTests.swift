import Client
import ControllerRuntime
import Foundation
import Model
import Testing
import TestSupport
@testable import Controllers

/// The QueueManagerController over a FakeAPIClient, syncs called directly: a ClusterQueue of
/// 2 cpu admits two 1-cpu Jobs, holds the third with its position, and runs it once one finishes;
/// a Job suspended by its user gives its quota back.
@Suite struct QueueManagerControllerTests {
    static let jobs = ResourceCatalog.jobs

    static func queuedJob(_ name: String) -> JSONValue {
        var job = JobFixtures.job(name, uid: "uid-\(name)", spec: ["suspend": true])
        job.setValue("user-queue", at: ["metadata", "labels", Kueue.queueNameLabel])
        job.setValue([["name": "main", "image": "busybox", "command": ["true"], "resources": ["requests": ["cpu": "1"]]]],
                     at: ["spec", "template", "spec", "containers"])
        return job
    }

    final class Harness: @unchecked Sendable {
        let client = FakeAPIClient()
        let clock = ManualClock()
        let events = RecordedJobEvents()
        let factory: SharedInformerFactory
        let controller: QueueManagerController

        init(jobs names: [String]) throws {
            try client.seed(ResourceCatalog.resourceFlavors, [
                "metadata": ["name": "default-flavor"],
                "spec": ["nodeLabels": ["tier": "on-demand"], "tolerations": [["key": "batch", "operator": "Exists", "effect": "NoSchedule"]]],
            ])
            try client.seed(ResourceCatalog.clusterQueues, [
                "metadata": ["name": "research"],
                "spec": ["namespaceSelector": [:], "queueingStrategy": "BestEffortFIFO",
                         "resourceGroups": [["coveredResources": ["cpu"],
                                             "flavors": [["name": "default-flavor", "resources": [["name": "cpu", "nominalQuota": "2"]]]]]]],
            ])
            try client.seed(ResourceCatalog.localQueues, ["metadata": ["name": "user-queue", "namespace": "default"],
                                                          "spec": ["clusterQueue": "research"]])
            for name in names { try client.seed(QueueManagerControllerTests.jobs, QueueManagerControllerTests.queuedJob(name)) }
            factory = SharedInformerFactory(client: client, clock: clock)
            controller = QueueManagerController(client: client, factory: factory, recorder: events, clock: clock)
        }

        func start() async {
            factory.start()
            await factory.waitForSync()
        }

        func stop() { factory.stop() }

        func job(_ name: String) -> JobView { JobView(client.object(QueueManagerControllerTests.jobs, namespace: "default", name: name) ?? .null) }

        func workload(of name: String) -> WorkloadView? {
            client.snapshot(ResourceCatalog.workloads).map(WorkloadView.init).first { $0.ownerJob?.name == name }
        }

        /// Syncs every Job, waits for the caches to hold what is stored, then runs the pass and
        /// syncs the Jobs again (a start follows an admission).
        func round(_ names: [String]) async throws {
            for name in names { try await sync(name) }
            await settle()
            _ = try await controller.reconcile(QueueManagerController.passKey)
            await settle()
            for name in names { try await sync(name) }
            await settle()
        }

        func sync(_ name: String) async throws { _ = try await controller.reconcile("job/default/\(name)") }

        func settle() async {
            _ = await eventually {
                let stored = self.client.snapshot(ResourceCatalog.workloads) + self.client.snapshot(QueueManagerControllerTests.jobs)
                return stored.allSatisfy { object in
                    let informer = object["kind"] == "Job" ? self.controller.jobs : self.controller.workloads
                    return informer.get(objectKey(object))?.value(at: ["metadata", "resourceVersion"])
                        == object.value(at: ["metadata", "resourceVersion"])
                }
            }
        }
    }

    @Test func aTwoCPUQueueRunsTwoOneCPUJobsAndTheThirdWhenOneFinishes() async throws {
        let h = try Harness(jobs: ["j1", "j2", "j3"])
        await h.start()
        defer { h.stop() }
        try await h.round(["j1", "j2", "j3"])

        let w1 = try #require(h.workload(of: "j1"))
        #expect(w1.podSets.map(\.count) == [1] && w1.queueName == "user-queue")
        #expect(w1.admission?.podSetAssignments.first?.flavors == ["cpu": "default-flavor"])
        #expect(!h.job("j1").suspend && !h.job("j2").suspend && h.job("j3").suspend)
        #expect(h.job("j1").template["spec"]?["nodeSelector"] == ["tier": "on-demand"])
        #expect(h.job("j1").template["spec"]?["tolerations"]?.array?.count == 1)
        let waiting = "waiting for quota in ClusterQueue research: position 1 of 1; needs 1 cpu, 0 cpu free of 2 nominal"
        #expect(h.workload(of: "j3")?.condition(Kueue.Condition.quotaReserved)?.message == waiting)
        #expect(h.job("j3").condition(Kueue.Condition.quotaReserved)?.message == waiting)
        let queue = h.client.object(ResourceCatalog.clusterQueues, namespace: nil, name: "research")
        #expect(queue?.value(at: ["status", "pendingWorkloads"]) == 1)
        #expect(queue?.value(at: ["status", "admittedWorkloads"]) == 2)

        var finished = h.job("j1").object
        finished["status"] = ["succeeded": 1, "conditions": [["type": "Complete", "status": "True", "message": "Reached expected number of succeeded pods"]]]
        _ = try await h.client.updateStatus(Self.jobs, namespace: "default", object: finished)
        await h.settle()
        try await h.round(["j1", "j2", "j3"])
        #expect(h.workload(of: "j1")?.isFinished == true)
        #expect(!h.job("j3").suspend)
        #expect(h.events.reasons.filter { $0 == "Started" }.count == 3)
    }

    @Test func aJobItsUserSuspendsGivesItsQuotaBackAndQueuesAgainWhenResumed() async throws {
        let h = try Harness(jobs: ["j1", "j2", "j3"])
        await h.start()
        defer { h.stop() }
        try await h.round(["j1", "j2", "j3"])
        _ = try await h.client.patch(Self.jobs, namespace: "default", name: "j1", type: .merge, body: ["spec": ["suspend": true]])
        await h.settle()
        try await h.round(["j1", "j2", "j3"])
        let w1 = try #require(h.workload(of: "j1"))
        #expect(!w1.isActive && w1.isEvicted && !w1.hasQuotaReservation)
        #expect(!h.job("j3").suspend, "the freed quota went to the next Job")

        _ = try await h.client.patch(Self.jobs, namespace: "default", name: "j1", type: .merge, body: ["spec": ["suspend": false]])
        await h.settle()
        try await h.round(["j1", "j2", "j3"])
        #expect(h.workload(of: "j1")?.isActive == true)
        #expect(h.job("j1").suspend, "back in the queue, waiting for quota")
        #expect(h.job("j1").condition(Kueue.Condition.quotaReserved)?.message.hasPrefix("waiting for quota in ClusterQueue research") == true)
    }

    @Test func aHigherPriorityJobPreemptsALowerOneWhichIsSuspendedAndRequeued() async throws {
        let h = try Harness(jobs: ["low1", "low2"])
        var queue = try #require(h.client.object(ResourceCatalog.clusterQueues, namespace: nil, name: "research"))
        queue.setValue(["withinClusterQueue": "LowerPriority"], at: ["spec", "preemption"])
        _ = try await h.client.update(ResourceCatalog.clusterQueues, namespace: nil, object: queue)
        try h.client.seed(ResourceCatalog.workloadPriorityClasses, ["metadata": ["name": "urgent"], "value": 1000])
        await h.start()
        defer { h.stop() }
        try await h.round(["low1", "low2"])
        #expect(!h.job("low1").suspend && !h.job("low2").suspend)

        var urgent = QueueManagerControllerTests.queuedJob("urgent")
        urgent.setValue("urgent", at: ["metadata", "labels", Kueue.priorityClassLabel])
        _ = try await h.client.create(Self.jobs, namespace: "default", object: urgent)
        await h.settle()
        try await h.round(["low1", "low2", "urgent"])
        try await h.round(["low1", "low2", "urgent"])
        #expect(h.workload(of: "urgent")?.priority == 1000)
        #expect(!h.job("urgent").suspend)
        let evicted = ["low1", "low2"].filter { h.job($0).suspend }
        #expect(evicted.count == 1)
        let victim = try #require(h.workload(of: evicted[0]))
        #expect(victim.condition(Kueue.Condition.evicted)?.reason == "Preempted")
        #expect(victim.condition(Kueue.Condition.evicted)?.message.contains("due to prioritization in the ClusterQueue") == true)
        #expect(victim.isActive && !victim.hasQuotaReservation, "requeued, not failed")
        #expect(h.job(evicted[0]).condition(JobCondition.failed) == nil)
    }

    @Test func aJobWithoutAQueueLabelIsLeftAlone() async throws {
        let h = try Harness(jobs: [])
        try h.client.seed(Self.jobs, JobFixtures.job("plain"))
        await h.start()
        defer { h.stop() }
        try await h.sync("plain")
        #expect(h.client.snapshot(ResourceCatalog.workloads).isEmpty)
    }
}
