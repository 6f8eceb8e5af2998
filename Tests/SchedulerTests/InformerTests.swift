import Client
import Foundation
import Model
import Testing
import TestSupport

/// Collects what an informer's handler was told.
final class HandlerLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var entries: [String] { lock.withLock { lines } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }

    var handler: InformerHandler {
        InformerHandler(onAdd: { self.append("add \(objectKey($0))") },
                        onUpdate: { _, new in self.append("update \(objectKey(new))") },
                        onDelete: { self.append("delete \(objectKey($0))") })
    }
}

@Suite struct InformerTests {
    let pods = ResourceCatalog.pods

    /// A started, synced informer on pods with its first watch open; the caller stops it.
    func syncedInformer(_ client: FakeAPIClient, clock: ManualClock? = nil, log: HandlerLog = HandlerLog()) async -> Informer {
        let informer = clock.map { Informer(client: client, resource: pods, clock: $0) } ?? Informer(client: client, resource: pods)
        informer.addHandler(log.handler)
        informer.start()
        await informer.waitForSync()
        _ = await eventually { client.calls.contains { $0.verb == "watch" } }
        return informer
    }

    @Test func listsThenWatchesIntoTheCacheAndTellsHandlers() async throws {
        let client = FakeAPIClient()
        try client.seed(pods, ObjectBuilders.pod("a"))
        let log = HandlerLog()
        let informer = await syncedInformer(client, log: log)
        defer { informer.stop() }
        #expect(informer.hasSynced)
        #expect(informer.get("default/a") != nil)
        _ = try await client.create(pods, namespace: "default", object: ObjectBuilders.pod("b"))
        _ = try await client.patch(pods, namespace: "default", name: "a", type: .merge, body: ["metadata": ["labels": ["x": "y"]]])
        _ = try await client.delete(pods, namespace: "default", name: "b")
        #expect(await eventually { log.entries.count == 4 })
        #expect(log.entries == ["add default/a", "add default/b", "update default/a", "delete default/b"])
        #expect(informer.get("default/a")?.value(at: ["metadata", "labels", "x"]) == "y")
        #expect(informer.get("default/b") == nil)
        #expect(informer.resourceVersion == String(client.currentResourceVersion))
    }

    @Test func expiredWatchRelistsAndReportsWhatChangedMeanwhile() async throws {
        let client = FakeAPIClient()
        try client.seed(pods, ObjectBuilders.pod("a"), ObjectBuilders.pod("b"))
        let log = HandlerLog()
        let informer = await syncedInformer(client, log: log)
        defer { informer.stop() }
        // Changes the informer misses (made behind its back), then a 410.
        client.failNext("watch", with: ClientError.watchExpired(StatusError(code: 410, reason: "Expired", message: "too old")))
        try client.seed(pods, ObjectBuilders.pod("c"))
        client.endWatches(throwing: ClientError.watchExpired(StatusError(code: 410, reason: "Expired", message: "too old")))
        #expect(await eventually { informer.get("default/c") != nil })
        #expect(log.entries.contains("add default/c"))
        #expect(client.calls.filter { $0.verb == "list" }.count >= 2)
    }

    @Test func connectionLossRelistsAfterABackoff() async throws {
        let client = FakeAPIClient()
        try client.seed(pods, ObjectBuilders.pod("a"))
        let clock = ManualClock()
        let informer = await syncedInformer(client, clock: clock)
        defer { informer.stop() }
        client.endWatches(throwing: ClientError.connectionFailed(server: "http://x", reason: "the connection was lost"))
        try await Task.sleep(nanoseconds: 50_000_000)
        // Waiting out the back-off: no relist until the clock moves.
        #expect(client.calls.filter { $0.verb == "list" }.count == 1)
        #expect(await eventually {
            clock.advance(by: 0.5)
            return client.calls.filter { $0.verb == "list" }.count == 2
        })
    }

    @Test func normalEndOfWatchResumesFromTheLastResourceVersion() async throws {
        let client = FakeAPIClient()
        try client.seed(pods, ObjectBuilders.pod("a"))
        let informer = await syncedInformer(client)
        defer { informer.stop() }
        client.endWatches()
        #expect(await eventually { client.calls.filter { $0.verb == "watch" }.count == 2 })
        #expect(client.calls.filter { $0.verb == "list" }.count == 1)
    }
}
