import Foundation
import Model
import Testing
import TestSupport
@testable import APIServer

/// `drover.dev/depends-on` through the handlers: the hold on create, and the 422s that need the
/// stored Jobs (a Job that does not exist, a cycle).
@Suite struct JobDependencyAPITests {
    let jobs = "/apis/batch/v1/namespaces/default/jobs"
    static let field = "metadata.annotations[drover.dev/depends-on]"

    static func job(_ name: String, dependsOn: String? = nil) -> JSONValue {
        var job: JSONValue = ["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": .string(name)],
                              "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "c", "command": ["true"]]]]]]]
        if let dependsOn { job.setValue(.stringMap([JobDependencies.annotation: dependsOn]), at: ["metadata", "annotations"]) }
        return job
    }

    @Test func aJobWithDependenciesIsStoredSuspendedAndHeld() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        #expect(api.call("POST", jobs, body: Self.job("prep")).status == 201)
        let created = api.call("POST", jobs, body: Self.job("train", dependsOn: "afterok:prep"))
        #expect(created.status == 201)
        #expect(created.body.value(at: ["spec", "suspend"]) == true)
        #expect(JobView(created.body).isHeldByDependencies)
    }

    @Test func aDependencyOnAJobThatDoesNotExistIsA422() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let refused = api.call("POST", jobs, body: Self.job("train", dependsOn: "afterok:prep"))
        #expect(refused.status == 422)
        #expect(refused.body["reason"] == "Invalid")
        let cause = refused.body.value(at: ["details", "causes"])?.array?.first
        #expect(cause?["field"]?.string == Self.field)
        #expect(refused.body["message"]?.string == "Job.batch \"train\" is invalid: \(Self.field): Invalid value: \"afterok:prep\": "
                + "job \"prep\" does not exist in namespace \"default\": dependencies name existing Jobs, so submit prep first")
        // A dry run is checked the same way.
        #expect(api.call("POST", jobs, query: ["dryRun": "All"], body: Self.job("train", dependsOn: "afterok:prep")).status == 422)
    }

    @Test func aCycleThroughStoredJobsIsA422OnCreateAndOnUpdate() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        // a exists; b waits for a; a is deleted and submitted again waiting for b: a → b → a.
        #expect(api.call("POST", jobs, body: Self.job("a")).status == 201)
        #expect(api.call("POST", jobs, body: Self.job("b", dependsOn: "afterok:a")).status == 201)
        #expect(api.call("DELETE", "\(jobs)/a").status == 200)
        let cycle = api.call("POST", jobs, body: Self.job("a", dependsOn: "afterany:b"))
        #expect(cycle.status == 422)
        let cycleMessage = cycle.body["message"]?.string ?? ""
        #expect(cycleMessage.hasSuffix("dependency cycle: a → b → a"), "\(cycleMessage)")

        // Through an update of a held Job: c waits for b, then b is made to wait for c.
        #expect(api.call("POST", jobs, body: Self.job("a")).status == 201)
        #expect(api.call("POST", jobs, body: Self.job("c", dependsOn: "afterok:b")).status == 201)
        let patch: JSONValue = ["metadata": ["annotations": [JobDependencies.annotation: "afterok:a,afterok:c"]]]
        let updated = api.call("PATCH", "\(jobs)/b", body: patch, headers: ["Content-Type": "application/merge-patch+json"])
        #expect(updated.status == 422)
        let updateMessage = updated.body["message"]?.string ?? ""
        #expect(updateMessage.hasSuffix("dependency cycle: b → c → b"), "\(updateMessage)")
    }

    @Test func badSyntaxIsA422NamingTheAnnotation() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let refused = api.call("POST", jobs, body: Self.job("train", dependsOn: "afterok:a?afterok:b"))
        #expect(refused.status == 422)
        #expect(refused.body.value(at: ["details", "causes"])?.array?.first?["field"]?.string == Self.field)
    }
}
