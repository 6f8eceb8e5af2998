import Foundation
import Testing
import TestSupport

/// The real binary end to end: `drover up`, a `drover agent` process beside it, a pod bound to
/// the agent's node runs as a real process and its logs come back through the API server.
@Suite(.serialized) struct AgentEndToEndTests {
    static let pod = """
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"hello"},
     "spec":{"nodeName":"e2e-node","restartPolicy":"Never",
             "containers":[{"name":"main","image":"busybox","command":["sh","-c","echo hello from $POD_NAME on $NODE_NAME"]}]}}
    """

    @Test func aPodBoundToTheAgentRunsAndItsLogsComeBackThroughTheAPI() async throws {

        try await offCooperativePool { try aPodBoundToTheAgentRunsAndItsLogsComeBackThroughTheAPIBlocking() }

    }

    func aPodBoundToTheAgentRunsAndItsLogsComeBackThroughTheAPIBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let agent = try up.startAgent(name: "e2e-node")
        defer {
            agent.interrupt()
            agent.waitUntilExit()
        }
        #expect(try waitFor { try up.cli(["get", "nodes"]).output.contains("e2e-node") })

        let file = "\(up.dataDir)/pod.json"
        try Self.pod.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try up.cli(["apply", "-f", file]).status == 0)
        #expect(try waitFor { try up.cli(["get", "pod", "hello"]).output.contains("Completed") })
        let logs = try up.cli(["logs", "hello"])
        #expect(logs.output.contains("hello from hello on e2e-node"), "\(logs.output)")
    }

    /// Polls `condition` for up to 30 s.
    func waitFor(_ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return try condition()
    }
}
