import Foundation
import Model
import Testing
import TestSupport
@testable import APIServer

@Suite struct ListWatchTests {
    let jobs = "/apis/batch/v1/namespaces/default/jobs"
    let pods = "/api/v1/namespaces/default/pods"

    @Test func listsFilterBySelectorsAndCarryAResourceVersion() async throws {
        try await offCooperativePool { try listsFilterBySelectorsAndCarryAResourceVersionBlocking() }
    }

    func listsFilterBySelectorsAndCarryAResourceVersionBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", jobs, body: ObjectBuilders.job("a", labels: ["tier": "web"]))
        api.call("POST", jobs, body: ObjectBuilders.job("b", labels: ["tier": "db"]))
        let (status, list) = api.call("GET", jobs, query: ["labelSelector": "tier in (web)"])
        #expect(status == 200)
        #expect(list["kind"] == "JobList")
        #expect(list["apiVersion"] == "batch/v1")
        #expect(list.value(at: ["metadata", "resourceVersion"])?.string != nil)
        #expect(list["items"]?.array?.compactMap { $0.value(at: ["metadata", "name"])?.string } == ["a"])
        let byName = api.call("GET", jobs, query: ["fieldSelector": "metadata.name=b"]).body
        #expect(byName["items"]?.array?.count == 1)
    }

    @Test func badSelectorsAreBadRequest() async throws {
        try await offCooperativePool { try badSelectorsAreBadRequestBlocking() }
    }

    func badSelectorsAreBadRequestBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        #expect(api.call("GET", jobs, query: ["fieldSelector": "spec.color=red"]).status == 400)
        #expect(api.call("GET", jobs, query: ["labelSelector": "a in (b"]).status == 400)
        #expect(api.call("GET", jobs, query: ["limit": "many"]).status == 400)
    }

    @Test func pagesFollowContinueTokens() async throws {
        try await offCooperativePool { try pagesFollowContinueTokensBlocking() }
    }

    func pagesFollowContinueTokensBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        for i in 0..<5 { api.call("POST", jobs, body: ObjectBuilders.job("j\(i)")) }
        var names: [String] = []
        var token: String?
        repeat {
            var query = ["limit": "2"]
            if let token { query["continue"] = token }
            let page = api.call("GET", jobs, query: query).body
            names += page["items"]?.array?.compactMap { $0.value(at: ["metadata", "name"])?.string } ?? []
            token = page.value(at: ["metadata", "continue"])?.string
        } while token != nil
        #expect(names == ["j0", "j1", "j2", "j3", "j4"])
    }

    @Test func clusterWideListsSpanNamespaces() async throws {
        try await offCooperativePool { try clusterWideListsSpanNamespacesBlocking() }
    }

    func clusterWideListsSpanNamespacesBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", "/api/v1/namespaces", body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "other"]])
        api.call("POST", jobs, body: ObjectBuilders.job("here"))
        api.call("POST", "/apis/batch/v1/namespaces/other/jobs", body: ObjectBuilders.job("there", namespace: "other"))
        let all = api.call("GET", "/apis/batch/v1/jobs").body
        #expect(all["items"]?.array?.count == 2)
    }

    @Test func watchWithoutResourceVersionStartsWithTheCurrentObjects() async throws {
        try await offCooperativePool { try watchWithoutResourceVersionStartsWithTheCurrentObjectsBlocking() }
    }

    func watchWithoutResourceVersionStartsWithTheCurrentObjectsBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", jobs, body: ObjectBuilders.job("existing"))
        let stream = try #require(api.watch(jobs))
        api.call("POST", jobs, body: ObjectBuilders.job("new"))
        let events = stream.waitForEvents(2)
        #expect(events.map { $0["type"] } == ["ADDED", "ADDED"])
        #expect(events.map { $0.value(at: ["object", "metadata", "name"]) } == ["existing", "new"])
        stream.close()
    }

    @Test func watchFromAResourceVersionSendsOnlyNewerChanges() async throws {
        try await offCooperativePool { try watchFromAResourceVersionSendsOnlyNewerChangesBlocking() }
    }

    func watchFromAResourceVersionSendsOnlyNewerChangesBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (_, first) = api.call("POST", jobs, body: ObjectBuilders.job("first"))
        let rv = first.value(at: ["metadata", "resourceVersion"])?.string ?? ""
        api.call("PATCH", "\(jobs)/first", body: ["metadata": ["labels": ["x": "1"]]], headers: ["Content-Type": "application/merge-patch+json"])
        api.call("DELETE", "\(jobs)/first")
        let stream = try #require(api.watch(jobs, query: ["resourceVersion": rv]))
        let events = stream.waitForEvents(2)
        #expect(events.map { $0["type"] } == ["MODIFIED", "DELETED"])
        stream.close()
    }

    @Test func objectsLeavingASelectorAreReportedDeleted() async throws {
        try await offCooperativePool { try objectsLeavingASelectorAreReportedDeletedBlocking() }
    }

    func objectsLeavingASelectorAreReportedDeletedBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", pods, body: ObjectBuilders.pod("p"))
        let stream = try #require(api.watch(pods, query: ["fieldSelector": "spec.nodeName="]))
        let binding: JSONValue = ["apiVersion": "v1", "kind": "Binding", "metadata": ["name": "p"], "target": ["kind": "Node", "name": "n1"]]
        api.call("POST", "\(pods)/p/binding", body: binding)
        let events = stream.waitForEvents(2)
        #expect(events.map { $0["type"] } == ["ADDED", "DELETED"])
        stream.close()
    }

    @Test func watchFromACompactedVersionGetsExpired() async throws {
        try await offCooperativePool { try watchFromACompactedVersionGetsExpiredBlocking() }
    }

    func watchFromACompactedVersionGetsExpiredBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        for i in 0..<3 { api.call("POST", jobs, body: ObjectBuilders.job("c\(i)")) }
        try api.store.compact(through: try api.store.currentResourceVersion())
        let stream = try #require(api.watch(jobs, query: ["resourceVersion": "1"]))
        let events = stream.waitForEvents(1)
        #expect(events.first?["type"] == "ERROR")
        #expect(events.first?.value(at: ["object", "code"]) == 410)
        #expect(stream.waitClosed())
    }

    @Test func watchEndsAtItsTimeout() async throws {
        try await offCooperativePool { try watchEndsAtItsTimeoutBlocking() }
    }

    func watchEndsAtItsTimeoutBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let stream = try #require(api.watch(jobs, query: ["timeoutSeconds": "1"]))
        #expect(stream.waitClosed(seconds: 5))
    }

    @Test func idleWatchesGetBookmarksWhenAllowed() async throws {
        try await offCooperativePool { try idleWatchesGetBookmarksWhenAllowedBlocking() }
    }

    func idleWatchesGetBookmarksWhenAllowedBlocking() throws {
        let api = try APIHarness(heartbeat: 0.5)
        defer { api.shutdown() }
        let stream = try #require(api.watch(jobs, query: ["allowWatchBookmarks": "true", "resourceVersion": "0"]))
        let events = stream.waitForEvents(1, seconds: 5)
        #expect(events.first?["type"] == "BOOKMARK")
        #expect(events.first?.value(at: ["object", "metadata", "resourceVersion"])?.string != nil)
        stream.close()
    }

    @Test func idleWatchesWithoutBookmarksGetAnInvisibleHeartbeatAndDepartedClientsAreDropped() async throws {
        try await offCooperativePool { try idleWatchesWithoutBookmarksGetAnInvisibleHeartbeatAndDepartedClientsAreDroppedBlocking() }
    }

    func idleWatchesWithoutBookmarksGetAnInvisibleHeartbeatAndDepartedClientsAreDroppedBlocking() throws {
        let api = try APIHarness(heartbeat: 0.3)
        defer { api.shutdown() }
        let stream = try #require(api.watch(jobs, query: ["resourceVersion": "0"]))
        let deadline = Date().addingTimeInterval(5)
        while stream.rawText.isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(stream.rawText.hasPrefix(" "))
        #expect(stream.events.isEmpty)
        #expect(api.server.hub.watcherCount == 1)
        stream.close()  // the client goes away; the next heartbeat write fails
        while api.server.hub.watcherCount > 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(api.server.hub.watcherCount == 0)
    }

    @Test func tableWatchesSendOneRowTablesWithColumnsOnlyFirst() async throws {
        try await offCooperativePool { try tableWatchesSendOneRowTablesWithColumnsOnlyFirstBlocking() }
    }

    func tableWatchesSendOneRowTablesWithColumnsOnlyFirstBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
        let stream = try #require(api.watch(jobs, query: ["resourceVersion": "0"], headers: ["Accept": accept]))
        api.call("POST", jobs, body: ObjectBuilders.job("w1"))
        api.call("POST", jobs, body: ObjectBuilders.job("w2"))
        let events = stream.waitForEvents(2)
        #expect(events.map { $0.value(at: ["object", "kind"]) } == ["Table", "Table"])
        #expect(events.map { $0.value(at: ["object", "rows"])?.array?.count } == [1, 1])
        #expect(events.first?.value(at: ["object", "columnDefinitions"])?.array?.isEmpty == false)
        #expect(events.last?.value(at: ["object", "columnDefinitions"])?.array?.isEmpty == true)
        #expect(events.last?.value(at: ["object", "rows"])?[0]?.value(at: ["object", "metadata", "name"]) == "w2")
        stream.close()
    }

    @Test func tableRequestsGetATable() async throws {
        try await offCooperativePool { try tableRequestsGetATableBlocking() }
    }

    func tableRequestsGetATableBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", jobs, body: ObjectBuilders.job("t"))
        let accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
        let table = api.call("GET", jobs, headers: ["Accept": accept]).body
        #expect(table["kind"] == "Table")
        #expect(table.value(at: ["rows"])?[0]?.value(at: ["object", "metadata", "namespace"]) == "default")
    }
}
