@testable import Agent
import Client
import Foundation
import Model
import Testing

/// Native sidecars (KEP-753): init containers with `restartPolicy: Always`, driven with the fake
/// runtime and the manual clock.
@Suite struct SidecarTests {
    typealias H = PodHarness

    static func sidecar(_ name: String, extra: [String: JSONValue] = [:]) -> JSONValue {
        var extra = extra
        extra["restartPolicy"] = "Always"
        return H.container(name, "proxy", extra: extra)
    }

    @Test func aSidecarStartsInOrderAndTheNextInitContainerStartsOnceItRuns() async throws {
        let h = PodHarness()
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "main")],
                                         initContainers: [H.container("setup", "setup"), Self.sidecar("proxy"),
                                                          H.container("migrate", "migrate")]))
        await h.sync()
        #expect(h.startedIDs == ["\(uid)/setup/0"])
        h.runtime.exit("\(uid)/setup/0", code: 0)
        await h.sync()
        // The sidecar has started (no startup probe), so migrate starts beside it.
        #expect(h.startedIDs == ["\(uid)/setup/0", "\(uid)/proxy/0", "\(uid)/migrate/0"])
        #expect(h.condition("p", "Initialized") == "False")
        #expect(h.status("p")["conditions"]?.array?.first { $0["type"] == "Initialized" }?["message"]?.string
            == "containers with incomplete status: [migrate]")
        #expect(h.phase("p") == "Pending")
        h.runtime.exit("\(uid)/migrate/0", code: 0)
        await h.sync()
        #expect(h.startedIDs.last == "\(uid)/main/0")
        #expect(h.condition("p", "Initialized") == "True")
        #expect(h.phase("p") == "Running")
        let proxy = try #require(h.status("p")["initContainerStatuses"]?.array?.first { $0["name"] == "proxy" })
        #expect(proxy["started"]?.bool == true)
        #expect(proxy["ready"]?.bool == true)
        #expect(proxy.value(at: ["state", "running", "startedAt"])?.string != nil)
        #expect(h.condition("p", "Ready") == "True")
    }

    @Test func aSidecarsStartupProbeHoldsBackTheNextInitContainerUntilItSucceeds() async throws {
        let h = PodHarness()
        h.probes.set("booted", false)
        let probe = ProbeSchedulingTests.probe("booted", period: 1, failureThreshold: 30)
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "main")],
                                         initContainers: [Self.sidecar("proxy", extra: ["startupProbe": probe])]))
        await h.sync()
        h.clock.advance(1)
        await h.sync()
        #expect(h.startedIDs == ["\(uid)/proxy/0"])
        #expect(h.container("p", "proxy")?["started"]?.bool == false)
        #expect(h.condition("p", "Initialized") == "False")
        h.probes.set("booted", true)
        h.clock.advance(1)
        await h.sync()
        #expect(h.startedIDs == ["\(uid)/proxy/0", "\(uid)/main/0"])
        #expect(h.container("p", "proxy")?["started"]?.bool == true)
        #expect(h.condition("p", "Initialized") == "True")
    }

    @Test func aSidecarBackingOffDuringInitDoesNotHoldBackTheInitContainerAlreadyRunningAfterIt() async throws {
        let h = PodHarness()
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "main")],
                                         initContainers: [Self.sidecar("proxy"), H.container("migrate", "migrate")]))
        await h.sync()
        #expect(h.startedIDs == ["\(uid)/proxy/0", "\(uid)/migrate/0"])
        h.runtime.exit("\(uid)/proxy/0", code: 1)
        await h.sync()
        h.runtime.exit("\(uid)/proxy/1", code: 1)
        await h.sync()
        #expect(h.waitingReason("p", "proxy") == "CrashLoopBackOff")
        // migrate already runs; its success completes the init sequence while proxy waits out its back-off.
        h.runtime.exit("\(uid)/migrate/0", code: 0)
        await h.sync()
        #expect(h.startedIDs.last == "\(uid)/main/0")
        #expect(h.condition("p", "Initialized") == "True")
        h.clock.advance(10)
        await h.sync()
        #expect(h.startedIDs.last == "\(uid)/proxy/2")
    }

    @Test func aFailedInitContainerUnderNeverStopsTheSidecarsStartedBeforeIt() async throws {
        let h = PodHarness()
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "main")],
                                         initContainers: [Self.sidecar("proxy"), H.container("migrate", "migrate")],
                                         restartPolicy: "Never"))
        await h.sync()
        h.runtime.exit("\(uid)/migrate/0", code: 3)
        await h.sync()
        #expect(h.phase("p") == "Failed")
        #expect(h.runtime.stopped.map(\.id) == ["\(uid)/proxy/0"])
        await h.sync()
        #expect(h.runtime.runningIDs.isEmpty)
        #expect(h.startedIDs == ["\(uid)/proxy/0", "\(uid)/migrate/0"])
    }

    @Test func aSidecarIsRestartedWhenItEndsEvenUnderNeverWithBackOff() async throws {
        let h = PodHarness()
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "main")],
                                         initContainers: [Self.sidecar("proxy")], restartPolicy: "Never"))
        await h.sync()
        #expect(h.startedIDs == ["\(uid)/proxy/0", "\(uid)/main/0"])
        // Even a clean exit is followed by a restart; the first is immediate.
        h.runtime.exit("\(uid)/proxy/0", code: 0)
        await h.sync()
        #expect(h.startedIDs.last == "\(uid)/proxy/1")
        #expect(h.container("p", "proxy")?["restartCount"]?.int == 1)
        #expect(h.container("p", "proxy")?.value(at: ["lastState", "terminated", "exitCode"])?.int == 0)
        // The next waits 10 s in CrashLoopBackOff; the main container keeps running meanwhile.
        h.runtime.exit("\(uid)/proxy/1", code: 1)
        await h.sync()
        #expect(h.waitingReason("p", "proxy") == "CrashLoopBackOff")
        #expect(h.phase("p") == "Running")
        #expect(h.condition("p", "Initialized") == "True")
        #expect(h.condition("p", "Ready") == "False")
        h.clock.advance(10)
        await h.sync()
        #expect(h.startedIDs.last == "\(uid)/proxy/2")
        #expect(h.runtime.runningIDs == ["\(uid)/main/0", "\(uid)/proxy/2"])
        #expect(h.condition("p", "Ready") == "True")
    }

    @Test func sidecarsAreStoppedInReverseOrderOnceTheContainersFinishAndThePodSucceeds() async throws {
        let h = PodHarness { $0.exitOnStop = false }
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "job")],
                                         initContainers: [Self.sidecar("first"), Self.sidecar("second")],
                                         restartPolicy: "Never", spec: ["terminationGracePeriodSeconds": 30]))
        await h.sync()
        #expect(h.startedIDs == ["\(uid)/first/0", "\(uid)/second/0", "\(uid)/main/0"])
        h.runtime.exit("\(uid)/main/0", code: 0)
        await h.sync()
        #expect(h.runtime.stopped.map(\.id) == ["\(uid)/second/0"])
        #expect(h.runtime.stopped.map(\.grace) == [30])
        #expect(h.phase("p") == "Running")
        // The first sidecar's turn comes when the second has ended; it gets what is left of the grace period.
        h.clock.advance(5)
        h.runtime.exit("\(uid)/second/0", code: 143, signal: 15)
        await h.sync()
        #expect(h.runtime.stopped.map(\.id) == ["\(uid)/second/0", "\(uid)/first/0"])
        #expect(h.runtime.stopped.last?.grace == 25)
        // Killed sidecars (143, 137) neither fail the pod nor are restarted.
        h.runtime.exit("\(uid)/first/0", code: 137, signal: 9)
        await h.sync()
        #expect(h.phase("p") == "Succeeded")
        #expect(h.startedIDs.count == 3)
        #expect(h.container("p", "first")?.value(at: ["state", "terminated", "exitCode"])?.int == 137)
        #expect(h.container("p", "second")?.value(at: ["state", "terminated", "exitCode"])?.int == 143)
        #expect(h.container("p", "main")?.value(at: ["state", "terminated", "reason"])?.string == "Completed")
        #expect(h.condition("p", "Ready") == "False")
        await h.sync()
        #expect(h.startedIDs.count == 3)
    }

    @Test(arguments: [("Never", 1, "Failed"), ("OnFailure", 0, "Succeeded"), ("Never", 0, "Succeeded")])
    func thePhaseIsDecidedByTheContainersOnly(policy: String, exitCode: Int32, phase: String) async throws {
        let h = PodHarness()   // a stop ends the process with 143 at once
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "job")],
                                         initContainers: [Self.sidecar("proxy")], restartPolicy: policy))
        await h.sync()
        h.runtime.exit("\(uid)/main/0", code: exitCode)
        await h.sync()
        #expect(h.runtime.stopped.map(\.id) == ["\(uid)/proxy/0"])
        await h.sync()
        #expect(h.phase("p") == phase)
        #expect(h.runtime.runningIDs.isEmpty)
        #expect(h.container("p", "proxy")?.value(at: ["state", "terminated", "exitCode"])?.int == 143)
    }

    @Test func aContainerThatWillBeRestartedKeepsTheSidecarsRunning() async throws {
        let h = PodHarness()
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "job")],
                                         initContainers: [Self.sidecar("proxy")], restartPolicy: "OnFailure"))
        await h.sync()
        h.runtime.exit("\(uid)/main/0", code: 2)
        await h.sync()
        #expect(h.runtime.stopped.isEmpty)
        #expect(h.startedIDs.last == "\(uid)/main/1")
        #expect(h.phase("p") == "Running")
    }

    @Test func onDeletionTheContainersStopFirstThenTheSidecarsInReverseOrder() async throws {
        let h = PodHarness { $0.exitOnStop = false }
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "server")],
                                         initContainers: [Self.sidecar("first"), Self.sidecar("second")],
                                         spec: ["terminationGracePeriodSeconds": 20]))
        await h.sync()
        try await delete(h, "p")
        #expect(h.runtime.stopped.map(\.id) == ["\(uid)/main/0"])
        await h.sync()
        #expect(h.runtime.stopped.count == 1)
        h.runtime.exit("\(uid)/main/0", code: 143, signal: 15)
        await h.sync()
        #expect(h.runtime.stopped.map(\.id) == ["\(uid)/main/0", "\(uid)/second/0"])
        h.runtime.exit("\(uid)/second/0", code: 143, signal: 15)
        await h.sync()
        #expect(h.runtime.stopped.map(\.id) == ["\(uid)/main/0", "\(uid)/second/0", "\(uid)/first/0"])
        #expect(h.stored("p") != nil)
        h.runtime.exit("\(uid)/first/0", code: 143, signal: 15)
        await h.sync()
        #expect(h.stored("p") == nil)
        #expect(h.startedIDs.count == 3)
    }

    @Test func sidecarsAreStoppedWhenTheGracePeriodRunsOutEvenIfAContainerIsStillEnding() async throws {
        let h = PodHarness { $0.exitOnStop = false }
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "server")],
                                         initContainers: [Self.sidecar("proxy")], spec: ["terminationGracePeriodSeconds": 10]))
        await h.sync()
        try await delete(h, "p")
        h.clock.advance(9)
        await h.sync()
        #expect(h.runtime.stopped.map(\.id) == ["\(uid)/main/0"])
        h.clock.advance(1)
        await h.sync()
        #expect(h.runtime.stopped.map(\.id) == ["\(uid)/main/0", "\(uid)/proxy/0"])
        #expect(h.runtime.stopped.last?.grace == TerminationOrder.minimumGrace)
    }

    @Test func aSidecarsReadinessCountsTowardThePodsReadiness() async throws {
        let h = PodHarness()
        h.probes.set("ready", false)
        try await h.bind(H.pod("p", containers: [H.container("main", "server")],
                               initContainers: [Self.sidecar("proxy", extra: ["readinessProbe": ProbeSchedulingTests.probe("ready", period: 1)])]))
        await h.sync()
        #expect(h.condition("p", "Initialized") == "True")
        #expect(h.container("p", "proxy")?["ready"]?.bool == false)
        #expect(h.condition("p", "ContainersReady") == "False")
        #expect(h.status("p")["conditions"]?.array?.first { $0["type"] == "Ready" }?["message"]?.string
            == "containers with unready status: [proxy]")
        h.probes.set("ready", true)
        h.clock.advance(1)
        await h.sync()
        #expect(h.container("p", "proxy")?["ready"]?.bool == true)
        #expect(h.condition("p", "Ready") == "True")
    }

    @Test func aSidecarFailingItsLivenessProbeIsRestarted() async throws {
        let h = PodHarness()
        h.probes.set("alive", false)
        let probe = ProbeSchedulingTests.probe("alive", period: 1, failureThreshold: 1)
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "server")],
                                         initContainers: [Self.sidecar("proxy", extra: ["livenessProbe": probe])], restartPolicy: "Never"))
        await h.sync()
        #expect(h.runtime.stopped.map(\.id) == ["\(uid)/proxy/0"])
        await h.sync()
        #expect(h.startedIDs.last == "\(uid)/proxy/1")
        #expect(h.phase("p") == "Running")
    }

    @Test func anAgentRestartReadoptsTheSidecarAndDoesNotRunTheInitSequenceAgain() async throws {
        let first = PodHarness()
        let uid = try await first.bind(H.pod("p", containers: [H.container("main", "server")],
                                             initContainers: [H.container("setup", "setup"), Self.sidecar("proxy")]))
        await first.sync()
        first.runtime.exit("\(uid)/setup/0", code: 0)
        await first.sync()
        let pod = try #require(first.stored("p"))
        let second = PodHarness(dataDirectory: first.configuration.dataDirectory) {
            $0.leftovers = ["\(uid)/proxy/0": 4001, "\(uid)/main/0": 4002]
        }
        try second.client.seed(ResourceCatalog.pods, pod)
        await second.manager.replaceAll([pod], adopt: true)
        await second.sync()
        #expect(second.startedIDs.isEmpty)
        #expect(second.phase("p") == "Running")
        // A crash of the sidecar after the restart is a restart, not a new init sequence.
        second.runtime.exit("\(uid)/proxy/0", code: 1)
        await second.sync()
        #expect(second.startedIDs == ["\(uid)/proxy/1"])
        #expect(second.condition("p", "Initialized") == "True")
    }

    /// Marks the pod deleted through the API and hands it to the manager.
    private func delete(_ h: PodHarness, _ name: String) async throws {
        var pod = try #require(h.stored(name))
        pod.setValue("2026-01-01T00:00:00Z", at: ["metadata", "deletionTimestamp"])
        _ = try await h.client.update(ResourceCatalog.pods, namespace: "default", object: pod)
        await h.redeliver(name)
        await h.sync()
    }
}

