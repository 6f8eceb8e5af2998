import Foundation
import Model
import Testing
import TestSupport
@testable import APIServer

/// A list or watch from a resourceVersion the store has not reached waits up to three seconds
/// (kube-apiserver's watch cache) and then answers 504 Too large resource version.
@Suite struct ResourceVersionFreshnessTests {
    let jobs = "/apis/batch/v1/namespaces/default/jobs"

    func currentRV(_ api: APIHarness) -> Int64 {
        Int64(api.call("GET", jobs).body.value(at: ["metadata", "resourceVersion"])?.string ?? "") ?? -1
    }

    @Test(arguments: [["watch": "true"], [:]])
    func aVersionAheadOfTheStoreIsTimeoutTooLargeResourceVersion(_ mode: [String: String]) async throws {
        // The server waits 3 s for the version: on a thread of its own, not a cooperative one.
        try await offCooperativePool { try aVersionAheadOfTheStoreIsTimeoutTooLargeResourceVersionBlocking(mode) }
    }

    func aVersionAheadOfTheStoreIsTimeoutTooLargeResourceVersionBlocking(_ mode: [String: String]) throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let current = currentRV(api)
        let (status, body) = api.call("GET", jobs, query: mode.merging(["resourceVersion": String(current + 100)]) { $1 })
        #expect(status == 504)
        #expect(body["reason"] == "Timeout")
        #expect(body["message"] == .string("Timeout: Too large resource version: \(current + 100), current: \(current)"))
        #expect(body.value(at: ["details", "retryAfterSeconds"]) == 1)
        // The cause client-go's reflector relists on; no empty field path, as upstream.
        #expect(body.value(at: ["details", "causes"]) == [["reason": "ResourceVersionTooLarge", "message": "Too large resource version"]])
    }

    @Test func aWatchFromAVersionTheStoreReachesWhileWaitingStreamsFromIt() async throws {
        try await offCooperativePool { try aWatchFromAVersionTheStoreReachesWhileWaitingStreamsFromItBlocking() }
    }

    func aWatchFromAVersionTheStoreReachesWhileWaitingStreamsFromItBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let next = currentRV(api) + 1
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { api.call("POST", jobs, body: ObjectBuilders.job("first")) }
        let stream = try #require(api.watch(jobs, query: ["resourceVersion": String(next)]))
        api.call("POST", jobs, body: ObjectBuilders.job("second"))
        // Only changes after the requested version: "first" made it, so only "second" arrives.
        let events = stream.waitForEvents(1)
        #expect(events.map { $0.value(at: ["object", "metadata", "name"]) } == ["second"])
    }

    @Test(arguments: [["watch": "true"], [:]], ["abc", "-5"])
    func aMalformedVersionIsBadRequest(_ mode: [String: String], _ version: String) throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (status, body) = api.call("GET", jobs, query: mode.merging(["resourceVersion": version]) { $1 })
        #expect(status == 400)
        #expect(body["reason"] == "BadRequest")
    }

    @Test func anExactListShowsTheStateAtItsVersionAndIsGoneOnceCompacted() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", jobs, body: ObjectBuilders.job("first"))
        let then = currentRV(api)
        api.call("POST", jobs, body: ObjectBuilders.job("second"))
        api.call("DELETE", jobs + "/first")
        func names(_ query: [String: String]) -> [String] {
            (api.call("GET", jobs, query: query).body["items"]?.array ?? []).compactMap { $0.value(at: ["metadata", "name"])?.string }
        }
        #expect(names(["resourceVersion": String(then), "resourceVersionMatch": "Exact"]) == ["first"])
        #expect(names(["resourceVersion": String(then), "resourceVersionMatch": "NotOlderThan"]) == ["second"])
        #expect(names(["resourceVersion": String(then)]) == ["second"])
        let exact = api.call("GET", jobs, query: ["resourceVersion": String(then), "resourceVersionMatch": "Exact"])
        #expect(exact.body.value(at: ["metadata", "resourceVersion"]) == .string(String(then)))

        try api.store.compact(through: then + 1)
        let gone = api.call("GET", jobs, query: ["resourceVersion": String(then), "resourceVersionMatch": "Exact"])
        #expect(gone.status == 410)
        #expect(gone.body["reason"] == "Expired")
    }

    @Test(arguments: [
        (["resourceVersionMatch": "Exact"], "resourceVersionMatch is forbidden unless resourceVersion is provided"),
        (["resourceVersionMatch": "Exact", "resourceVersion": "0"], "resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\""),
        (["resourceVersionMatch": "NotOlderThan", "resourceVersion": "1", "continue": "abc"], "resourceVersionMatch is forbidden when continue is provided"),
        (["resourceVersionMatch": "Newest", "resourceVersion": "1"], "Unsupported value: \"Newest\""),
    ])
    func aMisusedResourceVersionMatchIsInvalid(_ query: [String: String], _ message: String) throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (status, body) = api.call("GET", jobs, query: query)
        #expect(status == 422)
        #expect(body["reason"] == "Invalid")
        #expect(body.value(at: ["details", "causes"])?.array?.first?["field"] == "resourceVersionMatch")
        let text = body["message"]?.string ?? ""
        #expect(text.contains(message), "\(body)")
    }
}
