import Client
import Foundation
import Model
import Testing
import TestSupport

/// Watches over real HTTP on PostgreSQL: resume from a resourceVersion, live delivery, 410.
@Suite(.serialized) struct WatchOverHTTPTests {
    @Test func watchResumesFromAResourceVersionThenDeliversLiveChanges() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        let jobs = ResourceCatalog.jobs
        let first = try await client.create(jobs, namespace: "default", object: ObjectBuilders.job("w1"))
        let rv = first.value(at: ["metadata", "resourceVersion"])?.string ?? ""
        _ = try await client.patch(jobs, namespace: "default", name: "w1", type: .merge,
                                   body: ["metadata": ["labels": ["step": "2"]]], subresource: nil)
        var iterator = client.watch(jobs, namespace: "default", options: WatchOptions(resourceVersion: rv)).makeAsyncIterator()
        let modified = try await iterator.next()
        #expect(modified?.type == .modified)
        #expect(modified?.object.value(at: ["metadata", "labels", "step"]) == "2")
        _ = try await client.create(jobs, namespace: "default", object: ObjectBuilders.job("w2"))
        let added = try await iterator.next()
        #expect(added?.type == .added)
        #expect(added?.object.value(at: ["metadata", "name"]) == "w2")
        _ = try await client.delete(jobs, namespace: "default", name: "w2")
        let deleted = try await iterator.next()
        #expect(deleted?.type == .deleted)
    }

    @Test func watchFromACompactedVersionIsExpired() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        for i in 0..<3 { _ = try await client.create(ResourceCatalog.jobs, namespace: "default", object: ObjectBuilders.job("e\(i)")) }
        try server.store.compact(through: try server.store.currentResourceVersion())
        var iterator = client.watch(ResourceCatalog.jobs, namespace: "default", options: WatchOptions(resourceVersion: "1")).makeAsyncIterator()
        do {
            _ = try await iterator.next()
            Issue.record("expected the watch to expire")
        } catch let error as ClientError {
            guard case .watchExpired(let status) = error else {
                Issue.record("expected watchExpired, got \(error)")
                return
            }
            #expect(status.code == 410)
        }
    }

    @Test func watchTimeoutEndsTheStream() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        var events = 0
        for try await _ in client.watch(ResourceCatalog.jobs, namespace: "default", options: WatchOptions(timeoutSeconds: 1)) {
            events += 1
        }
        #expect(events == 0)
    }
}
