@testable import CLI
import Client
import Foundation
import Model
import Testing
import TestSupport

/// scale, rollout and set image through `DroverCLI.run` against the fake client.
@Suite struct RolloutCommandTests {
    typealias F = RolloutFixtures
    let deployments = ResourceCatalog.deployments

    /// A client holding `web` (as the fake stores it: generation 1) and, owned by it, `sets`.
    func makeClient(_ deployment: JSONValue = F.deployment(generation: 1, observed: 1), sets: (String) -> [JSONValue] = { _ in [] }) throws -> FakeAPIClient {
        let client = FakeAPIClient()
        try client.seed(deployments, deployment)
        let uid = client.object(deployments, namespace: "default", name: "web")?.value(at: ["metadata", "uid"])?.string ?? ""
        for rs in sets(uid) { try client.seed(ResourceCatalog.replicaSets, rs) }
        return client
    }

    func web(_ client: FakeAPIClient) -> DeploymentView { DeploymentView(client.object(deployments, namespace: "default", name: "web") ?? .null) }

    /// Writes `status` members onto web's status, as the controller would.
    func setStatus(_ client: FakeAPIClient, _ status: [String: JSONValue]) async throws {
        var object = try #require(client.object(deployments, namespace: "default", name: "web"))
        for (key, value) in status { object.setValue(value, at: ["status", key]) }
        _ = try await client.updateStatus(deployments, namespace: "default", object: object)
    }

