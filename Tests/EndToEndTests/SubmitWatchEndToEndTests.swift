import Foundation
import Testing
import TestSupport

/// `drover submit`, `watch`, `logs job/`, `rerun` as a user runs them: the real binary against
/// `drover up` and its real agent.
@Suite(.serialized) struct SubmitWatchEndToEndTests {
    @Test func submitAndWatchReportCompletionFailureTimeoutAndLogs() async throws {
        try await offCooperativePool { try runBlocking() }
    }

    func runBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }

        let ok = try up.cli(["submit", "ok", "--wait", "--", "sh", "-c", "echo hi"])
        #expect(ok.status == 0, "\(ok.output)\n\(up.logText)")
        #expect(ok.output.hasPrefix("job/ok complete: 1/1 succeeded in "), "\(ok.output)")
        #expect(ok.output.split(separator: "\n").count == 1, "--wait prints only the final line: \(ok.output)")

        let bad = try up.cli(["submit", "bad", "--backoff-limit", "0", "--wait", "--", "sh", "-c", "echo oops; exit 3"])
        #expect(bad.status == 1, "\(bad.output)")
        #expect(bad.output.contains("failed: exit code 3"), "\(bad.output)")
        #expect(bad.output.contains("  oops\n"), "the failed pod's log tail: \(bad.output)")
        #expect(bad.output.contains("job/bad failed: BackoffLimitExceeded: Job has reached the specified backoff limit"), "\(bad.output)")

        let slow = try up.cli(["submit", "slow", "--wait", "--timeout", "2", "--", "sleep", "30"])
        #expect(slow.status == 2, "\(slow.output)")
        #expect(slow.output.contains("timed out after 2s waiting for job/slow"), "\(slow.output)")

        let indexed = try up.cli(["submit", "idx", "--completions", "3", "--parallelism", "3", "--indexed", "--watch", "--logs",
                                  "--", "sh", "-c", "echo index $JOB_COMPLETION_INDEX"])
        #expect(indexed.status == 0, "\(indexed.output)")
        #expect(indexed.output.hasPrefix("job/idx\n"), "\(indexed.output)")
        for index in 0..<3 {
            #expect(indexed.output.range(of: "\\[idx-\(index)-[a-z0-9]+\\] index \(index)\n", options: .regularExpression) != nil, "\(indexed.output)")
        }
        #expect(indexed.output.contains(" scheduled to "), "\(indexed.output)")
        #expect(indexed.output.contains("job/idx complete: 3/3 succeeded"), "\(indexed.output)")
        #expect(!indexed.output.contains("\u{1B}"), "a pipe gets no escape codes")

        let logs = try up.cli(["logs", "job/idx"])
        #expect(logs.status == 0, "\(logs.output)")
        #expect(logs.output.split(separator: "\n").filter { $0.contains("] index ") }.count == 3, "\(logs.output)")

        let rerun = try up.cli(["rerun", "job/ok", "--wait"])
        #expect(rerun.status == 0, "\(rerun.output)")
        #expect(rerun.output.hasPrefix("job/ok-"), "\(rerun.output)")

        // Under a pseudo-terminal the status line is redrawn in place.
        _ = try up.cli(["submit", "tty", "--", "sleep", "2"])
        let tty = try DroverBinary.run("/usr/bin/script", ["-q", "-e", "-c", "\(DroverBinary.path) watch job/tty", "/dev/null"],
                                       environment: ["DROVER_CONFIG": up.configPath])
        #expect(tty.status == 0, "\(tty.output)")
        #expect(tty.output.contains("\r\u{1B}[Kjob/tty ["), "\(tty.output.debugDescription)")
        #expect(tty.output.contains("job/tty complete: 1/1 succeeded"), "\(tty.output)")

        // A Job whose pod fits nowhere says why while it waits.
        _ = try up.cli(["submit", "huge", "--cpu", "1000", "--", "true"])
        let pending = try up.cli(["watch", "job/huge", "--timeout", "5"])
        #expect(pending.status == 2, "\(pending.output)")
        #expect(pending.output.contains("unschedulable: 0/1 nodes are available: 1 Insufficient cpu."), "\(pending.output)")
    }
}
