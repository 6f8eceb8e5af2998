import Client
import Foundation
import Model
import Testing
import TestSupport

/// The API server over real HTTP and real PostgreSQL: every verb and error code a client sees.
@Suite(.serialized) struct APIOverHTTPTests {
    @Test func createGetUpdateDeleteRoundTrip() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        let jobs = ResourceCatalog.jobs
        let created = try await client.create(jobs, namespace: "default", object: ObjectBuilders.job("round", labels: ["app": "x"]))
        #expect(created.value(at: ["metadata", "generation"]) == 1)
        let fetched = try await client.get(jobs, namespace: "default", name: "round")
        #expect(fetched.value(at: ["metadata", "uid"]) == created.value(at: ["metadata", "uid"]))
        #expect(fetched.value(at: ["spec", "backoffLimit"]) == 6)  // defaulted by admission

        var changed = fetched
        changed.setValue(2, at: ["spec", "backoffLimit"])
        let updated = try await client.update(jobs, namespace: "default", object: changed)
        #expect(updated.value(at: ["metadata", "generation"]) == 2)
        do {
            _ = try await client.update(jobs, namespace: "default", object: changed)
            Issue.record("a stale resourceVersion must conflict")
        } catch let error as StatusError {
            #expect(error.code == 409)
            #expect(error.reason == "Conflict")
        }
        let listed = try await client.list(jobs, namespace: "default", options: ListOptions(labelSelector: "app=x"))
        #expect(listed.items.count == 1)
        _ = try await client.delete(jobs, namespace: "default", name: "round")
        do {
            _ = try await client.get(jobs, namespace: "default", name: "round")
            Issue.record("deleted object must be gone")
        } catch let error as StatusError {
            #expect(error.code == 404)
            #expect(error.message == "jobs.batch \"round\" not found")
        }
    }

    @Test func finalizersDeferDeletionUntilTheyAreRemoved() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        var job = ObjectBuilders.job("held")
        job.setValue(["example.com/hold"], at: ["metadata", "finalizers"])
        _ = try await client.create(ResourceCatalog.jobs, namespace: "default", object: job)
        let marked = try await client.delete(ResourceCatalog.jobs, namespace: "default", name: "held")
        #expect(marked.value(at: ["metadata", "deletionTimestamp"]) != nil)
        #expect(try await client.getIfPresent(ResourceCatalog.jobs, namespace: "default", name: "held") != nil)
        _ = try await client.patch(ResourceCatalog.jobs, namespace: "default", name: "held", type: .merge,
                                   body: ["metadata": ["finalizers": .null]], subresource: nil)
        #expect(try await client.getIfPresent(ResourceCatalog.jobs, namespace: "default", name: "held") == nil)
    }

    @Test func invalidObjectsGet422WithFieldCauses() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        var job = ObjectBuilders.job("bad")
        job.setValue(.array([]), at: ["spec", "template", "spec", "containers"])
        do {
            _ = try await server.client().create(ResourceCatalog.jobs, namespace: "default", object: job)
            Issue.record("expected 422")
        } catch let error as StatusError {
            #expect(error.code == 422)
            #expect(error.causes.contains { $0.field == "spec.template.spec.containers" })
        }
    }

    @Test func malformedBodiesOversizedBodiesAndUnknownMediaTypes() async throws {
        let server = try LiveServer(maxBodyBytes: 64 * 1024)
        defer { server.stop() }
        let client = try server.client()
        let path = "/apis/batch/v1/namespaces/default/jobs"
        let malformed = try await client.raw(RawRequest(method: "POST", path: path, headers: ["Content-Type": "application/json"], body: Array("{\"kind\":".utf8)))
        #expect(malformed.status == 400)
        #expect((try? JSONValue.parse(malformed.body))?["kind"] == "Status")
        let huge = Array(repeating: UInt8(ascii: "a"), count: 200 * 1024)
        let tooLarge = try await client.raw(RawRequest(method: "POST", path: path, headers: ["Content-Type": "application/json"], body: huge))
        #expect(tooLarge.status == 413)
        #expect((try? JSONValue.parse(tooLarge.body))?["reason"] == "RequestEntityTooLarge")
        let xml = try await client.raw(RawRequest(method: "POST", path: path, headers: ["Content-Type": "application/xml"], body: Array("<job/>".utf8)))
        #expect(xml.status == 415)
    }

    @Test func authenticationAndReadOnlyUsers() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let anonymous = try server.client(token: nil)
        let noToken = try await anonymous.raw(RawRequest(path: "/api/v1/namespaces"))
        #expect(noToken.status == 401)
        let health = try await anonymous.raw(RawRequest(path: "/healthz"))
        #expect(health.status == 200)
        let viewer = try server.client(token: LiveServer.viewToken)
        _ = try await viewer.list(ResourceCatalog.jobs, namespace: "default")
        do {
            _ = try await viewer.create(ResourceCatalog.jobs, namespace: "default", object: ObjectBuilders.job("nope"))
            Issue.record("viewers must not write")
        } catch let error as StatusError {
            #expect(error.code == 403)
        }
    }

    @Test func dryRunPersistsNothing() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        let response = try await client.raw(RawRequest(method: "POST", path: "/apis/batch/v1/namespaces/default/jobs",
                                                       query: [("dryRun", "All")], json: ObjectBuilders.job("dry")))
        #expect(response.status == 201)
        #expect(try await client.getIfPresent(ResourceCatalog.jobs, namespace: "default", name: "dry") == nil)
    }

    @Test func strictFieldValidationRejectsUnknownFields() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        var job = ObjectBuilders.job("strict")
        job.setValue("x", at: ["spec", "colour"])
        let response = try await server.client().raw(RawRequest(method: "POST", path: "/apis/batch/v1/namespaces/default/jobs",
                                                                query: [("fieldValidation", "Strict")], json: job))
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("unknown field \\\"spec.colour\\\""))
    }

    @Test func concurrentCreatesAllLandWithDistinctResourceVersions() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        let versions = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<64 {
                group.addTask {
                    let job = try await client.create(ResourceCatalog.jobs, namespace: "default", object: ObjectBuilders.job("c\(i)"))
                    return job.value(at: ["metadata", "resourceVersion"])?.string ?? ""
                }
            }
            var all: [String] = []
            for try await v in group { all.append(v) }
            return all
        }
        #expect(Set(versions).count == 64)
        #expect(try await client.list(ResourceCatalog.jobs, namespace: "default").items.count == 64)
    }

    @Test func namespaceDeletionRemovesItsContents() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        _ = try await client.create(ResourceCatalog.namespaces, namespace: nil,
                                    object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "scratch"]])
        _ = try await client.create(ResourceCatalog.jobs, namespace: "scratch", object: ObjectBuilders.job("inside", namespace: "scratch"))
        _ = try await client.delete(ResourceCatalog.namespaces, namespace: nil, name: "scratch")
        var gone = false
        for _ in 0..<100 where !gone {
            gone = try await client.getIfPresent(ResourceCatalog.namespaces, namespace: nil, name: "scratch") == nil
            if !gone { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        #expect(gone)
        #expect(try await client.getIfPresent(ResourceCatalog.jobs, namespace: "scratch", name: "inside") == nil)
    }
}