    @Test func scalePatchesTheScaleSubresource() async throws {
        let client = try makeClient()
        let result = await runCLI(["scale", "deployment/web", "--replicas", "5"], client: client)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == "deployment.apps/web scaled\n")
        #expect(web(client).replicas == 5)
        #expect(client.calls.last?.verb == "patch" && client.calls.last?.body == ["spec": ["replicas": 5]])
    }

    @Test func scaleWithCurrentReplicasChecksThenPutsTheScale() async throws {
        let client = try makeClient()
        let puts = Locked<[JSONValue]>([])
        client.setRawHandler { request in
            guard request.path.hasSuffix("/deployments/web/scale") else { return nil }
            if request.method == "PUT" {
                puts.withLock { $0.append((try? JSONValue.parse(request.body ?? [])) ?? .null) }
            }
            return RawResponse(status: 200, json: ["kind": "Scale", "metadata": ["name": "web", "resourceVersion": "7"], "spec": ["replicas": 3]])
        }
        let wrong = await runCLI(["scale", "deploy", "web", "--current-replicas", "2", "--replicas", "4"], client: client)
        #expect(wrong.status == 1)
        #expect(wrong.err == "error: Expected replicas to be 2, was 3\n")
        let right = await runCLI(["scale", "deploy", "web", "--current-replicas", "3", "--replicas", "4"], client: client)
        #expect(right.out == "deployment.apps/web scaled\n", "\(right.err)")
        let put = try #require(puts.withLock { $0 }.first)
        #expect(put.value(at: ["spec", "replicas"]) == 4 && put.value(at: ["metadata", "resourceVersion"]) == "7")
    }

    @Test func aConflictingScalePutIsRetriedFromTheGet() async throws {
        let client = try makeClient()
        let puts = Locked(0)
        client.setRawHandler { request in
            guard request.method == "PUT" else {
                return RawResponse(status: 200, json: ["kind": "Scale", "metadata": ["name": "web"], "spec": ["replicas": 3]])
            }
            // The first PUT loses a race with a status write.
            if puts.withLock({ $0 += 1; return $0 }) == 1 {
                return RawResponse(status: 409, json: StatusError.conflict(resource: "deployments", group: "apps", name: "web").statusObject)
            }
            return RawResponse(status: 200, json: ["kind": "Scale"])
        }
        let result = await runCLI(["scale", "deploy/web", "--current-replicas", "3", "--replicas", "1"], client: client)
        #expect(result.out == "deployment.apps/web scaled\n", "\(result.err)")
        #expect(puts.withLock { $0 } == 2)
        #expect(client.calls.filter { $0.verb == "raw" }.count == 4, "GET, PUT (409), GET, PUT")
    }

    @Test func scaleRefusesJobsAndBadCounts() async throws {
        let job = await runCLI(["scale", "job/batch", "--replicas", "2"])
        #expect(job.status == 1 && job.err.contains("kubectl removed job scaling"), "\(job.err)")
        #expect(await runCLI(["scale", "deployment/web"]).err.contains("required flag(s) \"replicas\" not set"))
        #expect(await runCLI(["scale", "deployment/web", "--replicas", "-1"]).status == 2)
    }

    @Test func statusFollowsTheWatchUntilTheRolloutIsDone() async throws {
        let client = try makeClient(F.deployment(generation: 1, observed: 0, updated: 0, total: 3, available: 0))
        let run = Task { await runCLI(["rollout", "status", "deployment/web"], client: client) }
        #expect(await eventually { client.calls.contains { $0.verb == "watch" } })
        try await setStatus(client, ["observedGeneration": 1, "updatedReplicas": 1, "replicas": 4])
        try await setStatus(client, ["updatedReplicas": 3])
        try await setStatus(client, ["replicas": 3, "availableReplicas": 2])
        try await setStatus(client, ["availableReplicas": 3])
        let result = await run.value
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == """
        Waiting for deployment spec update to be observed...
        Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...
        Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...
        Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...
        deployment "web" successfully rolled out

        """)
    }

    @Test func statusStopsOnTheProgressDeadlineTheTimeoutOrWithoutWatch() async throws {
        let client = try makeClient(F.deployment(generation: 1, observed: 1, available: 1))
        let once = await runCLI(["rollout", "status", "deployment/web", "-w=false"], client: client)
        #expect(once.status == 0 && once.out == "Waiting for deployment \"web\" rollout to finish: 1 of 3 updated replicas are available...\n")
        let late = await runCLI(["rollout", "status", "deployment/web", "--timeout", "0.3"], client: client)
        #expect(late.status == 1 && late.err == "error: timed out waiting for the condition\n", "\(late.err)")
        try await setStatus(client, ["conditions": [["type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"]]])
        let stuck = await runCLI(["rollout", "status", "deployment/web"], client: client)
        #expect(stuck.status == 1 && stuck.err == "error: deployment \"web\" exceeded its progress deadline\n")
    }

    @Test func historyAndUndoReadTheOwnedReplicaSets() async throws {
        let client = try makeClient { uid in
            [F.replicaSet("aaa", revision: "1", image: "busybox:1", owner: uid), F.replicaSet("bbb", revision: "2", image: "busybox:2", owner: uid)]
        }
        let history = await runCLI(["rollout", "history", "deployment/web"], client: client)
        #expect(history.out == "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n", "\(history.err)")
        let one = await runCLI(["rollout", "history", "deployment/web", "--revision=1"], client: client)
        #expect(one.out.hasPrefix("deployment.apps/web with revision #1\nPod Template:\n") && one.out.contains("busybox:1"), "\(one.out)")
        let undo = await runCLI(["rollout", "undo", "deployment/web"], client: client)
        #expect(undo.out == "deployment.apps/web rolled back\n", "\(undo.err)")
        #expect(web(client).template == F.template(image: "busybox:1", hash: nil))
        let again = await runCLI(["rollout", "undo", "deployment/web", "--to-revision", "1"], client: client)
        #expect(again.out == "deployment.apps/web skipped rollback (current template already matches revision 1)\n")
    }

    @Test func pauseResumeAndRestartSayWhatKubectlSays() async throws {
        let client = try makeClient()
        #expect(await runCLI(["rollout", "pause", "deployment/web"], client: client).out == "deployment.apps/web paused\n")
        #expect(web(client).paused)
        let twice = await runCLI(["rollout", "pause", "deployment/web"], client: client)
        #expect(twice.status == 1 && twice.err == "error: deployments.apps \"web\" is already paused\n")
        #expect(await runCLI(["rollout", "restart", "deployment/web"], client: client).err.contains("can't restart paused deployment"))
        #expect(await runCLI(["rollout", "resume", "deployment/web"], client: client).out == "deployment.apps/web resumed\n")
        #expect(!web(client).paused)
        #expect(await runCLI(["rollout", "resume", "deployment/web"], client: client).err == "error: deployments.apps \"web\" is not paused\n")
        #expect(await runCLI(["rollout", "restart", "deployment/web"], client: client).out == "deployment.apps/web restarted\n")
        #expect(web(client).template.value(at: ["metadata", "annotations", RolloutPatch.restartedAtAnnotation]) != nil)
    }

    @Test func setImageChangesTheNamedContainer() async throws {
        let client = try makeClient()
        let result = await runCLI(["set", "image", "deployment/web", "main=busybox:3"], client: client)
        #expect(result.out == "deployment.apps/web image updated\n", "\(result.err)")
        #expect(web(client).template.value(at: ["spec", "containers"])?[0]?["image"] == "busybox:3")
        let missing = await runCLI(["set", "image", "deployment/web", "side=busybox:3"], client: client)
        #expect(missing.status == 1 && missing.err == "error: unable to find container named \"side\"\n")
    }

    @Test(arguments: [
        (["rollout"], Int32(2), "a sub-command is required"),
        (["rollout", "stats", "deployment/web"], 2, "unknown command \"stats\" for \"drover rollout\""),
        (["rollout", "status"], 2, "required resource not specified"),
        (["rollout", "undo", "deployment/web", "--timeout", "1s"], 2, "not a flag of rollout undo"),
        (["rollout", "status", "job/web"], 1, "no status viewer has been implemented for Job.batch"),
        (["rollout", "history", "deployment/web", "--revision", "-2"], 2, "revision must be a positive integer: -2"),
    ])
    func badRolloutCommandLinesAreExplained(_ arguments: [String], _ status: Int32, _ message: String) async {
        let result = await runCLI(arguments)
        #expect(result.status == status)
        #expect(result.err.contains(message), "\(result.err)")
    }
}

/// A value behind a lock, for handlers that record what they saw.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}