/// Upstream's termination order as a table.
@Suite struct TerminationOrderTests {
    @Test(arguments: [
        // Containers still running: no sidecar's turn yet.
        ([true, true], true, 0.0, 30.0, [Int]()),
        // Containers done: only the last running sidecar.
        ([true, true], false, 0, 30, [1]),
        // The last has ended: the one before it.
        ([true, false], false, 3, 30, [0]),
        // A sidecar that is not running does not hold back the ones before it.
        ([true, false, true], false, 0, 30, [2]),
        // Grace used up (30 >= 30): everyone's turn.
        ([true, true], true, 30, 30, [0, 1]),
        // No grace at all: at once.
        ([true, true], true, 0, 0, [0, 1]),
    ])
    func sidecarsStopInReverseOrderAfterTheContainers(running: [Bool], mainsRunning: Bool, elapsed: Double,
                                                      grace: Double, due: [Int]) {
        #expect(TerminationOrder.sidecarsDue(sidecarsRunning: running, mainsRunning: mainsRunning, elapsed: elapsed, grace: grace) == due)
    }

    @Test(arguments: [
        (30.0, 5.0, 25.0),   // 30 - 5
        (30, 29, 2),         // 30 - 29 = 1, raised to the minimum 2
        (30, 40, 2),         // late: the minimum
        (1, 0, 1),           // never more than the pod's own grace
        (0, 0, 0),
    ])
    func aSidecarGetsWhatIsLeftOfTheGracePeriod(podGrace: Double, elapsed: Double, grace: Double) {
        #expect(TerminationOrder.sidecarGrace(podGrace: podGrace, elapsed: elapsed) == grace)
    }
}
