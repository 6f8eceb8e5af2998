import Client
import ControllerRuntime
import Foundation
import Model
import Testing
import TestSupport
@testable import Controllers

/// The queue manager's wiring of fair sharing and backfill: the pass reads weights and deadlines
/// from the stored objects and writes what the pure decisions say.
@Suite struct QueueManagerCohortTests {
    typealias H = QueueManagerControllerTests.Harness

    static func clusterQueue(_ name: String, cpu: String, cohort: String? = nil, strategy: String = "BestEffortFIFO",
                             fair: Bool = false) -> JSONValue {
        var queue: JSONValue = ["metadata": ["name": .string(name)],
                                "spec": ["namespaceSelector": [:], "queueingStrategy": .string(strategy),
                                         "resourceGroups": [["coveredResources": ["cpu"],
                                                             "flavors": [["name": "default-flavor", "resources": [["name": "cpu", "nominalQuota": .string(cpu)]]]]]]]]
        if let cohort { queue.setValue(.string(cohort), at: ["spec", "cohort"]) }
        if fair { queue.setValue(["weight": "1"], at: ["spec", "fairSharing"]) }
        return queue
    }

    static func job(_ name: String, queue: String, cpu: String = "1", deadline: Int? = nil) -> JSONValue {
        var job = QueueManagerControllerTests.queuedJob(name)
        job.setValue(.string(queue), at: ["metadata", "labels", Kueue.queueNameLabel])
        job.setValue([["name": "main", "image": "busybox", "command": ["true"], "resources": ["requests": ["cpu": .string(cpu)]]]],
                     at: ["spec", "template", "spec", "containers"])
        if let deadline { job.setValue(.int(Int64(deadline)), at: ["spec", "activeDeadlineSeconds"]) }
        return job
    }

    /// Tenants a and b (1 cpu each) and a 2-cpu pool in cohort lab; a's four Jobs come first.
    static func tenants(fair: Bool) async throws -> H {
        let h = try H(jobs: [])
        for (name, cpu) in [("tenant-a", "1"), ("tenant-b", "1"), ("pool", "2")] {
            try h.client.seed(ResourceCatalog.clusterQueues, clusterQueue(name, cpu: cpu, cohort: "lab", fair: fair))
        }
        for tenant in ["a", "b"] {
            try h.client.seed(ResourceCatalog.localQueues, ["metadata": ["name": .string("\(tenant)-queue"), "namespace": "default"],
                                                            "spec": ["clusterQueue": .string("tenant-\(tenant)")]])
        }
        for tenant in ["a", "b"] {
            for i in 1...4 { try h.client.seed(QueueManagerControllerTests.jobs, job("\(tenant)\(i)", queue: "\(tenant)-queue")) }
        }
        await h.start()
        return h
    }

    static let names = ["a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4"]

    @Test func twoTenantsOfAFairCohortGetEqualParts() async throws {
        let h = try await Self.tenants(fair: true)
        defer { h.stop() }
        try await h.round(Self.names)
        let running = Self.names.filter { !h.job($0).suspend }
        #expect(running.filter { $0.hasPrefix("a") }.count == 2)
        #expect(running.filter { $0.hasPrefix("b") }.count == 2)
        // Each borrows 1 of the 4 lendable cpu: 1000*1000/4000 = 250.
        let a = h.client.object(ResourceCatalog.clusterQueues, namespace: nil, name: "tenant-a")
        #expect(a?.value(at: ["status", "fairSharing", "weightedShare"]) == 250)
        #expect(h.client.object(ResourceCatalog.clusterQueues, namespace: nil, name: "pool")?.value(at: ["status", "fairSharing", "weightedShare"]) == 0)
    }

    @Test func withoutFairSharingTheOlderTenantTakesAllTheSpareQuota() async throws {
        let h = try await Self.tenants(fair: false)
        defer { h.stop() }
        try await h.round(Self.names)
        let running = Self.names.filter { !h.job($0).suspend }
        // b's first Job fits b's nominal quota and goes before a's borrowers; a, older, takes the rest.
        #expect(running.filter { $0.hasPrefix("a") }.count == 3)
        #expect(running.filter { $0.hasPrefix("b") } == ["b1"])
        #expect(h.client.object(ResourceCatalog.clusterQueues, namespace: nil, name: "tenant-a")?.value(at: ["status", "fairSharing"]) == nil)
    }

    @Test func aBackfillQueueStartsAShortJobAheadOfABlockedBigOne() async throws {
        let h = try H(jobs: [])
        try h.client.seed(ResourceCatalog.clusterQueues, Self.clusterQueue("batch", cpu: "3", strategy: "Backfill"))
        try h.client.seed(ResourceCatalog.localQueues, ["metadata": ["name": "batch-queue", "namespace": "default"],
                                                        "spec": ["clusterQueue": "batch"]])
        try h.client.seed(QueueManagerControllerTests.jobs, Self.job("long", queue: "batch-queue", cpu: "2", deadline: 100))
        await h.start()
        defer { h.stop() }
        try await h.round(["long"])
        #expect(!h.job("long").suspend)
        #expect(h.workload(of: "long")?.maximumExecutionTimeSeconds == 100)

        h.clock.advance(by: 10)
        // Created in the same second or not, big heads the queue (name breaks the tie).
        for (name, cpu, deadline) in [("big", "3", 60), ("slow", "1", 200), ("short", "1", 30)] {
            _ = try await h.client.create(QueueManagerControllerTests.jobs, namespace: "default",
                                          object: Self.job(name, queue: "batch-queue", cpu: cpu, deadline: deadline))
        }
        await h.settle()
        try await h.round(["long", "big", "slow", "short"])
        #expect(h.job("big").suspend && h.job("slow").suspend)
        #expect(!h.job("short").suspend, "ends 40 s from now, before big's reserved start 90 s from now")
        let message = h.job("big").condition(Kueue.Condition.quotaReserved)?.message ?? ""
        #expect(message.contains("reserved to start by"))
    }
}
