import Client
import ControllerRuntime
import Foundation
import Model
import Testing
import TestSupport
@testable import Controllers

/// The JobDependencyController over a FakeAPIClient: syncs called directly, and one chain run by
/// the controller's own workers from informer events alone.
@Suite struct JobDependencyControllerTests {
    typealias D = DependencyJobs
    static let jobs = ResourceCatalog.jobs

    final class Harness: @unchecked Sendable {
        let client = FakeAPIClient()
        let clock = ManualClock()
        let events = RecordedJobEvents()
        let factory: SharedInformerFactory
        let controller: JobDependencyController

        init(_ seeded: JSONValue...) throws {
            for job in seeded { try client.seed(JobDependencyControllerTests.jobs, job) }
            factory = SharedInformerFactory(client: client, clock: clock)
            controller = JobDependencyController(client: client, factory: factory, recorder: events, clock: clock)
        }

        func start() async {
            factory.start()
            await factory.waitForSync()
        }

        func stop() {
            controller.stop()
            factory.stop()
        }

        func stored(_ name: String) -> JobView {
            JobView(client.object(JobDependencyControllerTests.jobs, namespace: "default", name: name) ?? .null)
        }

        /// Waits until the cache holds the stored version of `name`.
        func settle(_ name: String) async {
            _ = await eventually {
                self.controller.jobs.get("default/\(name)")?.value(at: ["metadata", "resourceVersion"])
                    == self.stored(name).object.value(at: ["metadata", "resourceVersion"])
            }
        }

        /// Gives a stored Job a new status (as the Job controller would) and waits for the cache.
        func setStatus(_ name: String, _ status: JSONValue) async throws {
            var job = stored(name).object
            job["status"] = status
            _ = try await client.updateStatus(JobDependencyControllerTests.jobs, namespace: "default", object: job)
            await settle(name)
        }

        func condition(_ name: String, _ type: String = JobDependencies.condition) -> String? {
            stored(name).condition(type).map { "\($0.status) \($0.reason) \($0.message)" }
        }
    }

    static let complete: JSONValue = ["succeeded": 1, "conditions": [["type": "Complete", "status": "True"]]]
    static let failed: JSONValue = ["failed": 1, "conditions": [["type": "Failed", "status": "True"]]]

    @Test func aHeldJobWaitsThenIsReleasedWhenItsDependencyCompletes() async throws {
        let h = try Harness(D.job("a", .running), D.job("b", .held, dependsOn: "afterok:a"))
        await h.start()
        defer { h.stop() }
        _ = try await h.controller.reconcile("default/b")
        #expect(h.condition("b") == "False WaitingForDependencies waiting for afterok:a (Running)")
        #expect(h.stored("b").suspend)

        try await h.setStatus("a", Self.complete)
        await h.settle("b")
        _ = try await h.controller.reconcile("default/b")
        let b = h.stored("b")
        #expect(!b.suspend && !b.isHeldByDependencies)
        #expect(h.condition("b") == "True DependenciesSatisfied afterok:a (Complete)")
        #expect(h.events.reasons == ["DependenciesSatisfied"])
        // Released: another sync changes nothing.
        await h.settle("b")
        let writes = h.client.calls.filter { $0.verb == "patch" || $0.verb == "updateStatus" }.count
        _ = try await h.controller.reconcile("default/b")
        #expect(h.client.calls.filter { $0.verb == "patch" || $0.verb == "updateStatus" }.count == writes)
    }

    @Test func aDependencyThatFailedMarksTheJobToFail() async throws {
        let h = try Harness(D.job("a", .failed), D.job("b", .held, dependsOn: "afterok:a"))
        await h.start()
        defer { h.stop() }
        _ = try await h.controller.reconcile("default/b")
        #expect(h.condition("b", JobCondition.failureTarget) == "True DependencyNeverSatisfied afterok:a can never be satisfied: a failed")
        #expect(h.stored("b").suspend, "never released")
    }

    @Test func aConflictingWriteEndsTheSyncQuietly() async throws {
        let h = try Harness(D.job("a", .running), D.job("b", .held, dependsOn: "afterok:a"))
        await h.start()
        defer { h.stop() }
        h.client.failNext("updateStatus", with: StatusError.conflict(resource: "jobs", group: "batch", name: "b"))
        #expect(try await h.controller.reconcile("default/b") == .done)
        #expect(h.condition("b") == nil)
    }

