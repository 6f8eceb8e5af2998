import Foundation
import Testing
import TestSupport

/// `drover up` alone runs work: its scheduler places a pod on its local agent's node, the agent
/// runs it as a process, and the logs come back through the API.
@Suite(.serialized) struct UpRunsJobsTests {
    static let pod = """
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"scheduled"},
     "spec":{"restartPolicy":"Never","containers":[{"name":"main","image":"busybox",
             "command":["sh","-c","echo scheduled on $NODE_NAME"],"resources":{"requests":{"cpu":"100m","memory":"16Mi"}}}]}}
    """

    @Test func aPodWithoutANodeIsScheduledOnTheLocalAgentAndRuns() async throws {

        try await offCooperativePool { try aPodWithoutANodeIsScheduledOnTheLocalAgentAndRunsBlocking() }

    }

    func aPodWithoutANodeIsScheduledOnTheLocalAgentAndRunsBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let file = "\(up.dataDir)/pod.json"
        try Self.pod.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try up.cli(["apply", "-f", file]).status == 0)
        let deadline = Date().addingTimeInterval(60)
        var table = ""
        while Date() < deadline {
            table = try up.cli(["get", "pod", "scheduled"]).output
            if table.contains("Completed") { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(table.contains("Completed"), "\(table)\n\(up.logText)")
        let logs = try up.cli(["logs", "scheduled"])
        #expect(logs.output.hasPrefix("scheduled on "), "\(logs.output)")
    }

    @Test func stoppingUpStopsThePodsItsAgentRuns() async throws {

        try await offCooperativePool { try stoppingUpStopsThePodsItsAgentRunsBlocking() }

    }

    func stoppingUpStopsThePodsItsAgentRunsBlocking() throws {
        let up = try DroverUp()
        defer { up.removeData() }
        // A unique argument to find the process by (GNU sleep takes fractional seconds).
        let marker = "299.\(Int.random(in: 100_000...999_999))"
        let pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"sleeper"},
         "spec":{"containers":[{"name":"main","image":"busybox","command":["sleep","\(marker)"]}]}}
        """
        let file = "\(up.dataDir)/sleeper.json"
        try pod.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try up.cli(["apply", "-f", file]).status == 0)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !(try up.cli(["get", "pod", "sleeper"]).output.contains("Running")) { Thread.sleep(forTimeInterval: 0.2) }
        #expect(try DroverBinary.run("/usr/bin/pgrep", ["-f", marker]).status == 0, "the pod's process should be running")
        #expect(up.stop() == 0)
        #expect(try DroverBinary.run("/usr/bin/pgrep", ["-f", marker]).status != 0, "drover up left the pod's process running")
    }
}
