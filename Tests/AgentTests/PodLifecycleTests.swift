import Agent
import Foundation
import Model
import Testing

@Suite struct PodLifecycleTests {
    typealias H = PodHarness

    @Test func aSingleContainerPodRunsThenSucceedsWithEveryRequiredStatusField() async throws {
        let h = PodHarness()
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "/bin/echo", "hi")], restartPolicy: "Never"))
        await h.sync()
        #expect(h.startedIDs == ["\(uid)/main/0"])
        #expect(h.runtime.started.first?.argv == ["/bin/echo", "hi"])
        #expect(h.phase("p") == "Running")
        let running = try #require(h.container("p", "main"))
        #expect(running["image"]?.string == "busybox")
        #expect(running["imageID"]?.string == "")
        #expect(running["ready"]?.bool == true)
        #expect(running["started"]?.bool == true)
        #expect(running["restartCount"]?.int == 0)
        #expect(running.value(at: ["state", "running", "startedAt"])?.string != nil)
        #expect(h.status("p")["hostIP"]?.string == "10.0.0.5")
        #expect(h.status("p")["podIP"]?.string == "10.0.0.5")
        #expect(h.status("p")["startTime"]?.string != nil)
        #expect(h.condition("p", "Ready") == "True")
        #expect(h.condition("p", "PodScheduled") == "True")

        h.runtime.exit("\(uid)/main/0", code: 0)
        await h.sync()
        #expect(h.phase("p") == "Succeeded")
        let done = try #require(h.container("p", "main"))
        #expect(done.value(at: ["state", "terminated", "exitCode"])?.int == 0)
        #expect(done.value(at: ["state", "terminated", "reason"])?.string == "Completed")
        #expect(done.value(at: ["state", "terminated", "finishedAt"])?.string != nil)
        #expect(h.condition("p", "Ready") == "False")
    }

    @Test func initContainersRunOneAtATimeInOrderBeforeTheContainers() async throws {
        let h = PodHarness()
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "main")],
                                         initContainers: [H.container("first", "one"), H.container("second", "two")]))
        await h.sync()
        #expect(h.startedIDs == ["\(uid)/first/0"])
        #expect(h.condition("p", "Initialized") == "False")
        #expect(h.phase("p") == "Pending")
        h.runtime.exit("\(uid)/first/0", code: 0)
        await h.sync()
        #expect(h.startedIDs == ["\(uid)/first/0", "\(uid)/second/0"])
        h.runtime.exit("\(uid)/second/0", code: 0)
        await h.sync()
        #expect(h.startedIDs == ["\(uid)/first/0", "\(uid)/second/0", "\(uid)/main/0"])
        #expect(h.condition("p", "Initialized") == "True")
        #expect(h.phase("p") == "Running")
    }

    @Test func aFailedInitContainerFailsANeverPodWithoutStartingTheContainers() async throws {
        let h = PodHarness()
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "main")],
                                         initContainers: [H.container("setup", "setup")], restartPolicy: "Never"))
        await h.sync()
        h.runtime.exit("\(uid)/setup/0", code: 3)
        await h.sync()
        #expect(h.phase("p") == "Failed")
        #expect(h.startedIDs == ["\(uid)/setup/0"])
        #expect(h.container("p", "setup")?.value(at: ["state", "terminated", "reason"])?.string == "Error")
    }

    @Test func onFailureRestartsFailuresButNotSuccesses() async throws {
        let h = PodHarness()
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "job")], restartPolicy: "OnFailure"))
        await h.sync()
        h.runtime.exit("\(uid)/main/0", code: 1)
        await h.sync()
        #expect(h.startedIDs == ["\(uid)/main/0", "\(uid)/main/1"])
        #expect(h.container("p", "main")?["restartCount"]?.int == 1)
        #expect(h.container("p", "main")?.value(at: ["lastState", "terminated", "exitCode"])?.int == 1)
        h.runtime.exit("\(uid)/main/1", code: 0)
        await h.sync()
        #expect(h.phase("p") == "Succeeded")
        #expect(h.startedIDs.count == 2)
    }

    @Test func neverDoesNotRestartAndAFailureFailsThePod() async throws {
        let h = PodHarness()
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "job")], restartPolicy: "Never"))
        await h.sync()
        h.runtime.exit("\(uid)/main/0", code: 2)
        await h.sync()
        await h.sync()
        #expect(h.phase("p") == "Failed")
        #expect(h.startedIDs.count == 1)
        #expect(h.container("p", "main")?.value(at: ["state", "terminated", "reason"])?.string == "Error")
    }

    @Test func alwaysBacksOffTenSecondsDoublingWithCrashLoopBackOff() async throws {
        let h = PodHarness()
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "crash")]))
        await h.sync()
        // First crash: immediate restart.
        h.runtime.exit("\(uid)/main/0", code: 1)
        await h.sync()
        #expect(h.startedIDs.count == 2)
        // Then 10 s, 20 s, 40 s.
        for (restart, delay) in [(1, 10.0), (2, 20.0), (3, 40.0)] {
            h.runtime.exit("\(uid)/main/\(restart)", code: 1)
            await h.sync()
            #expect(h.waitingReason("p", "main") == "CrashLoopBackOff")
            #expect(h.phase("p") == "Running")
            h.clock.advance(delay - 1)
            await h.sync()
            #expect(h.startedIDs.count == restart + 1)
            h.clock.advance(1)
            await h.sync()
            #expect(h.startedIDs.count == restart + 2)
            #expect(h.container("p", "main")?["restartCount"]?.int == Int64(restart + 1))
        }
        #expect(h.eventReasons.contains("BackOff"))
    }

    @Test func backOffIsCappedAtFiveMinutesAndResetsAfterTenMinutesRunning() {
        var backOff = RestartBackOff()
        let start = Date(timeIntervalSince1970: 0)
        let delays = (0..<8).map { _ in backOff.nextDelay(startedAt: start, finishedAt: start.addingTimeInterval(1)) }
        #expect(delays == [0, 10, 20, 40, 80, 160, 300, 300])
        #expect(backOff.nextDelay(startedAt: start, finishedAt: start.addingTimeInterval(600)) == 0)
        #expect(backOff.nextDelay(startedAt: start, finishedAt: start.addingTimeInterval(1)) == 10)
    }

    @Test func aStartFailureIsRunContainerErrorWithAnEventAndIsRetried() async throws {
        let h = PodHarness { $0.failingPrograms["nope"] = StartFailure("exec: \"nope\": executable file not found in $PATH") }
        try await h.bind(H.pod("p", containers: [H.container("main", "nope")]))
        await h.sync()
        #expect(h.waitingReason("p", "main") == "RunContainerError")
        #expect(h.container("p", "main")?.value(at: ["state", "waiting", "message"])?.string?.contains("not found") == true)
        #expect(h.eventReasons.contains("Failed"))
        #expect(h.phase("p") == "Pending")
    }

    @Test func aStartFailureUnderNeverFailsThePodWithStartError() async throws {
        let h = PodHarness { $0.failingPrograms["nope"] = StartFailure("exec: \"nope\": not found") }
        try await h.bind(H.pod("p", containers: [H.container("main", "nope")], restartPolicy: "Never"))
        await h.sync()
        #expect(h.phase("p") == "Failed")
        #expect(h.container("p", "main")?.value(at: ["state", "terminated", "reason"])?.string == "StartError")
    }

    @Test func aContainerWithoutACommandIsAConfigError() async throws {
        let h = PodHarness()
        try await h.bind(H.pod("p", containers: [["name": "main", "image": "nginx"]]))
        await h.sync()
        #expect(h.waitingReason("p", "main") == "CreateContainerConfigError")
        #expect(h.startedIDs.isEmpty)
    }

    @Test func anOOMKillIsReportedAsOOMKilledWithExitCode137() async throws {
        let h = PodHarness()
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "hog")], restartPolicy: "Never"))
        await h.sync()
        h.runtime.exit("\(uid)/main/0", code: 137, signal: 9, oomKilled: true)
        await h.sync()
        let terminated = h.container("p", "main")?.value(at: ["state", "terminated"])
        #expect(terminated?["reason"]?.string == "OOMKilled")
        #expect(terminated?["exitCode"]?.int == 137)
        #expect(h.phase("p") == "Failed")
    }

    @Test func activeDeadlineSecondsStopsThePodAndFailsItWithDeadlineExceeded() async throws {
        let h = PodHarness()
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "sleep")], spec: ["activeDeadlineSeconds": 30]))
        await h.sync()
        h.clock.advance(29)
        await h.sync()
        #expect(h.phase("p") == "Running")
        h.clock.advance(1)
        await h.sync()
        #expect(h.phase("p") == "Failed")
        #expect(h.status("p")["reason"]?.string == "DeadlineExceeded")
        #expect(h.runtime.stopped.map(\.id) == ["\(uid)/main/0"])
        await h.sync()
        #expect(h.startedIDs.count == 1)
        #expect(h.eventReasons.contains("DeadlineExceeded"))
    }
}
