import Client
import Foundation
import Model
import Testing
import TestSupport

/// pods/NAME/eviction and PodDisruptionBudgets over real HTTP and real PostgreSQL, as upstream's
/// eviction.go answers: budgets are spent by compare-and-swap, a spent budget is a 429 with
/// upstream's Status, dryRun changes nothing. The budgets' status is written here by hand (no
/// controller runs), so each case states exactly what the budget allows.
@Suite(.serialized) struct EvictionTests {
    let pods = ResourceCatalog.pods
    let budgets = ResourceCatalog.podDisruptionBudgets

    /// A pod bound to a node, Running, Ready unless told otherwise.
    func runningPod(_ client: HTTPAPIClient, _ name: String, app: String = "web", ready: Bool = true, phase: String = "Running") async throws {
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "labels": ["app": .string(app)]],
                              "spec": ["nodeName": "n1", "containers": [["name": "main", "image": "busybox"]]]]
        var created = try await client.create(pods, namespace: "default", object: pod)
        created["status"] = ["phase": .string(phase), "conditions": [["type": "Ready", "status": .string(ready ? "True" : "False")]]]
        _ = try await client.updateStatus(pods, namespace: "default", object: created)
    }

    /// A budget over `app` whose status says it allows `allowed` disruptions of `healthy` healthy
    /// pods where `desired` must stay (observed at its generation unless `observed` says otherwise).
    func budget(_ client: HTTPAPIClient, _ name: String = "web", app: String = "web", allowed: Int, healthy: Int = 3, desired: Int = 2,
                observed: Int64 = 1, extraSpec: JSONValue = .emptyObject) async throws {
        var spec: JSONValue = ["minAvailable": .int(Int64(desired)), "selector": ["matchLabels": ["app": .string(app)]]]
        for (key, value) in extraSpec.object?.pairs ?? [] { spec[key] = value }
        var created = try await client.create(budgets, namespace: "default", object: [
            "apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": .string(name)], "spec": spec])
        created["status"] = ["observedGeneration": .int(observed), "disruptionsAllowed": .int(Int64(allowed)),
                             "currentHealthy": .int(Int64(healthy)), "desiredHealthy": .int(Int64(desired)), "expectedPods": 3]
        _ = try await client.updateStatus(budgets, namespace: "default", object: created)
    }

    func evict(_ client: HTTPAPIClient, _ name: String, query: [(String, String)] = [], body: JSONValue? = nil) async throws -> RawResponse {
        let eviction = body ?? ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": .string(name), "namespace": "default"],
                                "deleteOptions": .emptyObject]
        return try await client.raw(RawRequest(method: "POST", path: "/api/v1/namespaces/default/pods/\(name)/eviction", query: query, json: eviction))
    }

    func pod(_ client: HTTPAPIClient, _ name: String) async throws -> PodView? {
        try await client.getIfPresent(pods, namespace: "default", name: name).map(PodView.init)
    }

    func pdb(_ client: HTTPAPIClient, _ name: String = "web") async throws -> PodDisruptionBudgetView {
        PodDisruptionBudgetView(try await client.get(budgets, namespace: "default", name: name))
    }

    @Test func aSpentBudgetRefusesWithUpstreamsStatusAndAnAllowingOneIsDecremented() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        try await runningPod(client, "web-a")
        try await runningPod(client, "web-b")
        try await budget(client, allowed: 1)

        let first = try await evict(client, "web-a")
        #expect(first.status == 201)
        #expect(try JSONValue.parse(first.body)["status"] == "Success")
        let spent = try await pdb(client)
        #expect(spent.disruptionsAllowed == 0 && Set(spent.disruptedPods.keys) == ["web-a"])
        #expect(spent.condition("DisruptionAllowed")?.reason == "InsufficientPods")
        let evicted = try #require(try await pod(client, "web-a"))
        #expect(evicted.isDeleting, "bound pods are deleted gracefully")
        let target = evicted.condition("DisruptionTarget")
        #expect(target?.status == "True" && target?.reason == "EvictionByEvictionAPI" && target?.message == "Eviction API: evicting")

        let refused = try await evict(client, "web-b")
        #expect(refused.status == 429)
        #expect(try JSONValue.parse(refused.body) == [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
            "message": "Cannot evict pod as it would violate the pod's disruption budget.", "reason": "TooManyRequests",
            "details": ["causes": [["reason": "DisruptionBudget", "message": "The disruption budget web needs 2 healthy pods and has 3 currently"]]],
            "code": 429,
        ])
        #expect(refused.headers["retry-after"] == nil)
        #expect(try await pod(client, "web-b")?.isDeleting == false)
        #expect(try await pod(client, "web-b")?.condition("DisruptionTarget") == nil)
    }

    @Test func aDryRunEvictionChangesNothing() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        try await runningPod(client, "web-a")
        try await budget(client, allowed: 1)
        let before = try await pdb(client).metadata.resourceVersion
        #expect(try await evict(client, "web-a", query: [("dryRun", "All")]).status == 201)
        let body: JSONValue = ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": "web-a"], "deleteOptions": ["dryRun": ["All"]]]
        #expect(try await evict(client, "web-a", body: body).status == 201)
        #expect(try await pdb(client).metadata.resourceVersion == before)
        let pod = try #require(try await pod(client, "web-a"))
        #expect(!pod.isDeleting && pod.condition("DisruptionTarget") == nil)
        // A dry run against a spent budget is refused the same way.
        try await budget(client, "other", app: "other", allowed: 0)
        try await runningPod(client, "other-a", app: "other")
        #expect(try await evict(client, "other-a", query: [("dryRun", "All")]).status == 429)
    }

    @Test func podsWithoutABudgetOrWithNothingToLoseAreDeletedWithoutSpendingOne() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        try await runningPod(client, "loner", app: "loner")
        #expect(try await evict(client, "loner").status == 201)
        #expect(try await pod(client, "loner")?.isDeleting == true)

        try await budget(client, allowed: 0)
        // Finished: deleted at once (nothing on the node to stop), the budget untouched.
        try await runningPod(client, "web-done", phase: "Succeeded")
        #expect(try await evict(client, "web-done").status == 201)
        #expect(try await pod(client, "web-done") == nil)
        // Unready while the budget is met (3 healthy, 2 needed): it does not count, so it may go.
        try await runningPod(client, "web-unready", ready: false)
        #expect(try await evict(client, "web-unready").status == 201)
        #expect(try await pod(client, "web-unready")?.isDeleting == true)
        let untouched = try await pdb(client)
        #expect(untouched.disruptionsAllowed == 0 && untouched.disruptedPods.isEmpty)
    }

    @Test func unhealthyPodsGoUnderAlwaysAllowEvenWhenTheBudgetIsNotMet() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        try await budget(client, allowed: 0, healthy: 1, desired: 2)
        try await budget(client, "strict", app: "strict", allowed: 0, healthy: 1, desired: 2,
                         extraSpec: ["unhealthyPodEvictionPolicy": "AlwaysAllow"])
        try await runningPod(client, "web-unready", ready: false)
        try await runningPod(client, "strict-unready", app: "strict", ready: false)
        #expect(try await evict(client, "web-unready").status == 429, "IfHealthyBudget: the budget is not met")
        #expect(try await evict(client, "strict-unready").status == 201)
    }

    @Test func twoBudgetsABudgetNotYetObservedAndAWrongNameAreRefusedAsUpstream() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        try await runningPod(client, "web-a")
        try await budget(client, allowed: 1)
        try await budget(client, "second", allowed: 1)
        let two = try await evict(client, "web-a")
        #expect(two.status == 500)
        #expect(try JSONValue.parse(two.body)["message"] == "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")

        _ = try await client.delete(budgets, namespace: "default", name: "second")
        _ = try await client.delete(budgets, namespace: "default", name: "web")
        try await budget(client, allowed: 1, observed: 0)
        let pending = try await evict(client, "web-a")
        #expect(pending.status == 429 && pending.headers["retry-after"] == "10")
        #expect(try JSONValue.parse(pending.body).value(at: ["details", "causes"])?[0]?["message"]
                == "The disruption budget web is still being processed by the server.")

        let wrong = try await evict(client, "web-a", body: ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": "other"]])
        #expect(wrong.status == 400)
        #expect(try JSONValue.parse(wrong.body)["message"] == "name in URL does not match name in Eviction object")
    }

    @Test func budgetsAreValidatedWithFieldPaths() async throws {
        let server = try LiveServer()
        defer { server.stop() }
        let client = try server.client()
        do {
            _ = try await client.create(budgets, namespace: "default", object: [
                "apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": "both"],
                "spec": ["minAvailable": 1, "maxUnavailable": "200%"]])
            Issue.record("an invalid budget must be refused")
        } catch let error as StatusError {
            #expect(error.code == 422 && error.reason == "Invalid")
            #expect(error.causes.map(\.field) == ["spec", "spec.maxUnavailable"])
            #expect(error.message.hasPrefix("PodDisruptionBudget.policy \"both\" is invalid: "))
        }
        let created = try await client.create(budgets, namespace: "default", object: [
            "apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": "ok"], "spec": ["maxUnavailable": 1]])
        #expect(created["status"] == ["disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0])
    }
}
