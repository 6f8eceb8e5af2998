import Foundation
import Model
import Testing
import TestSupport
@testable import APIServer

@Suite struct DeleteTests {
    let jobs = "/apis/batch/v1/namespaces/default/jobs"
    let pods = "/api/v1/namespaces/default/pods"

    @Test func deletingAJobAnswersASuccessStatus() async throws {
        try await offCooperativePool { try deletingAJobAnswersASuccessStatusBlocking() }
    }

    func deletingAJobAnswersASuccessStatusBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (_, job) = api.call("POST", jobs, body: ObjectBuilders.job("gone"))
        let (status, body) = api.call("DELETE", "\(jobs)/gone", body: ["propagationPolicy": "Background"])
        #expect(status == 200)
        #expect(body["status"] == "Success")
        #expect(body.value(at: ["details", "uid"]) == job.value(at: ["metadata", "uid"]))
        #expect(api.call("GET", "\(jobs)/gone").status == 404)
        #expect(api.call("DELETE", "\(jobs)/gone").status == 404)
    }

    @Test func finalizersHoldTheObjectUntilRemoved() async throws {
        try await offCooperativePool { try finalizersHoldTheObjectUntilRemovedBlocking() }
    }

    func finalizersHoldTheObjectUntilRemovedBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        var job = ObjectBuilders.job("held")
        job.setValue(["example.com/hold"], at: ["metadata", "finalizers"])
        api.call("POST", jobs, body: job)
        let (status, marked) = api.call("DELETE", "\(jobs)/held")
        #expect(status == 200)
        #expect(marked.value(at: ["metadata", "deletionTimestamp"]) != nil)
        #expect(api.call("GET", "\(jobs)/held").status == 200)
        let (patchStatus, _) = api.call("PATCH", "\(jobs)/held", body: ["metadata": ["finalizers": .null]],
                                        headers: ["Content-Type": "application/merge-patch+json"])
        #expect(patchStatus == 200)
        #expect(api.call("GET", "\(jobs)/held").status == 404)
    }

    @Test func propagationPolicyIsRecordedForTheGarbageCollector() async throws {
        try await offCooperativePool { try propagationPolicyIsRecordedForTheGarbageCollectorBlocking() }
    }

    func propagationPolicyIsRecordedForTheGarbageCollectorBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", jobs, body: ObjectBuilders.job("orphaned"))
        let (_, marked) = api.call("DELETE", "\(jobs)/orphaned", query: ["propagationPolicy": "Orphan"])
        #expect(marked.value(at: ["metadata", "finalizers"]) == ["orphan"])
        api.call("POST", jobs, body: ObjectBuilders.job("fg"))
        let (_, foreground) = api.call("DELETE", "\(jobs)/fg", body: ["kind": "DeleteOptions", "propagationPolicy": "Foreground"])
        #expect(foreground.value(at: ["metadata", "finalizers"]) == ["foregroundDeletion"])
        let (bad, _) = api.call("DELETE", "\(jobs)/fg", query: ["propagationPolicy": "Sideways"])
        #expect(bad == 400)
    }

    @Test func boundPodsTerminateGracefullyAndUnboundOnesGoAtOnce() async throws {
        try await offCooperativePool { try boundPodsTerminateGracefullyAndUnboundOnesGoAtOnceBlocking() }
    }

    func boundPodsTerminateGracefullyAndUnboundOnesGoAtOnceBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", pods, body: ObjectBuilders.pod("bound", nodeName: "n1"))
        api.call("POST", pods, body: ObjectBuilders.pod("pending"))
        let (status, pod) = api.call("DELETE", "\(pods)/bound")
        #expect(status == 200)
        #expect(pod.value(at: ["metadata", "deletionGracePeriodSeconds"]) == 30)
        #expect(api.call("GET", "\(pods)/bound").status == 200)
        // The agent finishes the deletion with grace 0.
        #expect(api.call("DELETE", "\(pods)/bound", query: ["gracePeriodSeconds": "0"]).status == 200)
        #expect(api.call("GET", "\(pods)/bound").status == 404)
        #expect(api.call("DELETE", "\(pods)/pending").status == 200)
        #expect(api.call("GET", "\(pods)/pending").status == 404)
    }

    @Test func preconditionsAreChecked() async throws {
        try await offCooperativePool { try preconditionsAreCheckedBlocking() }
    }

    func preconditionsAreCheckedBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", jobs, body: ObjectBuilders.job("pre"))
        let (status, _) = api.call("DELETE", "\(jobs)/pre", body: ["preconditions": ["uid": "not-the-uid"]])
        #expect(status == 409)
    }

    @Test func deletingANamespaceDeletesEverythingInIt() async throws {
        try await offCooperativePool { try deletingANamespaceDeletesEverythingInItBlocking() }
    }

    func deletingANamespaceDeletesEverythingInItBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", "/api/v1/namespaces", body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
        #expect(api.call("POST", "/apis/batch/v1/namespaces/team/jobs", body: ObjectBuilders.job("a", namespace: "team")).status == 201)
        #expect(api.call("POST", "/api/v1/namespaces/team/pods", body: ObjectBuilders.pod("b", namespace: "team")).status == 201)
        let (status, ns) = api.call("DELETE", "/api/v1/namespaces/team")
        #expect(status == 200)
        #expect(ns.value(at: ["status", "phase"]) == "Terminating")
        let deadline = Date().addingTimeInterval(5)
        while api.call("GET", "/api/v1/namespaces/team").status != 404 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(api.call("GET", "/api/v1/namespaces/team").status == 404)
        #expect(api.call("GET", "/apis/batch/v1/namespaces/team/jobs/a").status == 404)
        #expect(api.call("GET", "/api/v1/namespaces/team/pods/b").status == 404)
    }

    @Test func theDefaultNamespaceCannotBeDeleted() async throws {
        try await offCooperativePool { try theDefaultNamespaceCannotBeDeletedBlocking() }
    }

    func theDefaultNamespaceCannotBeDeletedBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        #expect(api.call("DELETE", "/api/v1/namespaces/default").status == 403)
    }

    @Test func evictionDeletesThePod() async throws {
        try await offCooperativePool { try evictionDeletesThePodBlocking() }
    }

    func evictionDeletesThePodBlocking() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", pods, body: ObjectBuilders.pod("evicted"))
        let eviction: JSONValue = ["kind": "Eviction", "apiVersion": "policy/v1", "metadata": ["name": "evicted", "namespace": "default"], "deleteOptions": .emptyObject]
        #expect(api.call("POST", "\(pods)/evicted/eviction", body: eviction).status == 201)
        #expect(api.call("GET", "\(pods)/evicted").status == 404)
    }
}
