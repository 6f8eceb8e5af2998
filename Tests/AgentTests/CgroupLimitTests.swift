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

    /// A program that allocates and touches 200 MiB at once, on any Linux (GNU coreutils or busybox,
    /// as in the cgroup v2 guest): dd fills its 200 MiB input buffer from /dev/zero.
    static let memoryHog = ["dd", "if=/dev/zero", "of=/dev/null", "bs=200M", "count=1"]

    @Test(.enabled(if: cgroupsWritable, "cgroups are not writable here (not root or no delegated cgroup)"),
          arguments: placements)
    func aMemoryHogIsOOMKilled(threadPlacement: Bool) async throws {
        let fixture = try RuntimeFixture(threadPlacement: threadPlacement)
        let spec = fixture.spec(Self.memoryHog, memoryLimit: 64 * 1024 * 1024)
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
        let throttled = await eventually { (cgroup.flatKeyed("cpu", "cpu.stat")["nr_throttled"] ?? 0) > 0 ? true : nil }
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
        #expect(lines.count == (try #require(fixture.runtime.layout)).parents.count)
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
        #expect(cgroup.directories.count == (try #require(fixture.runtime.layout)).parents.count)
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
        // Where the container's directories go: v2 nests them in the pod's.
        let homes = layout.parents.values.map { layout.version == .v2 ? $0 + "/" + ContainerCgroup.podName(for: spec.id) : $0 }
        for home in homes {
            mkdir(home, 0o755)
            mkdir(home + "/" + ContainerCgroup.name(for: spec.id), 0o755)
        }
        #expect(try await fixture.run(spec)?.exitCode == 0)
        let removed = await eventually {
            homes.allSatisfy { !FileManager.default.fileExists(atPath: $0 + "/" + ContainerCgroup.name(for: spec.id)) } ? true : nil
        }
        #expect(removed == true)
    }

    @Test(.enabled(if: cgroupsWritable, "cgroups are not writable here (not root or no delegated cgroup)"))
    func usageIsReadTheSameWayOnV1AndV2() async throws {
        let fixture = try RuntimeFixture()
        // Holds 8 MB in a shell variable, after some CPU spent building it.
        let spec = fixture.spec(["sh", "-c", "x=$(head -c 8000000 /dev/zero | tr '\\0' a); echo ready; sleep 60"])
        let waiter = try fixture.start(spec)
        defer { fixture.runtime.stop(id: spec.id, grace: 0) }
        let cgroup = try #require(fixture.runtime.cgroup(of: spec.id))
        #expect(await eventually { fixture.log(spec).contains("ready") ? true : nil } == true)
        let usage = try #require(cgroup.usage())
        #expect(usage.cpuNanoseconds > 0)
        #expect(usage.workingSetBytes >= 8_000_000 && usage.workingSetBytes <= usage.memoryBytes)
        fixture.runtime.stop(id: spec.id, grace: 0)
        _ = await waiter.exit()
    }

    @Test(.enabled(if: cgroupsWritable, "cgroups are not writable here (not root or no delegated cgroup)"))
    func theCPURequestBecomesTheContainersShareOfContendedCPU() async throws {
        let fixture = try RuntimeFixture()
        var spec = fixture.spec(["sleep", "30"])
        spec.cpuRequestMillis = 250
        let waiter = try fixture.start(spec)
        let cgroup = try #require(fixture.runtime.cgroup(of: spec.id))
        let file = cgroup.version == .v1 ? "/cpu.shares" : "/cpu.weight"
        let value = SmallFile.read((cgroup.directory("cpu") ?? "") + file)?.trimmingCharacters(in: .whitespacesAndNewlines)
        fixture.runtime.stop(id: spec.id, grace: 0)
        _ = await waiter.exit()
        // 250m → 256 shares → weight 1 + 254 × 9999 / 262142 = 10.
        #expect(value == (cgroup.version == .v1 ? "256" : "10"))
    }

    @Test func withoutCgroupsTheNodeSaysWhyAndMemoryFallsBackToRlimits() async throws {
        let fixture = try RuntimeFixture(useCgroups: false)
        #expect(fixture.runtime.capabilities.cgroupVersion == nil)
        let problem = try #require(fixture.runtime.capabilities.cgroupProblem)
        #expect(problem.contains("RLIMIT_AS") && problem.contains("CPU limits are not enforced"))
        let spec = fixture.spec(Self.memoryHog, memoryLimit: 64 * 1024 * 1024)
        let exit = try await fixture.run(spec)
        #expect(exit?.exitCode == 1)
        // GNU dd: "memory exhausted by input buffer"; busybox: "out of memory".
        #expect(fixture.log(spec).contains("memory"))
    }

    @Test func withoutCgroupsTheEnvironmentStaysExact() async throws {
        let fixture = try RuntimeFixture(useCgroups: false)
        let spec = fixture.spec(["env"], environment: ["PATH": "/usr/bin:/bin", "PWD": "/somewhere"], memoryLimit: 1 << 30)
        #expect(try await fixture.run(spec)?.exitCode == 0)
        #expect(fixture.log(spec).split(separator: "\n").sorted() == ["PATH=/usr/bin:/bin", "PWD=/somewhere"])
    }
}
