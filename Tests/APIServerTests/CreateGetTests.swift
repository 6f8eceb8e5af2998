import Foundation
import Model
import Testing
import TestSupport
@testable import APIServer

@Suite struct CreateGetTests {
    let jobs = "/apis/batch/v1/namespaces/default/jobs"

    @Test func createSetsServerFieldsAndGetReturnsTheStoredObject() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (status, job) = api.call("POST", jobs, body: ObjectBuilders.job("hello"))
        #expect(status == 201)
        #expect(job.value(at: ["metadata", "namespace"]) == "default")
        #expect((job.value(at: ["metadata", "uid"])?.string ?? "").count == 36)
        #expect(job.value(at: ["metadata", "generation"]) == 1)
        #expect(Int64(job.value(at: ["metadata", "resourceVersion"])?.string ?? "") ?? 0 > 0)
        #expect(Timestamp.parse(job.value(at: ["metadata", "creationTimestamp"])?.string ?? "") != nil)
        let (getStatus, fetched) = api.call("GET", "\(jobs)/hello")
        #expect(getStatus == 200)
        #expect(fetched.value(at: ["metadata", "uid"]) == job.value(at: ["metadata", "uid"]))
    }

    @Test func creatingAnExistingNameIsAlreadyExists() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", jobs, body: ObjectBuilders.job("twice"))
        let (status, body) = api.call("POST", jobs, body: ObjectBuilders.job("twice"))
        #expect(status == 409)
        #expect(body["reason"] == "AlreadyExists")
        #expect(body["message"] == "jobs.batch \"twice\" already exists")
        #expect(body["kind"] == "Status")
    }

    @Test func generateNameGetsARandomSuffix() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        var job = ObjectBuilders.job("")
        job.setValue(nil, at: ["metadata", "name"])
        job.setValue("batch-", at: ["metadata", "generateName"])
        let (status, created) = api.call("POST", jobs, body: job)
        #expect(status == 201)
        let name = created.value(at: ["metadata", "name"])?.string ?? ""
        #expect(name.hasPrefix("batch-") && name.count == "batch-".count + 5)
    }

    @Test func missingNamespaceIsNotFound() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (status, body) = api.call("POST", "/apis/batch/v1/namespaces/nowhere/jobs", body: ObjectBuilders.job("x", namespace: "nowhere"))
        #expect(status == 404)
        #expect(body["message"] == "namespaces \"nowhere\" not found")
    }

    @Test func bodyNamespaceMustMatchTheURL() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        var job = ObjectBuilders.job("x")
        job.setValue("other", at: ["metadata", "namespace"])
        let (status, body) = api.call("POST", jobs, body: job)
        #expect(status == 400)
        #expect(body["reason"] == "BadRequest")
    }

    @Test func wrongKindForTheEndpointIsBadRequest() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (status, _) = api.call("POST", jobs, body: ObjectBuilders.pod("p"))
        #expect(status == 400)
    }

    @Test func malformedJSONIsBadRequestAndUnknownContentTypeIs415() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (status, body) = api.call("POST", jobs, rawBody: "{\"metadata\": ")
        #expect(status == 400)
        #expect(body["kind"] == "Status")
        let (mediaStatus, mediaBody) = api.call("POST", jobs, body: ObjectBuilders.job("x"), headers: ["Content-Type": "text/xml"])
        #expect(mediaStatus == 415)
        #expect(mediaBody["reason"] == "UnsupportedMediaType")
    }

    @Test func bodiesWithoutContentTypeAreJSON() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (status, _) = api.call("POST", jobs, body: ObjectBuilders.job("python"))
        #expect(status == 201)
    }

    @Test func getOfAMissingObjectIsNotFoundInUpstreamForm() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (status, body) = api.call("GET", "\(jobs)/nope")
        #expect(status == 404)
        #expect(body["message"] == "jobs.batch \"nope\" not found")
        #expect(body.value(at: ["details", "kind"]) == "jobs")
        #expect(body.value(at: ["details", "group"]) == "batch")
        let (podStatus, podBody) = api.call("GET", "/api/v1/namespaces/default/pods/nope")
        #expect(podStatus == 404)
        #expect(podBody["message"] == "pods \"nope\" not found")
    }

    @Test func unknownPathsAreNotFound() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (status, body) = api.call("GET", "/apis/batch/v1/namespaces/default/widgets")
        #expect(status == 404)
        #expect(body["message"] == "the server could not find the requested resource")
    }

    @Test func dryRunPersistsNothing() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (status, _) = api.call("POST", jobs, query: ["dryRun": "All"], body: ObjectBuilders.job("ghost"))
        #expect(status == 201)
        #expect(api.call("GET", "\(jobs)/ghost").status == 404)
    }

    @Test func defaultNamespaceExists() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (status, ns) = api.call("GET", "/api/v1/namespaces/default")
        #expect(status == 200)
        #expect(ns.value(at: ["status", "phase"]) == "Active")
    }

    @Test func clusterScopedNodesLiveOutsideNamespaces() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "n1"], "status": ["capacity": ["cpu": "4"]]]
        let (status, created) = api.call("POST", "/api/v1/nodes", body: node)
        #expect(status == 201)
        #expect(created.value(at: ["metadata", "namespace"]) == nil)
        #expect(api.call("GET", "/api/v1/nodes/n1").status == 200)
    }
}
