import Agent
import Foundation
import Model
import Testing

@Suite struct ProbeSchedulingTests {
    typealias H = PodHarness

    static func probe(_ command: String, initialDelay: Int64 = 0, period: Int64 = 10, failureThreshold: Int64 = 3,
                      successThreshold: Int64 = 1) -> JSONValue {
        ["exec": ["command": [.string(command)]], "initialDelaySeconds": .int(initialDelay), "periodSeconds": .int(period),
         "failureThreshold": .int(failureThreshold), "successThreshold": .int(successThreshold)]
    }

    @Test func readinessDrivesReadyAfterTheInitialDelay() async throws {
        let h = PodHarness()
        h.probes.set("ready", false)
        try await h.bind(H.pod("p", containers: [H.container("main", "server", extra: ["readinessProbe": Self.probe("ready", initialDelay: 5, period: 2)])]))
        await h.sync()
        #expect(h.probes.runs("ready") == 0)
        #expect(h.condition("p", "Ready") == "False")
        #expect(h.container("p", "main")?["ready"]?.bool == false)
        h.clock.advance(5)
        await h.sync()
        #expect(h.probes.runs("ready") == 1)
        #expect(h.condition("p", "ContainersReady") == "False")
        h.probes.set("ready", true)
        h.clock.advance(2)
        await h.sync()
        #expect(h.condition("p", "Ready") == "True")
        #expect(h.condition("p", "ContainersReady") == "True")
        #expect(h.container("p", "main")?["ready"]?.bool == true)
        // Not run again before its period.
        await h.sync()
        #expect(h.probes.runs("ready") == 2)
    }

    @Test func livenessFailuresAtTheThresholdRestartTheContainer() async throws {
        let h = PodHarness()
        h.probes.set("alive", false)
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "server", extra: ["livenessProbe": Self.probe("alive", period: 1, failureThreshold: 2)])]))
        await h.sync()
        #expect(h.runtime.stopped.isEmpty)
        h.clock.advance(1)
        await h.sync()
        #expect(h.runtime.stopped.map(\.id) == ["\(uid)/main/0"])
        await h.sync()
        #expect(h.startedIDs == ["\(uid)/main/0", "\(uid)/main/1"])
        #expect(h.container("p", "main")?.value(at: ["lastState", "terminated", "message"])?.string?.contains("liveness probe") == true)
        #expect(h.eventReasons.contains("Unhealthy"))
        #expect(h.eventReasons.contains("Killing"))
    }

    @Test func theStartupProbeHoldsBackLivenessAndStarted() async throws {
        let h = PodHarness()
        h.probes.set("booted", false)
        let container = H.container("main", "server", extra: ["startupProbe": Self.probe("booted", period: 1, failureThreshold: 10),
                                                               "livenessProbe": Self.probe("alive", period: 1)])
        try await h.bind(H.pod("p", containers: [container]))
        await h.sync()
        #expect(h.container("p", "main")?["started"]?.bool == false)
        #expect(h.probes.runs("alive") == 0)
        h.probes.set("booted", true)
        h.clock.advance(1)
        await h.sync()
        #expect(h.container("p", "main")?["started"]?.bool == true)
        h.clock.advance(1)
        await h.sync()
        #expect(h.probes.runs("alive") >= 1)
        #expect(h.condition("p", "Ready") == "True")
    }
}
