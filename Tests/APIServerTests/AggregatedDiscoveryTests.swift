import Foundation
import HTTP
import Model
import Testing
import TestSupport
@testable import APIServer

/// `/api` and `/apis` answer kubectl's aggregated-discovery Accept header with one
/// APIGroupDiscoveryList each (KUBE-API.md §3), and plain JSON requests with the legacy documents.
@Suite struct AggregatedDiscoveryTests {
    /// What kubectl 1.32 sends.
    static let kubectlAccept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
        + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"

    func get(_ api: APIHarness, _ path: String, accept: String) -> (contentType: String?, body: JSONValue) {
        let responder = CapturingResponder()
        api.server.handle(HTTPRequest(method: "GET", path: path, query: [:], headers: ["accept": accept], body: []), responder: responder)
        let response = responder.wait().0
        let contentType = response?.headers.first { $0.0.lowercased() == "content-type" }?.1
        return (contentType, response.flatMap { try? JSONValue.parse($0.body) } ?? .null)
    }

    func resource(_ list: JSONValue, group: String, _ name: String) -> JSONValue? {
        list["items"]?.array?.first { $0.value(at: ["metadata", "name"]) == .string(group) }?
            .value(at: ["versions"])?[0]?["resources"]?.array?.first { $0["resource"] == .string(name) }
    }

    @Test func kubectlsAcceptHeaderGetsEveryGroupInOneDocumentWithTheAggregatedContentType() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (type, apis) = get(api, "/apis", accept: Self.kubectlAccept)
        #expect(type == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
        #expect(apis["kind"] == "APIGroupDiscoveryList")
        #expect(apis["apiVersion"] == "apidiscovery.k8s.io/v2")
        #expect(apis["items"]?.array?.compactMap { $0.value(at: ["metadata", "name"])?.string }
                == ["batch", "apps", "policy", "autoscaling", "scheduling.k8s.io", "scheduling.x-k8s.io", "coordination.k8s.io", "kueue.x-k8s.io",
                    "metrics.k8s.io", "visibility.kueue.x-k8s.io"])
        let jobs = try #require(resource(apis, group: "batch", "jobs"))
        #expect(jobs["scope"] == "Namespaced")
        #expect(jobs["singularResource"] == "job")
        #expect(jobs["categories"] == ["all"])
        #expect(jobs["responseKind"] == ["group": "", "version": "", "kind": "Job"])
        #expect(jobs["subresources"] == [["subresource": "status", "responseKind": ["group": "", "version": "", "kind": "Job"],
                                          "verbs": ["get", "patch", "update"]]])
        let scale = resource(apis, group: "apps", "deployments")?["subresources"]?.array?.first { $0["subresource"] == "scale" }
        #expect(scale?["responseKind"] == ["group": "autoscaling", "version": "v1", "kind": "Scale"])
        #expect(resource(apis, group: "apps", "deployments")?["shortNames"] == ["deploy"])
        #expect(resource(apis, group: "policy", "poddisruptionbudgets")?["shortNames"] == ["pdb"])
    }

    @Test func theCoreGroupIsOneItemNamedEmptyWithPodsAndTheirSubresources() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (_, core) = get(api, "/api", accept: Self.kubectlAccept)
        #expect(core["items"]?.array?.count == 1)
        let pods = try #require(resource(core, group: "", "pods"))
        #expect(pods["shortNames"] == ["po"])
        let eviction = pods["subresources"]?.array?.first { $0["subresource"] == "eviction" }
        #expect(eviction?["responseKind"] == ["group": "policy", "version": "v1", "kind": "Eviction"])
        #expect(resource(core, group: "", "nodes")?["scope"] == "Cluster")
    }

    @Test(arguments: [("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList", "v2beta1")])
    func anOlderClientGetsTheVersionItAskedFor(_ accept: String, _ version: String) throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (type, apis) = get(api, "/apis", accept: accept)
        #expect(type == "application/json;g=apidiscovery.k8s.io;v=\(version);as=APIGroupDiscoveryList")
        #expect(apis["apiVersion"] == .string("apidiscovery.k8s.io/\(version)"))
    }

    @Test(arguments: ["application/json", "", "*/*"])
    func otherClientsKeepTheLegacyDocuments(_ accept: String) throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (type, apis) = get(api, "/apis", accept: accept)
        #expect(type == "application/json")
        #expect(apis["kind"] == "APIGroupList")
        #expect(get(api, "/api", accept: accept).body["kind"] == "APIVersions")
    }
}
