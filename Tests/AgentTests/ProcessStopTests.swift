import Foundation
import Testing
import TestSupport
@testable import Agent

@Suite struct ProcessStopTests {
    @Test func aProcessThatTrapsTermEndsGracefully() async throws {
        let fixture = try RuntimeFixture()
        let spec = fixture.spec(["sh", "-c", "trap 'echo bye; exit 0' TERM; echo ready; sleep 30 & wait"])
        let waiter = try fixture.start(spec)
        _ = await eventually { fixture.log(spec).contains("ready") ? true : nil }
        fixture.runtime.stop(id: spec.id, grace: 30)
        let exit = await waiter.exit()
        #expect(exit?.exitCode == 0)
        #expect(exit?.signal == nil)
        #expect(fixture.log(spec).contains("bye"))
    }

    @Test func aProcessThatIgnoresTermIsKilledAfterTheGracePeriod() async throws {
        let fixture = try RuntimeFixture()
        let spec = fixture.spec(["sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done"])
        let waiter = try fixture.start(spec)
        _ = await eventually { fixture.log(spec).contains("ready") ? true : nil }
        fixture.runtime.stop(id: spec.id, grace: 0.3)
        let exit = await waiter.exit()
        #expect(exit?.exitCode == 137)
        #expect(exit?.signal == SIGKILL)
        #expect(exit?.oomKilled == false)
    }

    @Test func stoppingReachesTheWholeProcessGroup() async throws {
        let fixture = try RuntimeFixture()
        let pidFile = fixture.directory + "/grandchild.pid"
        let spec = fixture.spec(["sh", "-c", "sleep 300 & echo $! > \(pidFile); wait"])
        let waiter = try fixture.start(spec)
        let grandchild = try #require(await eventually {
            (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        })
        fixture.runtime.stop(id: spec.id, grace: 10)
        #expect(await waiter.exit()?.signal == SIGTERM)
        #expect(await eventually { processGone(grandchild) ? true : nil } == true)
    }

    @Test func leftoverProcessesEndWithTheirContainerAndAreReaped() async throws {
        let fixture = try RuntimeFixture()
        let pidFile = fixture.directory + "/orphan.pid"
        // The background sleep outlives its shell: it is killed with the container and, reparented to
        // the agent (a subreaper), reaped by the runtime rather than left as a zombie.
        let spec = fixture.spec(["sh", "-c", "sleep 300 & echo $! > \(pidFile)"])
        #expect(try await fixture.run(spec)?.exitCode == 0)
        let orphan = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await eventually { processGone(orphan) ? true : nil } == true)
    }

    @Test func stoppingAnUnknownIdDoesNothing() throws {
        let fixture = try RuntimeFixture()
        fixture.runtime.stop(id: "nobody", grace: 1)
    }
}
