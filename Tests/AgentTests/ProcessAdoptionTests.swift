import Foundation
import Testing
import TestSupport
@testable import Agent

@Suite struct ProcessAdoptionTests {
    @Test func aSecondRuntimeAdoptsALiveProcessAndSeesItsExit() async throws {
        let fixture = try RuntimeFixture()
        let release = fixture.directory + "/release"
        let spec = fixture.spec(["sh", "-c", "while [ ! -e \(release) ]; do sleep 0.02; done; exit 7"], memoryLimit: 64 << 20)
        let first = try fixture.start(spec)
        fixture.runtime.detach()   // the agent "exits"; the process keeps running

        let restarted = try LinuxProcessRuntime(stateDirectory: fixture.directory + "/state")
        #expect(restarted.adoptable() == [spec.id: first.pid])
        let waiter = ExitWaiter()
        #expect(restarted.adopt(id: spec.id, pid: first.pid, onExit: waiter.deliver))
        let cgroup = restarted.cgroup(of: spec.id)
        _ = FileManager.default.createFile(atPath: release, contents: nil)
        // Still this process's child here, so the real status is known.
        #expect(await waiter.exit()?.exitCode == 7)
        #expect(first.callCount == 0)
        #expect(restarted.adoptable().isEmpty)
        if let cgroup {
            let removed = await eventually {
                cgroup.directories.values.allSatisfy { !FileManager.default.fileExists(atPath: $0) } ? true : nil
            }
            #expect(removed == true)
        }
    }

    @Test func anAdoptedProcessCanBeStopped() async throws {
        let fixture = try RuntimeFixture()
        let spec = fixture.spec(["sleep", "300"])
        let first = try fixture.start(spec)
        fixture.runtime.detach()
        let restarted = try LinuxProcessRuntime(stateDirectory: fixture.directory + "/state")
        let waiter = ExitWaiter()
        #expect(restarted.adopt(id: spec.id, pid: first.pid, onExit: waiter.deliver))
        restarted.stop(id: spec.id, grace: 5)
        #expect(await waiter.exit()?.exitCode == 128 + SIGTERM)
    }

    @Test func endedProcessesAreNotAdoptable() async throws {
        let fixture = try RuntimeFixture()
        let spec = fixture.spec(["true"])
        let first = try fixture.start(spec)
        fixture.runtime.detach()
        _ = await eventually { processGone(first.pid, allowZombie: true) ? true : nil }
        let restarted = try LinuxProcessRuntime(stateDirectory: fixture.directory + "/state")
        #expect(restarted.adoptable().isEmpty)
        #expect(!restarted.adopt(id: spec.id, pid: first.pid, onExit: ExitWaiter().deliver))
        var status: Int32 = 0
        _ = waitpid(first.pid, &status, 0)   // nobody watches it any more: reap it here
    }

    @Test func aStatusThatCannotBeKnownIsReportedAsUnknown() {
        let exit = LinuxProcessRuntime.decode(status: nil, oomKilled: false)
        #expect(exit.statusUnknown && exit.exitCode == 137 && !exit.oomKilled)
        let oom = LinuxProcessRuntime.decode(status: nil, oomKilled: true)
        #expect(oom.oomKilled && oom.exitCode == 137 && !oom.statusUnknown)
    }
}
