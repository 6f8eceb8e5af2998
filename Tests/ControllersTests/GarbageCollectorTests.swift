import Client
import ControllerRuntime
import Controllers
import Model
import Testing
import TestSupport

/// The collector running over a FakeAPIClient (which defers deletions while finalizers remain, as
/// the server does).
@Suite struct GarbageCollectorTests {
    let pods = ResourceCatalog.pods
    let jobs = ResourceCatalog.jobs

    struct Cluster {
        let client = FakeAPIClient()
        let factory: SharedInformerFactory
        let collector: GarbageCollector

        init() {
            factory = SharedInformerFactory(client: client)
            collector = GarbageCollector(client: client, factory: factory)
        }

        func start() async {
            factory.start()
            collector.start()
            await factory.waitForSync()
        }

        func stop() {
            collector.stop()
            factory.stop()
        }
    }

    /// A job and `count` pods it controls (blockOwnerDeletion, as the Job controller makes them).
    func jobWithPods(_ client: FakeAPIClient, count: Int, kind: String = "Job") async throws -> JSONValue {
        let job = try await client.create(jobs, namespace: "default", object: ObjectBuilders.job("work"))
        for index in 0..<count {
            var pod = ObjectBuilders.pod("work-\(index)")
            pod.setValue([ownerReference(job, kind: kind)], at: ["metadata", "ownerReferences"])
            _ = try await client.create(pods, namespace: "default", object: pod)
        }
        return job
    }

    func ownerReference(_ owner: JSONValue, kind: String = "Job", uid: String? = nil) -> JSONValue {
        OwnerReference(apiVersion: "batch/v1", kind: kind, name: owner.value(at: ["metadata", "name"])?.string ?? "",
                       uid: uid ?? owner.value(at: ["metadata", "uid"])?.string ?? "", controller: true, blockOwnerDeletion: true).json
    }

    func podNames(_ client: FakeAPIClient) async throws -> [String] {
        try await client.list(pods, namespace: "default").items.compactMap { $0.value(at: ["metadata", "name"])?.string }.sorted()
    }

    @Test func backgroundDeletionOfTheOwnerDeletesItsDependentsAfterIt() async throws {
        let cluster = Cluster()
        await cluster.start()
        defer { cluster.stop() }
        _ = try await jobWithPods(cluster.client, count: 3)
        _ = try await cluster.client.delete(jobs, namespace: "default", name: "work", options: DeleteOptions(propagationPolicy: .background))
        #expect(try await eventually { try await podNames(cluster.client).isEmpty })
    }

