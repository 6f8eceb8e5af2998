import Client
import Foundation
import Model
import Testing
import TestSupport
@testable import APIServer

/// Overload protection over real sockets: with two read-only seats taken by slow lists (a
/// resourceVersion ahead of the store is waited for 3 s), a third read gets 429 with Retry-After
/// at once, a write still has seats of its own, and the seats come back when the lists end.
@Suite struct OverloadTests {
    @Test func readsBeyondTheSeatsAre429UntilTheSlowOnesFinish() async throws {
        let server = try LiveServer(requestLimits: RequestLimits(readOnly: 2, mutating: 2, longRunning: 2))
        defer { server.stop() }
        let client = try server.client()
        let ahead = RawRequest(path: "/api/v1/pods", query: [("resourceVersion", "999999999")])
        let slow = (0..<2).map { _ in Task { try? await client.raw(ahead) } }
        try await Task.sleep(nanoseconds: 500_000_000)
        let refused = try await client.raw(RawRequest(path: "/api/v1/namespaces"))
        #expect(refused.status == 429)
        #expect(refused.headers["retry-after"] == "1")
        let created = try await client.raw(RawRequest(method: "POST", path: "/api/v1/namespaces",
                                                      json: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "busy"]]))
        #expect(created.status == 201, "mutating requests have seats of their own")
        for task in slow { #expect(await task.value?.status == 504) }
        #expect(try await client.raw(RawRequest(path: "/api/v1/namespaces")).status == 200)
    }
}
