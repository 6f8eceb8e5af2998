import Agent
import Client
import Foundation
import Logging

/// The worker agent `drover up` runs in its own process: the node is named after this host, its
/// state lives in DIR/agent, and its log endpoint listens on loopback with a token shared with the
/// API server (which proxies pods/log there).
final class LocalAgent: @unchecked Sendable {
    private let task: Task<Void, any Error>
    private let runtime: any ProcessRuntime

    /// Starts the agent with `client` (in-process, or over the server's plain listener); returns
    /// once it has started running. `heartbeat` is its Lease renewal period.
    init(client: HTTPAPIClient, dataDirectory: String, logToken: String, usageInterval: TimeInterval = 10,
         heartbeat: TimeInterval) throws {
        let facts = MachineFacts.read()
        var configuration = AgentConfiguration(nodeName: facts.hostname.lowercased(), dataDirectory: dataDirectory,
                                               heartbeatInterval: heartbeat, nodeIP: MachineFacts.primaryIPv4(),
                                               logListenHost: "127.0.0.1", logPort: 0, logToken: logToken)
        configuration.usageSampleInterval = usageInterval
        let runtime = try makeDefaultRuntime(stateDirectory: configuration.paths.runtimeState)
        self.runtime = runtime
        let agent = Agent(configuration: configuration, client: client, runtime: runtime,
                          probes: try makeDefaultProbeExecutor(runtime: runtime))
        task = Task {
            do {
                try await agent.run()
            } catch is CancellationError {
                return
            } catch {
                Logger("agent").error("the local agent stopped", ["error": "\(error)"])
                throw error
            }
        }
    }

    /// Stops the agent and, because `drover up` leaves nothing running, its pods' processes:
    /// first the agent itself (so no pod worker restarts a container it sees exit), then SIGTERM to
    /// each process group and SIGKILL to whatever is left after `grace` seconds. (A standalone
    /// `drover agent` instead leaves them running for its next start to re-adopt.)
    func stop(grace: TimeInterval = 10) {
        task.cancel()
        let finished = DispatchSemaphore(value: 0)
        let agentTask = task
        Task.detached {
            _ = await agentTask.result
            finished.signal()
        }
        _ = finished.wait(timeout: .now() + 10)
        let running = runtime.adoptable()
        for (id, pid) in running {
            // The agent no longer watches them, so signal the groups directly.
            kill(-pid, SIGTERM)
            runtime.stop(id: id, grace: grace)
        }
        let deadline = Date().addingTimeInterval(grace)
        while running.values.contains(where: Self.isRunning) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        for pid in running.values where Self.isRunning(pid) { kill(-pid, SIGKILL) }
    }

    /// Whether `pid` exists and is not a zombie.
    private static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }
}
