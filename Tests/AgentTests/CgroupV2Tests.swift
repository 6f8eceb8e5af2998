import Foundation
import Testing
import TestSupport
@testable import Agent

/// The agent on the unified cgroup v2 hierarchy, against a real kernel's files. They run where
/// /sys/fs/cgroup is a writable cgroup2 mount: on a v2 host, and in the guest kernel that
/// `CgroupV2GuestBootTests` boots (twice: in the root cgroup, as without systemd, and in a
/// delegated cgroup, as under systemd's Delegate=yes). On a v1 host they are skipped.
@Suite struct CgroupV2Tests {
    static let onV2 = FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers")
        && (try? CgroupLayout.detect(name: "drover").get())?.version == .v2
    static let reason: Comment = "needs a writable cgroup v2 hierarchy (the guest boot test provides one)"

    @Test(.enabled(if: onV2, reason))
    func limitsAreWrittenAsTheKubeletWritesThem() async throws {
        let fixture = try RuntimeFixture()
        var spec = fixture.spec(["sleep", "30"], memoryLimit: 64 << 20, cpuLimitMillis: 200, pidsLimit: 12)
        spec.cpuRequestMillis = 100
        let waiter = try fixture.start(spec)
        defer { fixture.runtime.stop(id: spec.id, grace: 0) }
        let directory = try #require(fixture.runtime.cgroup(of: spec.id)?.directories[""])
        func read(_ file: String) -> String? { SmallFile.read(directory + "/" + file)?.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(read("memory.max") == String(64 << 20))
        #expect(read("memory.oom.group") == "1")
        if let swap = read("memory.swap.max") { #expect(swap == "0") }
        #expect(read("memory.high") == "max")
        #expect(read("cpu.max") == "20000 100000")
        // 100m → 102 shares → weight 1 + 100 × 9999 / 262142 = 4.
        #expect(read("cpu.weight") == "4")
        // The pids limit is the pod's, on the pod's directory around the container's.
        #expect(read("pids.max") == "max")
        let pod = try #require(fixture.runtime.cgroup(of: spec.id)?.podDirectory)
        #expect(directory.hasPrefix(pod + "/") && pod.hasSuffix("/" + ContainerCgroup.podName(for: spec.id)))
        #expect(SmallFile.read(pod + "/pids.max")?.trimmingCharacters(in: .whitespacesAndNewlines) == "12")
        fixture.runtime.stop(id: spec.id, grace: 0)
        #expect(await waiter.exit()?.exitCode == 137)
    }

    @Test(.enabled(if: onV2, reason))
    func aBusyLoopUnder200mIsThrottledToAFifthOfACore() async throws {
        let fixture = try RuntimeFixture()
        let spec = fixture.spec(["sh", "-c", "while :; do :; done"], cpuLimitMillis: 200)
        let waiter = try fixture.start(spec)
        let cgroup = try #require(fixture.runtime.cgroup(of: spec.id))
        let start = try #require(cgroup.usage()), started = Date()
        let throttled = await eventually(within: 60) { (cgroup.flatKeyed("cpu", "cpu.stat")["nr_throttled"] ?? 0) > 0 ? true : nil }
        try await Task.sleep(for: .seconds(2))
        let end = try #require(cgroup.usage()), wall = Date().timeIntervalSince(started)
        fixture.runtime.stop(id: spec.id, grace: 0)
        #expect(await waiter.exit()?.exitCode == 137)
        #expect(throttled == true)
        // The quota allows 20%; a loaded machine may give less, never more (one period of slack).
        let share = Double(end.cpuNanoseconds - start.cpuNanoseconds) / 1e9 / wall
        #expect(share > 0 && share < 0.3, "used \(share) of a core")
    }

    @Test(.enabled(if: onV2, reason))
    func aForkBombStopsAtThePidsLimitAndLeavesWithItsPod() async throws {
        let fixture = try RuntimeFixture()
        let spec = fixture.spec(["sh", "-c", "bomb() { bomb | bomb & }; bomb; sleep 60"], pidsLimit: 16)
        let waiter = try fixture.start(spec)
        let cgroup = try #require(fixture.runtime.cgroup(of: spec.id))
        let pod = try #require(cgroup.podDirectory)
        func current() -> Int { SmallFile.read(pod + "/pids.current").flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0 }
        let capped = await eventually(within: 60) { current() >= 16 ? true : nil }
        #expect(capped == true)
        try await Task.sleep(for: .seconds(1))
        #expect(current() <= 16)
        let processes = cgroup.processes()
        #expect(!processes.isEmpty)
        fixture.runtime.stop(id: spec.id, grace: 0)
        #expect(await waiter.exit() != nil)
        let gone = await eventually { processes.allSatisfy { processGone($0) } && cgroup.processes().isEmpty ? true : nil }
        #expect(gone == true)
        let removed = await eventually { !FileManager.default.fileExists(atPath: pod) ? true : nil }
        #expect(removed == true)
    }

    @Test(.enabled(if: onV2, reason))
    func thePidsLimitIsSharedByThePodsContainers() async throws {
        let fixture = try RuntimeFixture()
        let pod = UUID().uuidString
        // Three processes each: together more than the pod's five.
        let script = ["sh", "-c", "sleep 60 & sleep 60 & echo started; wait"]
        let first = fixture.spec(script, id: "\(pod)/first/0", pidsLimit: 5)
        let second = fixture.spec(script, id: "\(pod)/second/0", pidsLimit: 5)
        let running = try fixture.start(first)
        defer { fixture.runtime.stop(id: first.id, grace: 0) }
        #expect(await eventually { fixture.log(first).contains("started") ? true : nil } == true)
        let exit = try await fixture.run(second)
        #expect(exit?.exitCode != 0)
        #expect(fixture.log(second).lowercased().contains("fork"))
        fixture.runtime.stop(id: first.id, grace: 0)
        #expect(await running.exit()?.exitCode == 137)
    }

    @Test(.enabled(if: onV2, reason))
    func aMemoryHogIsOOMKilledAsAWholeGroup() async throws {
        let fixture = try RuntimeFixture()
        // The shell's child allocates; memory.oom.group takes the shell (and its sleeper) with it.
        let spec = fixture.spec(["sh", "-c", "sleep 60 & " + CgroupLimitTests.memoryHog.joined(separator: " ") + "; wait"],
                                memoryLimit: 64 << 20)
        let exit = try await fixture.run(spec)
        #expect(exit?.oomKilled == true)
        #expect(exit?.exitCode == 137)
    }

    @Test(.enabled(if: onV2, reason))
    func theAgentItselfIsInNoCgroupWithControllersEnabled() throws {
        let fixture = try RuntimeFixture()
        let layout = try #require(fixture.runtime.layout)
        let own = CgroupLayout.parseSelfCgroup(SmallFile.read("/proc/self/cgroup") ?? "")[""] ?? "/"
        if own != "/" {
            let enabled = SmallFile.read("/sys/fs/cgroup" + own + "/cgroup.subtree_control") ?? "?"
            #expect(enabled.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(own) enables \(enabled)")
            #expect(own.hasSuffix("/" + CgroupLayout.agentLeaf))
        }
        let parent = try #require(layout.parents[""])
        #expect(parent.hasSuffix("/drover"))
        let enabled = Set((SmallFile.read(parent + "/cgroup.subtree_control") ?? "").split(whereSeparator: \.isWhitespace).map(String.init))
        #expect(enabled.isSuperset(of: CgroupLayout.controllers))
    }

    @Test(.enabled(if: onV2, reason))
    func aControllerMissingFromTheDelegatedCgroupIsNamed() throws {
        // A delegated cgroup whose parent enables memory and pids but not cpu.
        let parent = "/sys/fs/cgroup/drover-nocpu-" + UUID().uuidString.prefix(8)
        #expect(mkdir(parent, 0o755) == 0)
        defer { rmdir(parent + "/unit"); rmdir(parent) }
        #expect(SmallFile.write("+memory +pids", to: parent + "/cgroup.subtree_control") == nil)
        #expect(mkdir(parent + "/unit", 0o755) == 0)
        let relative = String(parent.dropFirst("/sys/fs/cgroup".count)) + "/unit"
        let result = CgroupLayout.detect(name: "drover", selfCgroupText: "0::\(relative)\n")
        #expect(result == .failure(CgroupProblem("the cgroup v2 cpu controller is not available in /sys/fs/cgroup\(relative)")))
    }
}
