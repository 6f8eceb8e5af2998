import Foundation
import Model
import Testing
import TestSupport
@testable import APIServer

@Suite struct UpdatePatchTests {
    let jobs = "/apis/batch/v1/namespaces/default/jobs"
    let deployments = "/apis/apps/v1/namespaces/default/deployments"

    @Test func putWithAStaleResourceVersionIsConflict() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        var (_, job) = api.call("POST", jobs, body: ObjectBuilders.job("cas"))
        job.setValue(["x": "1"], at: ["metadata", "labels"])
        #expect(api.call("PUT", "\(jobs)/cas", body: job).status == 200)
        let (status, body) = api.call("PUT", "\(jobs)/cas", body: job)
        #expect(status == 409)
        #expect(body["reason"] == "Conflict")
        #expect(body["message"] == "Operation cannot be fulfilled on jobs.batch \"cas\": the object has been modified; please apply your changes to the latest version and try again")
    }

    @Test func aUIDInTheBodyIsAPreconditionOfUpdatesAndPatches() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        var (_, job) = api.call("POST", jobs, body: ObjectBuilders.job("same"))
        let uid = job.value(at: ["metadata", "uid"])!.string!
        // The stored uid passes.
        #expect(api.call("PATCH", "\(jobs)/same", body: ["metadata": ["uid": .string(uid), "labels": ["a": "1"]]],
                         headers: ["Content-Type": "application/strategic-merge-patch+json"]).status == 200)
        // Another uid is refused, on patch, update and status update alike.
        let patched = api.call("PATCH", "\(jobs)/same", body: ["metadata": ["uid": "other", "labels": ["a": "2"]]],
                               headers: ["Content-Type": "application/merge-patch+json"])
        #expect(patched.status == 409)
        #expect(patched.body["message"]?.string == "Operation cannot be fulfilled on jobs.batch \"same\": Precondition failed: UID in precondition: other, UID in object meta: \(uid)")
        job = api.call("GET", "\(jobs)/same").body
        #expect(job.value(at: ["metadata", "labels", "a"]) == "1")
        job.setValue("other", at: ["metadata", "uid"])
        #expect(api.call("PUT", "\(jobs)/same", body: job).status == 409)
        #expect(api.call("PUT", "\(jobs)/same/status", body: job).status == 409)
    }

    @Test func generationChangesOnlyWithTheSpec() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        var (_, d) = api.call("POST", deployments, body: ObjectBuilders.deployment("web"))
        d.setValue(["team": "a"], at: ["metadata", "labels"])
        (_, d) = api.call("PUT", "\(deployments)/web", body: d)
        #expect(d.value(at: ["metadata", "generation"]) == 1)
        d.setValue(3, at: ["spec", "replicas"])
        (_, d) = api.call("PUT", "\(deployments)/web", body: d)
        #expect(d.value(at: ["metadata", "generation"]) == 2)
    }

    @Test func specWritesCannotClobberStatusAndStatusWritesCannotChangeSpec() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        var (_, job) = api.call("POST", jobs, body: ObjectBuilders.job("split"))
        job.setValue(["succeeded": 3], at: ["status"])
        let (statusCode, afterStatus) = api.call("PUT", "\(jobs)/split/status", body: job)
        #expect(statusCode == 200)
        #expect(afterStatus.value(at: ["status", "succeeded"]) == 3)
        var specWrite = afterStatus
        specWrite.setValue(["succeeded": 99], at: ["status"])
        specWrite.setValue(9, at: ["spec", "backoffLimit"])
        let (_, afterSpec) = api.call("PUT", "\(jobs)/split", body: specWrite)
        #expect(afterSpec.value(at: ["status", "succeeded"]) == 3)
        #expect(afterSpec.value(at: ["spec", "backoffLimit"]) == 9)
        var statusWrite = afterSpec
        statusWrite.setValue(1, at: ["spec", "backoffLimit"])
        let (_, afterSecondStatus) = api.call("PUT", "\(jobs)/split/status", body: statusWrite)
        #expect(afterSecondStatus.value(at: ["spec", "backoffLimit"]) == 9)
    }

    @Test func mergePatchWithNullDeletesAField() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", jobs, body: ObjectBuilders.job("p", labels: ["a": "1", "b": "2"]))
        let (status, patched) = api.call("PATCH", "\(jobs)/p", body: ["metadata": ["labels": ["a": .null, "c": "3"]]],
                                         headers: ["Content-Type": "application/merge-patch+json"])
        #expect(status == 200)
        #expect(patched.value(at: ["metadata", "labels"]) == ["b": "2", "c": "3"])
    }

    @Test func patchOfAMissingObjectIsNotFoundButApplyCreatesIt() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let merge = api.call("PATCH", "\(jobs)/absent", body: ["metadata": ["labels": ["a": "1"]]],
                             headers: ["Content-Type": "application/merge-patch+json"])
        #expect(merge.status == 404)
        let apply = api.call("PATCH", "\(jobs)/applied", query: ["fieldManager": "kubectl", "force": "false"], body: ObjectBuilders.job("applied"),
                             headers: ["Content-Type": "application/apply-patch+yaml"])
        #expect(apply.status == 201)
        let again = api.call("PATCH", "\(jobs)/applied", body: ObjectBuilders.job("applied"), headers: ["Content-Type": "application/apply-patch+yaml"])
        #expect(again.status == 200)
    }

    @Test func aNoOpUpdateKeepsTheResourceVersion() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (_, job) = api.call("POST", jobs, body: ObjectBuilders.job("same"))
        let (_, after) = api.call("PUT", "\(jobs)/same", body: job)
        #expect(after.value(at: ["metadata", "resourceVersion"]) == job.value(at: ["metadata", "resourceVersion"]))
    }

    @Test func reapplyingTheSameManifestChangesNothing() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (_, created) = api.call("POST", jobs, body: ObjectBuilders.job("again"))
        let (status, after) = api.call("PATCH", "\(jobs)/again", body: ObjectBuilders.job("again"),
                                       headers: ["Content-Type": "application/merge-patch+json"])
        #expect(status == 200)
        #expect(after.value(at: ["metadata", "resourceVersion"]) == created.value(at: ["metadata", "resourceVersion"]))
        #expect(after.value(at: ["metadata", "generation"]) == 1)
    }

    @Test func scaleSubresourceReadsAndWritesReplicas() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", deployments, body: ObjectBuilders.deployment("web", replicas: 2))
        let (status, scale) = api.call("GET", "\(deployments)/web/scale")
        #expect(status == 200)
        #expect(scale["kind"] == "Scale")
        #expect(scale.value(at: ["spec", "replicas"]) == 2)
        #expect(scale.value(at: ["status", "selector"]) == "app=web")
        let (patchStatus, patched) = api.call("PATCH", "\(deployments)/web/scale", body: ["spec": ["replicas": 5]],
                                              headers: ["Content-Type": "application/merge-patch+json"])
        #expect(patchStatus == 200)
        #expect(patched.value(at: ["spec", "replicas"]) == 5)
        #expect(api.call("GET", "\(deployments)/web").body.value(at: ["spec", "replicas"]) == 5)
    }

    @Test func bindingSucceedsOnceOnly() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", "/api/v1/namespaces/default/pods", body: ObjectBuilders.pod("p"))
        let binding: JSONValue = ["apiVersion": "v1", "kind": "Binding", "metadata": ["name": "p"], "target": ["kind": "Node", "name": "n1"]]
        #expect(api.call("POST", "/api/v1/namespaces/default/pods/p/binding", body: binding).status == 201)
        let pod = api.call("GET", "/api/v1/namespaces/default/pods/p").body
        #expect(pod.value(at: ["spec", "nodeName"]) == "n1")
        var second = binding
        second.setValue("n2", at: ["target", "name"])
        let (status, body) = api.call("POST", "/api/v1/namespaces/default/pods/p/binding", body: second)
        #expect(status == 409)
        #expect(body["reason"] == "Conflict")
    }
}
