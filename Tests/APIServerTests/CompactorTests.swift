import Foundation
import Model
import Store
import Testing
@testable import APIServer

@Suite struct CompactorTests {
    @Test func historyOlderThanTheWindowIsCompactedAndNewerIsKept() throws {
        let store = MemoryStore()
        let compactor = Compactor(store: store, windowSeconds: 60)
        defer { compactor.stop() }
        let start = Date(timeIntervalSince1970: 1_000_000)
        func create(_ name: String) throws {
            let job: JSONValue = ["kind": "Job", "apiVersion": "batch/v1", "metadata": ["name": .string(name), "namespace": "default"]]
            _ = try store.create(ObjectKey(resource: "jobs.batch", namespace: "default", name: name), uid: name, json: job.serialized())
        }
        try create("a")
        compactor.compactOnce(now: start)
        let sampled = try store.currentResourceVersion()
        try create("b")
        compactor.compactOnce(now: start.addingTimeInterval(30))
        #expect(try store.oldestResourceVersion() < sampled)  // nothing is a minute old yet
        compactor.compactOnce(now: start.addingTimeInterval(61))
        #expect(try store.oldestResourceVersion() == sampled)  // the first sample is now outside the window
        #expect(throws: StoreError.self) { try store.changes(after: 0, resource: nil, limit: 10) }
        #expect(try store.changes(after: sampled, resource: nil, limit: 10).count == 1)
    }
}