    @Test func aConcurrentChangeOfTheDependenciesStopsTheRelease() async throws {
        let h = try Harness(D.job("a", .complete), D.job("b", .held, dependsOn: "afterok:a"))
        await h.start()
        defer { h.stop() }
        // The user adds a dependency after the cache was read: the patch's test fails (422).
        var b = h.stored("b").object
        b.setValue("afterok:a,afterok:other", at: ["metadata", "annotations", JobDependencies.annotation])
        b.setValue(nil, at: ["metadata", "resourceVersion"])
        let editing = EditBeforePatch(fake: h.client)
        editing.edit = b
        let controller = JobDependencyController(client: editing, factory: h.factory, recorder: h.events, clock: h.clock)
        await #expect(throws: StatusError.self) { try await controller.reconcile("default/b") }
        #expect(h.stored("b").suspend && h.stored("b").isHeldByDependencies)
    }

    @Test func partialProgressSurvivesTheDeletionOfACompletedDependency() async throws {
        let h = try Harness(D.job("a1", .complete), D.job("a2", .running), D.job("c", .held, dependsOn: "afterok:a1,afterok:a2"))
        await h.start()
        defer { h.stop() }
        _ = try await h.controller.reconcile("default/c")
        #expect(h.stored("c").satisfiedDependencies == ["afterok:a1"])
        _ = try await h.client.delete(Self.jobs, namespace: "default", name: "a1")
        try await h.setStatus("a2", Self.complete)
        await h.settle("c")
        _ = try await h.controller.reconcile("default/c")
        #expect(!h.stored("c").suspend)
    }

    /// A → B (afterok) → C (afterany), driven by the controller's workers: each release follows
    /// the informer event that allows it. A fails, so B is marked to fail; once B is Failed (the
    /// Job controller's part, done by hand here), C is released.
    @Test func aChainIsDrivenByEventsAlone() async throws {
        let h = try Harness(D.job("a", .running), D.job("b", .held, dependsOn: "afterok:a"), D.job("c", .held, dependsOn: "afterany:b"))
        await h.start()
        h.controller.start()
        defer { h.stop() }
        #expect(await eventually { h.condition("c") == "False WaitingForDependencies waiting for afterany:b (Waiting)" })
        #expect(await eventually { h.condition("b") == "False WaitingForDependencies waiting for afterok:a (Running)" })

        try await h.setStatus("a", Self.failed)
        #expect(await eventually { h.stored("b").condition(JobCondition.failureTarget)?.isTrue ?? false })
        #expect(h.stored("c").suspend)

        var failedB = h.stored("b").status
        failedB.conditions.append(JobCondition(type: JobCondition.failed, reason: JobDependencies.neverSatisfiedReason))
        try await h.setStatus("b", failedB.json(merging: h.stored("b").object["status"]))
        #expect(await eventually { !h.stored("c").suspend })
        #expect(h.condition("c") == "True DependenciesSatisfied afterany:b (Failed)")
        #expect(h.stored("b").suspend, "B never ran")
    }

    @Test func aSingletonIsReleasedWhenTheEarlierJobOfItsGroupFinishes() async throws {
        var first = D.job("s-aaaaa", .running, generateName: "s-")
        first.setValue(.string(Timestamp.format(JobFixtures.t0.addingTimeInterval(-5))), at: ["metadata", "creationTimestamp"])
        let h = try Harness(first, D.job("s-bbbbb", .held, dependsOn: "singleton", generateName: "s-"))
        await h.start()
        h.controller.start()
        defer { h.stop() }
        #expect(await eventually { h.condition("s-bbbbb") == "False WaitingForDependencies waiting for singleton (s-aaaaa Running)" })
        try await h.setStatus("s-aaaaa", Self.complete)
        #expect(await eventually { !h.stored("s-bbbbb").suspend })
    }
}

/// Writes `edit` (a user's change) just before forwarding a patch.
final class EditBeforePatch: ForwardingAPIClient, @unchecked Sendable {
    var edit: JSONValue?

    override func patch(_ resource: ResourceInfo, namespace: String?, name: String, type: PatchType, body: JSONValue,
                        subresource: String?) async throws -> JSONValue {
        if let edit { _ = try await fake.update(resource, namespace: namespace, object: edit) }
        return try await super.patch(resource, namespace: namespace, name: name, type: type, body: body, subresource: subresource)
    }
}
