import Agent
import Client
import Foundation
import Model
import Testing
import TestSupport

/// The status writes are coalesced and retried in the background (`StatusWriter`); these tests
/// check that no behaviour is lost by that: the one status a fast pod gets is complete, a failed
/// write is retried, a newer status is never overwritten by an older retry, and the echo of the
/// agent's own write does not trigger a sync.
@Suite struct StatusWritingTests {
    typealias H = PodHarness

    /// A pod manager whose API client runs `hook` before each Event is created (the point where a
    /// sync waits for the server, and where news about the pod folds into its next round).
    struct Setup {
        let fake = FakeAPIClient()
        let clock = ManualClock()
        let runtime: FakeProcessRuntime
        let manager: PodManager

        init(retryDelay: TimeInterval = 0.5, beforeEvent: @escaping @Sendable (JSONValue) async -> Void = { _ in },
             retrySleep: (@Sendable (TimeInterval) async -> Void)? = nil) {
            runtime = FakeProcessRuntime(clock: clock)
            var configuration = AgentConfiguration(nodeName: "node-1",
                                                   dataDirectory: FileManager.default.temporaryDirectory
                                                       .appendingPathComponent("agent-tests-\(UUID().uuidString)").path,
                                                   nodeIP: "10.0.0.5")
            configuration.statusRetryDelay = retryDelay
            manager = PodManager(client: HookedAPIClient(fake: fake, beforeEvent: beforeEvent), runtime: runtime,
                                 probes: FakeProbeExecutor(), configuration: configuration, now: clock.function,
                                 statusRetrySleep: retrySleep)
        }

        func bind(_ pod: JSONValue) async throws -> String {
            let stored = try await fake.create(ResourceCatalog.pods, namespace: "default", object: pod)
            await manager.apply(WatchEvent(type: .added, object: stored))
            return stored.value(at: ["metadata", "uid"])?.string ?? ""
        }

        func status(_ name: String) -> JSONValue {
            fake.object(ResourceCatalog.pods, namespace: "default", name: name)?["status"] ?? .null
        }

        func statusWrites(_ name: String) -> [JSONValue] {
            fake.calls.filter { $0.verb == "updateStatus" && $0.name == name }.compactMap { $0.body?["status"] }
        }
    }

    @Test func aContainerThatEndsWhileItsStartIsPublishedGetsOneCompleteFinalStatus() async throws {
        let box = UIDBox()
        let setup = Setup { event in
            // The container ends while its Started event is being recorded, and the exit's wake-up
            // reaches the manager (as the run loop would deliver it) before the sync goes on.
            guard event["reason"]?.string == "Started", let uid = box.uid, let manager = box.manager, let runtime = box.runtime else { return }
            runtime.exit("\(uid)/main/0", code: 0)
            await manager.sync(uid: uid)
        }
        box.manager = setup.manager
        box.runtime = setup.runtime
        let pod = H.pod("p", containers: [H.container("main", "true")], restartPolicy: "Never")
        let stored = try await setup.fake.create(ResourceCatalog.pods, namespace: "default", object: pod)
        box.uid = stored.value(at: ["metadata", "uid"])?.string
        await setup.manager.apply(WatchEvent(type: .added, object: stored))
        await setup.manager.syncAll()

        let writes = setup.statusWrites("p")
        #expect(writes.count == 1)
        let status = try #require(writes.first)
        #expect(status == setup.status("p"))
        #expect(status["phase"]?.string == "Succeeded")
        #expect(status["hostIP"]?.string == "10.0.0.5")
        #expect(status["podIP"]?.string == "10.0.0.5")
        #expect(status["hostIPs"]?.array?.count == 1)
        #expect(status["startTime"]?.string != nil)
        #expect(status["qosClass"]?.string == "BestEffort")
        let conditions = (status["conditions"]?.array ?? []).compactMap { $0["type"]?.string }
        #expect(conditions == ["PodScheduled", "Initialized", "ContainersReady", "Ready"])
        for condition in status["conditions"]?.array ?? [] {
            #expect(condition["lastTransitionTime"]?.string != nil)
        }
        let container = try #require(status["containerStatuses"]?.array?.first)
        #expect(container["name"]?.string == "main")
        #expect(container["image"]?.string == "busybox")
        #expect(container["ready"]?.bool == false)
        #expect(container["restartCount"]?.int == 0)
        let terminated = try #require(container.value(at: ["state", "terminated"]))
        #expect(terminated["exitCode"]?.int == 0)
        #expect(terminated["reason"]?.string == "Completed")
        #expect(terminated["startedAt"]?.string != nil)
        #expect(terminated["finishedAt"]?.string != nil)
        #expect(terminated["containerID"]?.string == "drover://\(box.uid ?? "")/main/0")
        let reasons = setup.fake.calls.filter { $0.verb == "create" && $0.resource == "events" }.compactMap { $0.body?["reason"]?.string }
        #expect(reasons == ["Started"])
    }

    @Test func aFailedStatusWriteIsRetriedUntilTheStatusIsWritten() async throws {
        let setup = Setup(retryDelay: 0.01)
        setup.fake.failNext("updateStatus", with: StatusError(code: 500, reason: "InternalError", message: "the database is down"))
        setup.fake.failNext("updateStatus", with: StatusError(code: 503, reason: "ServiceUnavailable", message: "still down"))
        _ = try await setup.bind(H.pod("p", containers: [H.container("main", "server")]))
        await setup.manager.syncAll()
        #expect(await eventually { setup.status("p")["phase"]?.string == "Running" })
        let writes = setup.statusWrites("p")
        #expect(writes.count == 3)
        #expect(Set(writes.map { $0["phase"]?.string }) == ["Running"])
    }

