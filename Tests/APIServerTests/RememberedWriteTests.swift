import Foundation
import Model
import Store
import Testing
import TestSupport
@testable import APIServer

/// Updates and patches that start from the store's memory of recent objects (RecentObjectsStore)
/// give the answers of a read: a stale memory (another server wrote) costs a retry, never a lost
/// write, a wrong conflict or an old object.
@Suite struct RememberedWriteTests {
    let jobs = "/apis/batch/v1/namespaces/default/jobs"
    let key = ObjectKey(resource: "jobs.batch", namespace: "default", name: "j")
    let merge = ["Content-Type": "application/merge-patch+json"]

    /// Creates job `j` through the server, then changes its labels behind the memory's back.
    func staleJob(_ api: APIHarness) throws -> StoredObject {
        let created = api.call("POST", jobs, body: ObjectBuilders.job("j")).body
        var object = created
        object.setValue(["behind": "yes"], at: ["metadata", "labels"])
        object.setValue(nil, at: ["metadata", "resourceVersion"])
        return try api.store.update(key, json: object.serialized(), ifResourceVersion: Int64(created.value(at: ["metadata", "resourceVersion"])!.string!)!)
    }

    @Test func aPatchOnAStaleMemoryKeepsTheOtherServersWrite() throws {
        let api = try APIHarness(rememberingOver: MemoryStore())
        defer { api.shutdown() }
        _ = try staleJob(api)
        let (status, patched) = api.call("PATCH", "\(jobs)/j", body: ["metadata": ["annotations": ["mine": "1"]]], headers: merge)
        #expect(status == 200)
        #expect(patched.value(at: ["metadata", "labels", "behind"]) == "yes")
        #expect(patched.value(at: ["metadata", "annotations", "mine"]) == "1")
    }

    @Test func aNoOpPatchOnAStaleMemoryAnswersTheStoredObject() throws {
        let api = try APIHarness(rememberingOver: MemoryStore())
        defer { api.shutdown() }
        let behind = try staleJob(api)
        // Empty against the remembered state and against the stored one alike.
        let (status, answered) = api.call("PATCH", "\(jobs)/j", body: ["metadata": .emptyObject], headers: merge)
        #expect(status == 200)
        #expect(answered.value(at: ["metadata", "resourceVersion"]) == .string(String(behind.resourceVersion)))
        #expect(answered.value(at: ["metadata", "labels", "behind"]) == "yes")
    }

    @Test func aPreconditionNamingTheStoredVersionPassesOnAStaleMemory() throws {
        let api = try APIHarness(rememberingOver: MemoryStore())
        defer { api.shutdown() }
        let behind = try staleJob(api)
        var object = try behind.parsed()
        object.setValue(["put": "1"], at: ["metadata", "annotations"])
        #expect(api.call("PUT", "\(jobs)/j", body: object).status == 200)
        // A patch carrying the (now old) version is a real conflict.
        let stale = api.call("PATCH", "\(jobs)/j", body: ["metadata": ["resourceVersion": .string(String(behind.resourceVersion)),
                                                                      "annotations": ["late": "1"]]], headers: merge)
        #expect(stale.status == 409)
    }

    @Test func aValidationDecidedOnAStaleMemoryIsDecidedAgainOnTheStoredObject() throws {
        let api = try APIHarness(rememberingOver: MemoryStore())
        defer { api.shutdown() }
        let created = api.call("POST", jobs, body: ObjectBuilders.job("j")).body
        // Behind the memory's back the Job is suspended; resuming it through the server is valid
        // only against that state (a JSON patch test on the stored value).
        var object = created
        object.setValue(true, at: ["spec", "suspend"])
        object.setValue(nil, at: ["metadata", "resourceVersion"])
        _ = try api.store.update(key, json: object.serialized(), ifResourceVersion: Int64(created.value(at: ["metadata", "resourceVersion"])!.string!)!)
        let ops: JSONValue = [["op": "test", "path": "/spec/suspend", "value": true], ["op": "replace", "path": "/spec/suspend", "value": false]]
        let (status, patched) = api.call("PATCH", "\(jobs)/j", body: ops, headers: ["Content-Type": "application/json-patch+json"])
        #expect(status == 200)
        #expect(patched.value(at: ["spec", "suspend"]) == false)
    }
}
