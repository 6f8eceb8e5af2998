@testable import CLI
import Client
import Foundation
import Model
import TestSupport
import Testing

/// `drover watch` against a fake cluster the test moves along.
@Suite struct JobWatchTests {
    let jobs = ResourceCatalog.jobs
    let pods = ResourceCatalog.pods

    func cluster(completions: Int = 2) throws -> (FakeAPIClient, String) {
        let client = FakeAPIClient()
        var job = jobJSON("pi")
        job.setValue(.int(Int64(completions)), at: ["spec", "completions"])
        try client.seed(jobs, job)
        return (client, JobView(client.object(jobs, namespace: "default", name: "pi")!).uid)
    }

    func pod(_ name: String, uid: String, node: String? = nil, phase: String = "Pending", exitCode: Int? = nil) -> JSONValue {
        var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod",
                              "metadata": ["name": .string(name), "namespace": "default", "labels": [.init(stringLiteral: JobView.controllerUIDLabel): .string(uid)]],
                              "spec": ["containers": [["name": "main", "image": "busybox"]]],
                              "status": ["phase": .string(phase)]]
        if let node { pod.setValue(.string(node), at: ["spec", "nodeName"]) }
        if phase == "Running" { pod.setValue([["name": "main", "state": ["running": ["startedAt": "2026-01-01T00:00:00Z"]]]], at: ["status", "containerStatuses"]) }
        if let exitCode {
            pod.setValue([["name": "main", "state": ["terminated": ["exitCode": .int(Int64(exitCode)), "reason": exitCode == 0 ? "Completed" : "Error"]]]],
                         at: ["status", "containerStatuses"])
        }
        return pod
    }

    func setJobStatus(_ client: FakeAPIClient, _ status: JSONValue) async throws {
        var job = client.object(jobs, namespace: "default", name: "pi")!
        job["status"] = status
        _ = try await client.updateStatus(jobs, namespace: "default", object: job)
    }

    func replace(_ client: FakeAPIClient, _ object: JSONValue) async throws {
        var object = object
        let name = object.value(at: ["metadata", "name"])!.string!
        object.setValue(client.object(pods, namespace: "default", name: name)?.value(at: ["metadata", "resourceVersion"]), at: ["metadata", "resourceVersion"])
        let updated = try await client.update(pods, namespace: "default", object: object)
        object.setValue(updated.value(at: ["metadata", "resourceVersion"]), at: ["metadata", "resourceVersion"])
        _ = try await client.updateStatus(pods, namespace: "default", object: object)   // update leaves status alone, as the server does
    }

    /// Runs the command line while `script` moves the cluster along.
    func watch(_ arguments: [String], client: FakeAPIClient, terminal: Bool = false,
               script: @escaping @Sendable () async throws -> Void) async throws -> (Int32, String, String) {
        let output = CapturedOutput()
        var context = output.context(client: client)
        context.isTerminal = terminal
        let frozen = context
        let run = Task { await DroverCLI.run(arguments, context: frozen) }
        // The watches are open once the fake has recorded them.
        _ = await eventually { client.calls.filter { $0.verb == "watch" }.count >= 2 }
        try await script()
        let status = await run.value
        return (status, output.out, output.err)
    }

    @Test func aJobThatCompletesExitsZeroWithPlainLinesOfEachPodChange() async throws {
        let (client, uid) = try cluster()
        let (status, out, _) = try await watch(["watch", "job/pi"], client: client) {
            _ = try await client.create(pods, namespace: "default", object: pod("pi-a", uid: uid))
            try await replace(client, pod("pi-a", uid: uid, node: "n1", phase: "Running"))
            try await setJobStatus(client, ["active": 1, "startTime": "2026-01-01T00:00:00Z"])
            try await replace(client, pod("pi-a", uid: uid, node: "n1", phase: "Succeeded", exitCode: 0))
            try await setJobStatus(client, ["succeeded": 2, "startTime": "2026-01-01T00:00:00Z", "completionTime": "2026-01-01T00:00:07Z",
                                            "conditions": [["type": "Complete", "status": "True"]]])
        }
        #expect(status == 0)
        #expect(out.contains("pod/pi-a scheduled to n1\npod/pi-a running\n"))
        #expect(out.contains("job/pi: 0/2 succeeded, 1 active"))
        #expect(out.contains("pod/pi-a succeeded\n"))
        #expect(out.hasSuffix("job/pi complete: 2/2 succeeded in 7s\n"))
        #expect(!out.contains("\u{1B}"), "plain output has no escape codes")
    }

    @Test func aFailedJobExitsOneWithTheReasonTheExitCodeAndTheLogTail() async throws {
        let (client, uid) = try cluster()
        client.setRawHandler { request in
            guard request.path.hasSuffix("/pods/pi-b/log") else { return nil }
            #expect(request.query.contains { $0 == ("tailLines", "10") })
            return RawResponse(status: 200, headers: [:], body: Array("starting\nboom: disk full\n".utf8))
        }
        let (status, out, _) = try await watch(["watch", "pi"], client: client) {
            _ = try await client.create(pods, namespace: "default", object: pod("pi-b", uid: uid, node: "n1", phase: "Failed", exitCode: 3))
            try await setJobStatus(client, ["failed": 1, "conditions": [["type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                                                                          "message": "Job has reached the specified backoff limit"]]])
        }
        #expect(status == 1)
        #expect(out.contains("pod/pi-b failed: exit code 3\n"))
        #expect(out.contains("last 10 lines of pod/pi-b [main]:\n  starting\n  boom: disk full\n"))
        #expect(out.hasSuffix("job/pi failed: BackoffLimitExceeded: Job has reached the specified backoff limit (0 succeeded, 1 failed)\n"))
    }

    @Test func aJobThatDoesNotFinishInTimeExitsTwo() async throws {
        let (client, _) = try cluster()
        let (status, out, _) = try await watch(["watch", "job/pi", "--timeout", "1"], client: client) {}
        #expect(status == 2)
        #expect(out.hasSuffix("timed out after 1s waiting for job/pi: 0/2 succeeded, 0 active\n"))
    }

    @Test func onATerminalTheStatusLineIsRedrawnInPlace() async throws {
        let (client, uid) = try cluster()
        let (status, out, _) = try await watch(["watch", "job/pi"], client: client, terminal: true) {
            _ = try await client.create(pods, namespace: "default", object: pod("pi-a", uid: uid, node: "n1"))
            try await setJobStatus(client, ["succeeded": 2, "conditions": [["type": "Complete", "status": "True"]]])
        }
        #expect(status == 0)
        #expect(out.hasPrefix("\r\u{1B}[Kjob/pi [························] 0/2 succeeded, 0 active"))
        #expect(out.contains("\r\u{1B}[Kpod/pi-a scheduled to n1\njob/pi ["))
        #expect(out.hasSuffix("\r\u{1B}[Kjob/pi complete: 2/2 succeeded\n"))
    }

    @Test func submitWaitPrintsOnlyTheFinalLine() async throws {
        let client = FakeAPIClient()
        let (status, out, _) = try await watch(["submit", "pi", "--wait", "--", "true"], client: client) {
            try await setJobStatus(client, ["succeeded": 1, "conditions": [["type": "Complete", "status": "True"]]])
        }
        #expect(status == 0)
        #expect(out == "job/pi complete: 1/1 succeeded\n")
    }

    @Test func watchWithLogsPrintsEachPodsOutputPrefixed() async throws {
        let (client, uid) = try cluster(completions: 1)
        client.setRawHandler { request in
            guard request.path.hasSuffix("/pods/pi-a/log") else { return nil }
            return RawResponse(status: 200, headers: [:], body: Array("hello\nworld".utf8))
        }
        let (status, out, _) = try await watch(["watch", "job/pi", "--logs"], client: client) {
            _ = try await client.create(pods, namespace: "default", object: pod("pi-a", uid: uid, node: "n1", phase: "Succeeded", exitCode: 0))
            try await setJobStatus(client, ["succeeded": 1, "conditions": [["type": "Complete", "status": "True"]]])
        }
        #expect(status == 0)
        #expect(out.contains("[pi-a] hello\n[pi-a] world\n"))
        #expect(out.hasSuffix("job/pi complete: 1/1 succeeded\n"))
    }

    @Test func anotherJobReportedAsDeletedDoesNotEndTheWatch() async throws {
        let (client, _) = try cluster(completions: 1)
        let output = CapturedOutput()
        var context = output.context(client: client)
        // As the server replays history from an old resourceVersion: another Job's change comes
        // through the name-selected watch as DELETED.
        let other = JSONValue.object(JSONObject([("metadata", ["name": "other", "namespace": "default", "uid": "uid-other"])]))
        context.makeClient = { _ in ReplayingOtherJob(fake: client, other: other) }
        let frozen = context
        let run = Task { await DroverCLI.run(["watch", "job/pi"], context: frozen) }
        _ = await eventually { client.calls.filter { $0.verb == "watch" }.count >= 2 }
        try await setJobStatus(client, ["succeeded": 1, "conditions": [["type": "Complete", "status": "True"]]])
        #expect(await run.value == 0, "\(output.out)")
        #expect(!output.out.contains("deleted"))
    }

    @Test func aJobDeletedWhileWatchedEndsTheWatch() async throws {
        let (client, _) = try cluster()
        let (status, out, _) = try await watch(["watch", "job/pi"], client: client) {
            _ = try await client.delete(jobs, namespace: "default", name: "pi")
        }
        #expect(status == 1)
        #expect(out.hasSuffix("job/pi was deleted before it finished\n"))
    }
}

/// A client whose Job watches first deliver a DELETED event of another Job.
final class ReplayingOtherJob: ForwardingAPIClient, @unchecked Sendable {
    let other: JSONValue

    init(fake: FakeAPIClient, other: JSONValue) {
        self.other = other
        super.init(fake: fake)
    }

    override func watch(_ resource: ResourceInfo, namespace: String?, options: WatchOptions) -> AsyncThrowingStream<WatchEvent, any Error> {
        let upstream = super.watch(resource, namespace: namespace, options: options)
        guard resource == ResourceCatalog.jobs else { return upstream }
        let other = self.other
        return AsyncThrowingStream { continuation in
            continuation.yield(WatchEvent(type: .deleted, object: other))
            let task = Task {
                do {
                    for try await event in upstream { continuation.yield(event) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
