import Client
import ControllerRuntime
import Foundation
import Model
import Testing
import TestSupport
@testable import Controllers

/// The controllers start working only once every shared informer has listed: a Job controller
/// planning over an empty pod cache would create again the pods a Job already has (what a new
/// leader or a restarted server would otherwise do).
@Suite struct ControllerManagerSyncTests {
    /// Holds the first pod list until the test opens the gate.
    final class SlowPodList: ForwardingAPIClient, @unchecked Sendable {
        private let gate = AsyncGate()

        func open() { gate.open() }

        override func list(_ resource: ResourceInfo, namespace: String?, options: ListOptions) async throws -> ObjectList {
            if resource == ResourceCatalog.pods { await gate.wait() }
            return try await super.list(resource, namespace: namespace, options: options)
        }
    }

    /// A one-shot gate tasks wait on.
    final class AsyncGate: @unchecked Sendable {
        private let lock = NSLock()
        private var isOpen = false
        private var waiters: [CheckedContinuation<Void, Never>] = []

        func wait() async {
            await withCheckedContinuation { continuation in
                let resume = lock.withLock { () -> Bool in
                    if isOpen { return true }
                    waiters.append(continuation)
                    return false
                }
                if resume { continuation.resume() }
            }
        }

        func open() {
            lock.withLock { () -> [CheckedContinuation<Void, Never>] in
                isOpen = true
                defer { waiters = [] }
                return waiters
            }.forEach { $0.resume() }
        }
    }

    @Test func aJobWithItsPodsGetsNoNewPodsWhileThePodCacheIsStillListing() async throws {
        let client = SlowPodList()
        try client.fake.seed(ResourceCatalog.jobs, JobFixtures.job(spec: ["parallelism": 2, "completions": 2]))
        // The fake assigns uids: point the Job's selector and its pods at the one it got.
        let seeded = try #require(client.fake.object(ResourceCatalog.jobs, namespace: "default", name: "pi"))
        let uid = try #require(seeded.value(at: ["metadata", "uid"])?.string)
        var job = JobFixtures.job(uid: uid, spec: ["parallelism": 2, "completions": 2])
        job["metadata"]?["resourceVersion"] = seeded["metadata"]?["resourceVersion"]
        _ = try await client.fake.update(ResourceCatalog.jobs, namespace: "default", object: job)
        try client.fake.seed(ResourceCatalog.pods, JobFixtures.pod("pi-a", jobUID: uid), JobFixtures.pod("pi-b", jobUID: uid))
        let factory = SharedInformerFactory(client: client, clock: ManualClock())
        let manager = ControllerManager(client: client, factory: factory, enabled: [.job], clock: ManualClock())
        factory.start()
        manager.start()
        defer {
            manager.stop()
            factory.stop()
        }
        #expect(await eventually { factory.informer(ResourceCatalog.jobs).hasSynced })
        // Time for a worker that did not wait to plan over the empty pod cache.
        try await Task.sleep(nanoseconds: 300_000_000)
        client.open()
        #expect(await eventually { factory.hasSynced })
        try await Task.sleep(nanoseconds: 300_000_000)
        let creations = client.fake.calls.filter { $0.verb == "create" && $0.resource == ResourceCatalog.pods.storageName }
        #expect(creations.isEmpty, "the Job's two pods exist: nothing to create")
    }
}
