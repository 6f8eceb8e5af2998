import Foundation
import Testing
import TestSupport
@testable import Agent

/// Limits enforced by real cgroups. Each test is skipped (with the runtime's stated reason) where
/// cgroups are not writable, e.g. when not running as root.
@Suite struct CgroupLimitTests {
    static let cgroupsWritable = (try? CgroupLayout.detect(name: "drover").get()) != nil
    /// Both ways of placing a child in its cgroups: the spawning thread (v1) and the sh wrapper.
    static let placements = [true, false]

    /// The value of `key` in a flat-keyed cgroup file such as cpu.stat.
    static func counter(_ cgroup: ContainerCgroup, _ controller: String, _ file: String, _ key: String) -> Int? {
        let directory = cgroup.version == .v2 ? cgroup.directories[""] : cgroup.directories[controller]
        for line in (SmallFile.read((directory ?? "") + "/" + file) ?? "").split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == key { return Int(fields[1]) }
        }
        return nil
    }

    @Test(.enabled(if: cgroupsWritable, "cgroups are not writable here (not root or no delegated cgroup)"),
          arguments: placements)
    func aMemoryHogIsOOMKilled(threadPlacement: Bool) async throws {
        let fixture = try RuntimeFixture(threadPlacement: threadPlacement)
        let spec = fixture.spec(["/usr/bin/python3", "-c", "a = bytearray(200 * 1024 * 1024)"], memoryLimit: 64 * 1024 * 1024)
        let exit = try await fixture.run(spec)
        #expect(exit?.oomKilled == true)
        #expect(exit?.exitCode == 137)
    }

    @Test(.enabled(if: cgroupsWritable, "cgroups are not writable here (not root or no delegated cgroup)"),
          arguments: placements)
    func aCPULimitedBusyLoopIsThrottled(threadPlacement: Bool) async throws {
        let fixture = try RuntimeFixture(threadPlacement: threadPlacement)
        let spec = fixture.spec(["sh", "-c", "while :; do :; done"], cpuLimitMillis: 100)
        let waiter = try fixture.start(spec)
        let cgroup = try #require(fixture.runtime.cgroup(of: spec.id))
        let throttled = await eventually { (Self.counter(cgroup, "cpu", "cpu.stat", "nr_throttled") ?? 0) > 0 ? true : nil }
        fixture.runtime.stop(id: spec.id, grace: 0)
        #expect(throttled == true)
        #expect(await waiter.exit()?.exitCode == 137)
    }

    @Test(.enabled(if: cgroupsWritable, "cgroups are not writable here (not root or no delegated cgroup)"),
          arguments: placements)
    func thePidsLimitStopsForks(threadPlacement: Bool) async throws {
        let fixture = try RuntimeFixture(threadPlacement: threadPlacement)
        let spec = fixture.spec(["sh", "-c", "for i in 1 2 3 4 5 6 7 8; do sleep 5 & done; wait"], pidsLimit: 4)
        let exit = try await fixture.run(spec)
        #expect(exit?.exitCode != 0)
        #expect(fixture.log(spec).lowercased().contains("fork"))
    }

    @Test(.enabled(if: cgroupsWritable, "cgroups are not writable here (not root or no delegated cgroup)"),
          arguments: placements)
    func theProcessIsBornInsideItsCgroupsAndTheAgentStaysOutside(threadPlacement: Bool) async throws {
        let fixture = try RuntimeFixture(threadPlacement: threadPlacement)
        let spec = fixture.spec(["cat", "/proc/self/cgroup"], pidsLimit: 10)
        #expect(try await fixture.run(spec)?.exitCode == 0)
        let name = ContainerCgroup.name(for: spec.id)
        let lines = fixture.log(spec).split(separator: "\n").filter { $0.hasSuffix("/" + name) }
        #expect(lines.count == (fixture.runtime.capabilities.cgroupVersion == "v1" ? 3 : 1))
        for task in SmallFile.list("/proc/self/task") {
            #expect(!(SmallFile.read("/proc/self/task/\(task)/cgroup") ?? "").contains(name))
        }
    }

    @Test(.enabled(if: cgroupsWritable, "cgroups are not writable here (not root or no delegated cgroup)"),
          arguments: placements)
    func theCgroupIsRemovedAfterTheExit(threadPlacement: Bool) async throws {
        let fixture = try RuntimeFixture(threadPlacement: threadPlacement)
        let spec = fixture.spec(["sh", "-c", "sleep 300 & sleep 0.1"], memoryLimit: 64 * 1024 * 1024, cpuLimitMillis: 500,
                                pidsLimit: 10)
        let waiter = try fixture.start(spec)
        let cgroup = try #require(fixture.runtime.cgroup(of: spec.id))
        #expect(cgroup.directories.count == (cgroup.version == .v1 ? 3 : 1))
        #expect(await waiter.exit()?.exitCode == 0)
        let removed = await eventually {
            cgroup.directories.values.allSatisfy { !FileManager.default.fileExists(atPath: $0) } ? true : nil
        }
        #expect(removed == true)
    }

    @Test(.enabled(if: cgroupsWritable, "cgroups are not writable here (not root or no delegated cgroup)"))
    func aLeftoverCgroupOfTheSameNameIsReplaced() async throws {
        let fixture = try RuntimeFixture()
        let spec = fixture.spec(["true"], memoryLimit: 64 << 20)
        let layout = try #require(fixture.runtime.layout)
        for parent in layout.parents.values { mkdir(parent + "/" + ContainerCgroup.name(for: spec.id), 0o755) }
        #expect(try await fixture.run(spec)?.exitCode == 0)
        let removed = await eventually {
            layout.parents.values.allSatisfy { !FileManager.default.fileExists(atPath: $0 + "/" + ContainerCgroup.name(for: spec.id)) } ? true : nil
        }
        #expect(removed == true)
    }

    @Test func withoutCgroupsTheNodeSaysWhyAndMemoryFallsBackToRlimits() async throws {
        let fixture = try RuntimeFixture(useCgroups: false)
        #expect(fixture.runtime.capabilities.cgroupVersion == nil)
        let problem = try #require(fixture.runtime.capabilities.cgroupProblem)
        #expect(problem.contains("RLIMIT_AS") && problem.contains("CPU limits are not enforced"))
        let spec = fixture.spec(["/usr/bin/python3", "-c", "a = bytearray(200 * 1024 * 1024)"], memoryLimit: 64 * 1024 * 1024)
        let exit = try await fixture.run(spec)
        #expect(exit?.exitCode == 1)
        #expect(fixture.log(spec).contains("MemoryError"))
    }

    @Test func withoutCgroupsTheEnvironmentStaysExact() async throws {
        let fixture = try RuntimeFixture(useCgroups: false)
        let spec = fixture.spec(["env"], environment: ["PATH": "/usr/bin:/bin", "PWD": "/somewhere"], memoryLimit: 1 << 30)
        #expect(try await fixture.run(spec)?.exitCode == 0)
        #expect(fixture.log(spec).split(separator: "\n").sorted() == ["PATH=/usr/bin:/bin", "PWD=/somewhere"])
    }
}
