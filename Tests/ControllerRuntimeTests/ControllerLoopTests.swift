import Client
import ControllerRuntime
import Foundation
import Model
import Logging
import Testing
import TestSupport

/// Records syncs; fails a key the first `failuresBeforeSuccess` times; can hold syncs open.
final class RecordingReconciler: Reconciler, @unchecked Sendable {
    private let lock = NSLock()
    private var log: [String] = []
    private var inFlight: [String: Int] = [:]
    private var overlap = false
    var failuresBeforeSuccess = 0
    var result = ReconcileResult.done
    var holdSeconds = 0.0

    var syncs: [String] { lock.withLock { log } }
    var sawOverlap: Bool { lock.withLock { overlap } }

    func reconcile(_ key: String) async throws -> ReconcileResult {
        let failing = lock.withLock { () -> Bool in
            log.append(key)
            inFlight[key, default: 0] += 1
            if inFlight[key]! > 1 { overlap = true }
            return log.filter { $0 == key }.count <= failuresBeforeSuccess
        }
        if holdSeconds > 0 { try? await Task.sleep(nanoseconds: UInt64(holdSeconds * 1e9)) }
        lock.withLock { inFlight[key]! -= 1 }
        if failing { throw StatusError(code: 500, reason: "InternalError", message: "boom") }
        return result
    }
}

@Suite struct ControllerLoopTests {
    @Test func aFailingSyncIsRetriedWithBackOffUntilItSucceeds() async {
        let queue = WorkQueue(name: "t", backoff: RetryBackoff(base: 0.001, maximum: 0.01))
        let reconciler = RecordingReconciler()
        reconciler.failuresBeforeSuccess = 3
        let loop = ControllerLoop(name: "t", queue: queue, workers: 2, reconciler: reconciler, logger: Logger("t", configuration: LogConfiguration(sink: { _ in })))
        loop.start()
        defer { loop.stop() }
        queue.add("ns/a")
        #expect(await eventually { reconciler.syncs.count == 4 })
        #expect(await eventually { queue.failures("ns/a") == 0 }, "success forgets the failures")
        #expect(loop.counts.errors == 3)
    }

    @Test func oneKeyIsNeverSyncedByTwoWorkersAtOnce() async {
        let queue = WorkQueue(name: "t")
        let reconciler = RecordingReconciler()
        reconciler.holdSeconds = 0.02
        let loop = ControllerLoop(name: "t", queue: queue, workers: 4, reconciler: reconciler, logger: Logger("t", configuration: LogConfiguration(sink: { _ in })))
        loop.start()
        defer { loop.stop() }
        for _ in 0..<5 {
            queue.add("ns/a"); queue.add("ns/b")
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        #expect(await eventually { queue.count == 0 && loop.counts.syncs >= 4 })
        #expect(!reconciler.sawOverlap)
    }

    @Test func aRequestedRequeueRunsTheKeyAgainWhenTheClockSaysSo() async {
        let clock = ManualClock()
        let queue = WorkQueue(name: "t", clock: clock)
        let reconciler = RecordingReconciler()
        reconciler.result = .requeue(after: 30)
        let loop = ControllerLoop(name: "t", queue: queue, workers: 1, reconciler: reconciler, logger: Logger("t", configuration: LogConfiguration(sink: { _ in })))
        loop.start()
        defer { loop.stop() }
        queue.add("ns/a")
        #expect(await eventually { reconciler.syncs.count == 1 && queue.heldCount == 1 })
        clock.advance(by: 30)
        #expect(await eventually { reconciler.syncs.count == 2 })
    }

    @Test func mergedResultsKeepTheEarlierRequeue() {
        #expect(ReconcileResult.requeue(after: 5).merged(with: .requeue(after: 3)) == .requeue(after: 3))
        #expect(ReconcileResult.done.merged(with: .requeue(after: 3)) == .requeue(after: 3))
        #expect(ReconcileResult.requeue(after: 5).merged(with: .done) == .requeue(after: 5))
    }
}

@Suite struct SharedInformerFactoryTests {
    @Test func oneInformerPerResourceWithOwnerAndNodeIndexes() async throws {
        let client = FakeAPIClient()
        var owned = ObjectBuilders.pod("a")
        owned.setValue([["apiVersion": "batch/v1", "kind": "Job", "name": "j", "uid": "job-uid", "controller": true]],
                       at: ["metadata", "ownerReferences"])
        owned.setValue("node-1", at: ["spec", "nodeName"])
        try client.seed(ResourceCatalog.pods, owned, ObjectBuilders.pod("b"))
        let factory = SharedInformerFactory(client: client)
        let pods = factory.informer(ResourceCatalog.pods)
        #expect(factory.informer(ResourceCatalog.pods) === pods)
        factory.start()
        defer { factory.stop() }
        await factory.waitForSync()
        #expect(pods.byIndex(InformerIndex.controller, "job-uid").map(objectKey) == ["default/a"])
        #expect(pods.byIndex(InformerIndex.nodeName, "node-1").map(objectKey) == ["default/a"])
        #expect(Set(pods.byIndex(InformerIndex.namespace, "default").map(objectKey)) == ["default/a", "default/b"])
        // The index follows changes.
        _ = try await client.patch(ResourceCatalog.pods, namespace: "default", name: "a", type: .merge,
                                   body: ["metadata": ["ownerReferences": .null]])
        #expect(await eventually { pods.byIndex(InformerIndex.controller, "job-uid").isEmpty })
        _ = try await client.delete(ResourceCatalog.pods, namespace: "default", name: "b")
        #expect(await eventually { pods.byIndex(InformerIndex.namespace, "default").count == 1 })
        // An informer asked for after start starts at once.
        let jobs = factory.informer(ResourceCatalog.jobs)
        await jobs.waitForSync()
        #expect(jobs.hasSynced)
    }

    @Test func resyncHandsEveryCachedObjectToTheHandlersAgain() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.pods, ObjectBuilders.pod("a"))
        let clock = ManualClock()
        let factory = SharedInformerFactory(client: client, clock: clock, resyncSeconds: 60)
        let updates = Counter()
        factory.informer(ResourceCatalog.pods).addHandler(InformerHandler(onUpdate: { _, _ in updates.increment() }))
        factory.start()
        defer { factory.stop() }
        await factory.waitForSync()
        _ = await eventually { clock.sleeperCount >= 1 }
        clock.advance(by: 60)
        #expect(await eventually { updates.value == 1 })
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
