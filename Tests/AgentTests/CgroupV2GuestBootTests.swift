import Foundation
import Testing
import TestSupport

/// Proves the agent's cgroup v2 path on a real kernel where the host has none: boots Debian's
/// cloud kernel under qemu (software emulation; no disk, no network) with an initramfs holding
/// this very test binary, which runs `CgroupLimitTests` and `CgroupV2Tests` on the guest's cgroup2
/// hierarchy twice — in the root cgroup (no systemd: the agent makes a `drover` cgroup of its own)
/// and inside a delegated cgroup (systemd's Delegate=yes: the agent moves itself into a leaf first).
/// scripts/test.sh installs qemu and busybox and fetches the kernel (scripts/guest/kernel.sh).
@Suite struct CgroupV2GuestBootTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let qemu = "/usr/bin/qemu-system-x86_64"
    static let kernel = ProcessInfo.processInfo.environment["DROVER_GUEST_KERNEL"]
        ?? root.appendingPathComponent(".build/guest/vmlinuz").path
    static let ready = FileManager.default.isExecutableFile(atPath: qemu) && FileManager.default.fileExists(atPath: kernel)
        && FileManager.default.isExecutableFile(atPath: "/bin/busybox") && FileManager.default.isExecutableFile(atPath: "/usr/bin/cpio")
    static let suites = ["CgroupLimitTests", "CgroupV2Tests"]
    /// The v2-only tests, each of which must have run (not been skipped) in both passes.
    static let mustPass = ["limitsAreWrittenAsTheKubeletWritesThem", "aBusyLoopUnder200mIsThrottledToAFifthOfACore",
                           "aForkBombStopsAtThePidsLimitAndLeavesWithItsPod", "thePidsLimitIsSharedByThePodsContainers",
                           "aMemoryHogIsOOMKilledAsAWholeGroup",
                           "theAgentItselfIsInNoCgroupWithControllersEnabled", "aControllerMissingFromTheDelegatedCgroupIsNamed",
                           "aMemoryHogIsOOMKilled", "usageIsReadTheSameWayOnV1AndV2",
                           "theCPURequestBecomesTheContainersShareOfContendedCPU"]

    @Test(.enabled(if: ready, "needs qemu-system-x86, busybox-static, cpio and the guest kernel (scripts/test.sh sets them up)"),
          .timeLimit(.minutes(10)))
    func theCgroupSuitesPassOnARealCgroupV2Kernel() async throws {
        let console = try await offCooperativePool { try Self.boot() }
        for pass in ["root", "delegated"] {
            let output = try #require(Self.section(pass, of: console), "no \(pass) pass in the guest's console:\n\(console.suffix(4000))")
            #expect(output.exit == 0, "\(pass) pass:\n\(output.text.suffix(6000))")
            #expect(!output.text.contains(" skipped"), "\(pass) pass skipped tests:\n\(output.text)")
            for name in Self.mustPass {
                #expect(output.text.contains("Test \(name)(") && output.text.range(of: "Test \(name)\\(.*passed", options: .regularExpression) != nil,
                        "\(name) did not pass in the \(pass) pass")
            }
        }
    }

    /// Builds the initramfs and runs the guest to its power-off; the console output, colours and the
    /// serial line's carriage returns removed.
    static func boot() throws -> String {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("drover-guest-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let initramfs = work.appendingPathComponent("initramfs.cpio").path
        let filters = suites.flatMap { ["--filter", $0] }
        _ = try run("/bin/bash", [root.appendingPathComponent("scripts/guest/initramfs.sh").path, initramfs, binary,
                                  "--testing-library", "swift-testing", "--no-parallel"] + filters, limit: 120)
        let console = try run(qemu, ["-nographic", "-no-reboot", "-m", "2048", "-smp", "2", "-kernel", kernel, "-initrd", initramfs,
                                     "-append", "console=ttyS0 panic=-1 quiet"], limit: 480)
        return console.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\r", with: "")
    }

    /// What one pass printed between its start and exit markers, and its exit status.
    static func section(_ pass: String, of console: String) -> (text: String, exit: Int?)? {
        guard let start = console.range(of: "drover-guest: pass \(pass)\n") else { return nil }
        let rest = console[start.upperBound...]
        guard let end = rest.range(of: "drover-guest: exit \(pass) ") else { return (String(rest), nil) }
        let status = rest[end.upperBound...].prefix { $0.isNumber }
        return (String(rest[..<end.lowerBound]), Int(status))
    }

    /// Runs a program to its end (killed after `limit` seconds) and returns stdout and stderr.
    static func run(_ path: String, _ arguments: [String], limit: TimeInterval) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("drover-guest-out-" + UUID().uuidString)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(limit)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try handle.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        if process.terminationStatus != 0 && path != qemu {
            throw GuestFailure(message: "\(path) exited \(process.terminationStatus): \(text.suffix(2000))")
        }
        return text
    }

    struct GuestFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