    @Test func aNewerStatusReplacesOneWaitingForItsRetryAndIsNeverOverwrittenByIt() async throws {
        // Retries wait at a gate the test opens, so both failed writes are waiting before either
        // retry comes, however busy the machine (a 0.5 s timer here once fired too early).
        let gate = RetryGate()
        let setup = Setup(retrySleep: { _ in await gate.pass() })
        setup.fake.failNext("updateStatus", with: StatusError(code: 500, reason: "InternalError", message: "the database is down"))
        setup.fake.failNext("updateStatus", with: StatusError(code: 500, reason: "InternalError", message: "still down"))
        let uid = try await setup.bind(H.pod("p", containers: [H.container("main", "worker")], restartPolicy: "Never"))
        await setup.manager.syncAll()
        #expect(setup.status("p")["phase"]?.string == "Pending")   // the Running write failed
        setup.runtime.exit("\(uid)/main/0", code: 3)
        await setup.manager.syncAll()
        #expect(setup.status("p")["phase"]?.string == "Pending")   // and so did the Failed one
        #expect(await eventually { gate.waiting == 2 })
        gate.open()
        #expect(await eventually { setup.status("p")["phase"]?.string == "Failed" })
        #expect(await eventually { gate.passed == 2 })
        try await Task.sleep(nanoseconds: 200_000_000)   // the Running retry, had it not been dropped
        #expect(setup.status("p")["phase"]?.string == "Failed")
        #expect(setup.statusWrites("p").map { $0["phase"]?.string } == ["Running", "Failed", "Failed"])
        let terminated = setup.status("p")["containerStatuses"]?.array?.first?.value(at: ["state", "terminated"])
        #expect(terminated?["exitCode"]?.int == 3)
        #expect(terminated?["reason"]?.string == "Error")
    }

    @Test func aConditionAnotherComponentWroteSurvivesTheAgentsWrites() async throws {
        let setup = Setup()
        let uid = try await setup.bind(H.pod("p", containers: [H.container("main", "worker")], restartPolicy: "Never"))
        await setup.manager.syncAll()
        #expect(await eventually { setup.status("p")["phase"]?.string == "Running" })
        // The scheduler marks the pod as a preemption victim.
        var marked = try #require(setup.fake.object(ResourceCatalog.pods, namespace: "default", name: "p"))
        var conditions = marked.value(at: ["status", "conditions"])?.array ?? []
        conditions.append(["type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler",
                           "message": "default-scheduler: preempting to accommodate a higher priority pod"])
        marked.setValue(.array(conditions), at: ["status", "conditions"])
        marked = try await setup.fake.updateStatus(ResourceCatalog.pods, namespace: "default", object: marked)
        _ = await setup.manager.apply(WatchEvent(type: .modified, object: marked))
        setup.runtime.exit("\(uid)/main/0", code: 143)
        await setup.manager.syncAll()
        #expect(await eventually { setup.status("p")["phase"]?.string == "Failed" })
        let kept = setup.status("p")["conditions"]?.array?.first { $0["type"] == "DisruptionTarget" }
        #expect(kept?["reason"] == "PreemptionByScheduler")
    }

    @Test func theEchoOfTheAgentsOwnStatusWriteNeedsNoSyncButASpecOrMetadataChangeDoes() async throws {
        let setup = Setup()
        _ = try await setup.bind(H.pod("p", containers: [H.container("main", "server")]))
        await setup.manager.syncAll()
        let echo = try #require(setup.fake.object(ResourceCatalog.pods, namespace: "default", name: "p"))
        #expect(echo["status"]?["phase"]?.string == "Running")
        #expect(await setup.manager.apply(WatchEvent(type: .modified, object: echo)) == false)

        var labelled = echo
        labelled["metadata"]?["labels"] = ["tier": "web"]
        #expect(await setup.manager.apply(WatchEvent(type: .modified, object: labelled)) == true)
        var deleting = echo
        deleting["metadata"]?["deletionTimestamp"] = "2027-01-15T10:00:00Z"
        #expect(await setup.manager.apply(WatchEvent(type: .modified, object: deleting)) == true)
        #expect(await setup.manager.apply(WatchEvent(type: .deleted, object: deleting)) == false)
    }
}

/// What the hook of the first test needs, set once the objects exist.
private final class UIDBox: @unchecked Sendable {
    var uid: String?
    var manager: PodManager?
    var runtime: FakeProcessRuntime?
}

/// A FakeAPIClient that runs a hook before each Event is created.
private final class HookedAPIClient: ForwardingAPIClient, @unchecked Sendable {
    let beforeEvent: @Sendable (JSONValue) async -> Void

    init(fake: FakeAPIClient, beforeEvent: @escaping @Sendable (JSONValue) async -> Void) {
        self.beforeEvent = beforeEvent
        super.init(fake: fake)
    }

    override func create(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue {
        if resource.kind == "Event" { await beforeEvent(object) }
        return try await fake.create(resource, namespace: namespace, object: object)
    }
}

/// Holds every status retry until `open()`.
final class RetryGate: @unchecked Sendable {
    private let lock = NSLock()
    private var isOpen = false
    private var held: [CheckedContinuation<Void, Never>] = []
    private var passes = 0

    /// Retries waiting at the gate.
    var waiting: Int { lock.withLock { held.count } }
    /// Retries that went through.
    var passed: Int { lock.withLock { passes } }

    func pass() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let go = lock.withLock { () -> Bool in
                if !isOpen { held.append(continuation) }
                return isOpen
            }
            if go { continuation.resume() }
        }
        lock.withLock { passes += 1 }
    }

    func open() {
        let released = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            isOpen = true
            defer { held = [] }
            return held
        }
        released.forEach { $0.resume() }
    }
}
