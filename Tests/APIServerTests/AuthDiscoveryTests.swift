import Foundation
import Model
import Testing
import TestSupport
@testable import APIServer

@Suite struct AuthDiscoveryTests {
    let auth = Authenticator(tokens: ["admin-token": User(name: "admin", role: .admin), "view-token": User(name: "viewer", role: .view)])

    @Test func requestsWithoutAValidTokenAreUnauthorized() throws {
        let api = try APIHarness(authenticator: auth)
        defer { api.shutdown() }
        #expect(api.call("GET", "/api/v1/namespaces").status == 401)
        #expect(api.call("GET", "/api/v1/namespaces", headers: ["Authorization": "Bearer wrong"]).status == 401)
        #expect(api.call("GET", "/api/v1/namespaces", headers: ["Authorization": "Bearer admin-token"]).status == 200)
        #expect(api.call("GET", "/healthz").status == 200)
        #expect(api.call("GET", "/version").status == 200)
    }

    @Test func viewersCanReadButNotWrite() throws {
        let api = try APIHarness(authenticator: auth)
        defer { api.shutdown() }
        let viewer = ["Authorization": "Bearer view-token"]
        #expect(api.call("GET", "/apis/batch/v1/namespaces/default/jobs", headers: viewer).status == 200)
        let (status, body) = api.call("POST", "/apis/batch/v1/namespaces/default/jobs", body: ObjectBuilders.job("x"), headers: viewer)
        #expect(status == 403)
        #expect(body["reason"] == "Forbidden")
    }

    @Test func tokenFilesAreParsedAndBadLinesRejected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drover-tokens-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let good = dir.appendingPathComponent("good").path
        try "# comment\nabc,alice,admin\ndef,bob,view\n".write(toFile: good, atomically: true, encoding: .utf8)
        let authenticator = try Authenticator(tokenFile: good)
        #expect(try authenticator.authenticate(authorization: "Bearer def") == User(name: "bob", role: .view))
        let bad = dir.appendingPathComponent("bad").path
        try "abc,alice,root\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.self) { try Authenticator(tokenFile: bad) }
    }

    @Test func discoveryListsResourcesWithShortNamesAndCategories() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let core = api.call("GET", "/api/v1").body
        let pods = core["resources"]?.array?.first { $0["name"] == "pods" }
        #expect(pods?["shortNames"] == ["po"])
        #expect(pods?["categories"] == ["all"])
        let eviction = core["resources"]?.array?.first { $0["name"] == "pods/eviction" }
        #expect(eviction?["group"] == "policy")
        #expect(eviction?["kind"] == "Eviction")
        let groups = api.call("GET", "/apis").body
        #expect(groups["groups"]?.array?.compactMap { $0["name"]?.string }
                == ["batch", "apps", "policy", "autoscaling", "scheduling.k8s.io", "scheduling.x-k8s.io", "coordination.k8s.io", "kueue.x-k8s.io",
                    "metrics.k8s.io", "visibility.kueue.x-k8s.io"])
        let coordination = api.call("GET", "/apis/coordination.k8s.io/v1").body
        #expect(coordination["resources"]?.array?.contains { $0["name"] == "leases" && $0["kind"] == "Lease" && $0["namespaced"] == true } == true)
        let apps = api.call("GET", "/apis/apps/v1").body
        #expect(apps["resources"]?.array?.contains { $0["name"] == "deployments" && $0["shortNames"] == ["deploy"] } == true)
        #expect(api.call("GET", "/version").body["minor"] == "32")
    }

    @Test func openAPIListsAPatchOperationPerKindWithFieldValidation() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let index = api.call("GET", "/openapi/v3").body
        #expect(index.value(at: ["paths", "apis/batch/v1", "serverRelativeURL"]) == "/openapi/v3/apis/batch/v1")
        let batch = api.call("GET", "/openapi/v3/apis/batch/v1").body
        let patch = batch.value(at: ["paths", "/apis/batch/v1/namespaces/{namespace}/jobs/{name}", "patch"])
        #expect(patch?["x-kubernetes-group-version-kind"]?["kind"] == "Job")
        #expect(patch?["parameters"]?.array?.contains { $0["name"] == "fieldValidation" } == true)
    }
}