    @Test func foregroundDeletionKeepsTheOwnerUntilItsBlockingDependentsAreGone() async throws {
        let cluster = Cluster()
        await cluster.start()
        defer { cluster.stop() }
        _ = try await jobWithPods(cluster.client, count: 2)
        // One pod holds a finalizer of its own (as a Job's tracking finalizer does).
        _ = try await cluster.client.patch(pods, namespace: "default", name: "work-0", type: .merge,
                                           body: ["metadata": ["finalizers": ["example.com/hold"]]])
        // The collector reads dependents from its cache: let it see them first.
        #expect(await eventually {
            cluster.factory.informer(pods).get("default/work-0")?.value(at: ["metadata", "finalizers"]) != nil
                && cluster.factory.informer(pods).get("default/work-1") != nil
        })
        _ = try await cluster.client.delete(jobs, namespace: "default", name: "work", options: DeleteOptions(propagationPolicy: .foreground))
        #expect(try await eventually { try await podNames(cluster.client) == ["work-0"] })
        let held = try await cluster.client.get(jobs, namespace: "default", name: "work")
        #expect(held.value(at: ["metadata", "deletionTimestamp"]) != nil)
        #expect(held.value(at: ["metadata", "finalizers"]) == ["foregroundDeletion"])
        #expect(try await cluster.client.get(pods, namespace: "default", name: "work-0").value(at: ["metadata", "deletionTimestamp"]) != nil)
        // The pod's own finalizer goes: the pod goes, then the owner.
        _ = try await cluster.client.patch(pods, namespace: "default", name: "work-0", type: .merge, body: ["metadata": ["finalizers": .null]])
        #expect(try await eventually { try await cluster.client.getIfPresent(jobs, namespace: "default", name: "work") == nil })
    }

    @Test func orphanDeletionLeavesTheDependentsWithoutTheReference() async throws {
        let cluster = Cluster()
        await cluster.start()
        defer { cluster.stop() }
        let job = try await jobWithPods(cluster.client, count: 2)
        let uid = job.value(at: ["metadata", "uid"])?.string ?? ""
        // The collector reads dependents from its cache: let it see them first.
        #expect(await eventually { cluster.factory.informer(pods).byIndex(InformerIndex.owner, uid).count == 2 })
        _ = try await cluster.client.delete(jobs, namespace: "default", name: "work", options: DeleteOptions(propagationPolicy: .orphan))
        #expect(try await eventually { try await cluster.client.getIfPresent(jobs, namespace: "default", name: "work") == nil })
        #expect(try await podNames(cluster.client) == ["work-0", "work-1"])
        for name in ["work-0", "work-1"] {
            let pod = try await cluster.client.get(pods, namespace: "default", name: name)
            #expect(pod.value(at: ["metadata", "ownerReferences"])?.array?.isEmpty ?? true)
        }
    }

    @Test func aDependentWhoseOwnerHasAnotherUIDIsCollected() async throws {
        let cluster = Cluster()
        let job = try await cluster.client.create(jobs, namespace: "default", object: ObjectBuilders.job("work"))
        var stale = ObjectBuilders.pod("stale")
        stale.setValue([ownerReference(job, uid: "an-older-job")], at: ["metadata", "ownerReferences"])
        var current = ObjectBuilders.pod("current")
        current.setValue([ownerReference(job)], at: ["metadata", "ownerReferences"])
        try cluster.client.seed(pods, stale, current)
        await cluster.start()
        defer { cluster.stop() }
        #expect(try await eventually { try await podNames(cluster.client) == ["current"] })
    }

    @Test func aDanglingSecondOwnerIsDroppedWhileTheSolidOneKeepsTheDependent() async throws {
        let cluster = Cluster()
        let job = try await cluster.client.create(jobs, namespace: "default", object: ObjectBuilders.job("work"))
        var pod = ObjectBuilders.pod("shared")
        var gone = ownerReference(job, uid: "gone-uid")
        gone["name"] = "gone"
        gone["controller"] = false
        pod.setValue([ownerReference(job), gone], at: ["metadata", "ownerReferences"])
        try cluster.client.seed(pods, pod)
        await cluster.start()
        defer { cluster.stop() }
        #expect(try await eventually {
            try await cluster.client.get(pods, namespace: "default", name: "shared").value(at: ["metadata", "ownerReferences"])?.array?.count == 1
        })
        #expect(try await podNames(cluster.client) == ["shared"])
    }

    @Test func anOwnerOfAnUnknownKindNeverCausesADeletion() async throws {
        let cluster = Cluster()
        var pod = ObjectBuilders.pod("custom")
        pod.setValue([["apiVersion": "example.com/v1", "kind": "Widget", "name": "w", "uid": "w-uid"]], at: ["metadata", "ownerReferences"])
        try cluster.client.seed(pods, pod)
        await cluster.start()
        defer { cluster.stop() }
        _ = try await cluster.collector.reconcile("pods|default/custom")
        #expect(try await podNames(cluster.client) == ["custom"])
    }

    @Test func anOwnerMissingOnlyFromALaggingCacheIsConfirmedLiveAndTheDependentKept() async throws {
        let cluster = Cluster()
        await cluster.start()
        defer { cluster.stop() }
        // The collector's reconcile runs before the jobs informer has seen the owner: the cache says
        // dangling, the live GET says solid.
        cluster.factory.informer(jobs).stop()
        let job = try await cluster.client.create(jobs, namespace: "default", object: ObjectBuilders.job("fresh"))
        var pod = ObjectBuilders.pod("fresh-0")
        pod.setValue([ownerReference(job)], at: ["metadata", "ownerReferences"])
        _ = try await cluster.client.create(pods, namespace: "default", object: pod)
        #expect(await eventually { cluster.factory.informer(pods).get("default/fresh-0") != nil })
        #expect(cluster.factory.informer(jobs).get("default/fresh") == nil, "the cache lags behind the owner")
        _ = try await cluster.collector.reconcile("pods|default/fresh-0")
        #expect(cluster.client.calls.contains { $0.verb == "get" && $0.name == "fresh" }, "confirmed with a live GET")
        #expect(try await podNames(cluster.client) == ["fresh-0"])
    }
}
