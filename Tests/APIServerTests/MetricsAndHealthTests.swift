import Foundation
import Metrics
import Model
import Testing
import TestSupport
@testable import APIServer

/// `/metrics` (admin only, moving with requests) and the named checks of `/livez` and `/readyz`.
@Suite struct MetricsAndHealthTests {
    let auth = Authenticator(tokens: ["admin-token": User(name: "admin", role: .admin), "view-token": User(name: "viewer", role: .view)])
    let admin = ["Authorization": "Bearer admin-token"]

    func sample(_ text: String, _ prefix: String) -> Double {
        text.split(separator: "\n").first { $0.hasPrefix(prefix + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test func requestsAreCountedByVerbResourceAndCode() throws {
        let api = try APIHarness(authenticator: auth)
        defer { api.shutdown() }
        let created = #"apiserver_request_total{verb="POST",group="batch",version="v1",resource="jobs",subresource="",scope="namespace",component="apiserver",code="201"}"#
        let conflict = #"apiserver_request_total{verb="POST",group="batch",version="v1",resource="jobs",subresource="",scope="namespace",component="apiserver",code="409"}"#
        let before = api.call("GET", "/metrics", headers: admin).body.string ?? ""
        #expect(api.call("POST", "/apis/batch/v1/namespaces/default/jobs", body: ObjectBuilders.job("m1"), headers: admin).status == 201)
        #expect(api.call("POST", "/apis/batch/v1/namespaces/default/jobs", body: ObjectBuilders.job("m1"), headers: admin).status == 409)
        let after = api.call("GET", "/metrics", headers: admin).body.string ?? ""
        #expect(sample(after, created) - sample(before, created) >= 1)
        #expect(sample(after, conflict) - sample(before, conflict) >= 1)
        #expect(after.contains("# TYPE apiserver_request_duration_seconds histogram"))
        #expect(after.contains(#"apiserver_request_duration_seconds_bucket{verb="POST",group="batch",version="v1",resource="jobs",subresource="",scope="namespace",component="apiserver",le="+Inf"}"#))
        #expect(after.contains("apiserver_current_inflight_requests{request_kind=\"readOnly\"}"))
        #expect(after.contains("apiserver_registered_watchers"))
    }

    @Test func metricsNeedAnAdminToken() throws {
        let api = try APIHarness(authenticator: auth)
        defer { api.shutdown() }
        #expect(api.call("GET", "/metrics").status == 401)
        let viewer = api.call("GET", "/metrics", headers: ["Authorization": "Bearer view-token"])
        #expect(viewer.status == 403)
        #expect(viewer.body["message"] == "forbidden: User \"viewer\" cannot get path \"/metrics\"")
    }

    @Test func aWatchIsLongRunningWhileOpen() throws {
        let api = try APIHarness(authenticator: auth)
        defer { api.shutdown() }
        let series = #"apiserver_longrunning_requests{verb="WATCH",group="",version="v1",resource="pods",subresource="",scope="namespace",component="apiserver"}"#
        let before = sample(api.call("GET", "/metrics", headers: admin).body.string ?? "", series)
        let watch = try #require(api.watch("/api/v1/namespaces/default/pods", headers: admin))
        let during = sample(api.call("GET", "/metrics", headers: admin).body.string ?? "", series)
        #expect(during == before + 1)
        watch.close()
    }

    @Test func readyzAndLivezListTheirChecks() throws {
        let api = try APIHarness(authenticator: auth)
        defer { api.shutdown() }
        #expect(api.call("GET", "/readyz").body.string == "ok")
        let verbose = api.call("GET", "/readyz", query: ["verbose": ""])
        #expect(verbose.status == 200)
        #expect(verbose.body.string == "[+]ping ok\n[+]store ok\n[+]watch-hub ok\nreadyz check passed\n")
        #expect(api.call("GET", "/livez", query: ["verbose": ""]).body.string == "[+]ping ok\n[+]watch-hub ok\nlivez check passed\n")
        api.server.healthChecks.add("informer-sync") { "2 informers not synced" }
        let failing = api.call("GET", "/readyz")
        #expect(failing.status == 500)
        #expect(failing.body.string?.contains("[-]informer-sync failed: reason withheld\nreadyz check failed") == true)
        #expect(api.call("GET", "/readyz", query: ["exclude": "informer-sync"]).status == 200)
        #expect(api.call("GET", "/readyz/store").body.string == "ok")
        #expect(api.call("GET", "/readyz/nothing").status == 404)
    }

    @Test func theWatchHubCheckFailsOnlyWhenTheHubStaysBehindPastTheGrace() {
        let lag = WatchHubLag()
        let start = Date(timeIntervalSince1970: 1_000)
        #expect(lag.behind(cursor: 5, store: 5, now: start) == nil)
        #expect(lag.behind(cursor: 5, store: 9, now: start) == nil, "a burst the hub has not dispatched yet")
        #expect(lag.behind(cursor: 8, store: 12, now: start + 9) == nil, "moving, within the grace")
        #expect(lag.behind(cursor: 9, store: 12, now: start + 10.5) == nil, "caught up with 9, now waiting for 12")
        #expect(lag.behind(cursor: 11, store: 20, now: start + 20) == nil, "12 was seen at 10.5 s")
        let stuck = lag.behind(cursor: 11, store: 20, now: start + 21)
        #expect(stuck?.0 == 12 && stuck?.1 == 10.5, "stuck behind 12 for longer than the grace")
    }
}
