import Agent
import Client
import Dispatch
import Foundation
import Model

/// `drover agent --server URL --token T [...]`: runs a worker agent until SIGINT or SIGTERM.
enum AgentCommand {
    static let usage = """
    Usage: drover agent --server URL [--token TOKEN] [--name NODE] [--data-dir DIR]
                        [--labels k=v,...] [--taints k=v:NoSchedule,...] [--resource example.com/gpu=2,...]
                        [--reserved cpu=100m,memory=256Mi] [--heartbeat 10s] [--node-ip IP]
                        [--log-listen HOST:PORT] [--agent-token TOKEN] [--usage-interval DURATION]

    Runs Drover's worker agent: registers the node NODE (default: this host's name), runs the pods
    bound to it as processes, and serves their logs on --log-listen (default 0.0.0.0:10250). The
    API server proxies log reads there with --agent-token (default $DROVER_AGENT_TOKEN), which
    both must share; without it the log endpoint admits everyone. The same endpoint serves
    GET /stats/summary: containers' and the node's usage, sampled every --usage-interval (10s).
    \(ObservabilityFlags.usage)
    """

    static func main(_ arguments: [String]) async -> Int32 {
        do {
            let flags = try Flags(arguments, known: ["server": true, "token": true, "name": true, "data-dir": true, "labels": true,
                                                     "taints": true, "resource": true, "reserved": true, "heartbeat": true,
                                                     "node-ip": true, "log-listen": true, "agent-token": true, "usage-interval": true]
                                                .merging(ObservabilityFlags.names) { a, _ in a }, usage: usage)
            try ObservabilityFlags.apply(flags)
            guard let server = flags["server"] else { throw UsageError(message: "--server is required\n\n\(usage)") }
            let configuration = try configuration(flags)
            let client = try HTTPAPIClient(server: server, token: flags["token"])
            let runtime = try makeDefaultRuntime(stateDirectory: configuration.paths.runtimeState)
            let agent = Agent(configuration: configuration, client: client, runtime: runtime,
                              probes: try makeDefaultProbeExecutor(runtime: runtime))
            let task = Task {
                try await agent.run { port in
                    print("drover agent: node \(configuration.nodeName) registered; logs served on port \(port)")
                    fflush(nil)
                }
            }
            let signals = cancelOnSignal(task)
            defer { signals.forEach { $0.cancel() } }
            try await task.value
            return 0
        } catch let usage as UsageError {
            if usage.isHelp { print(usage.message); return 0 }
            printError("drover agent: \(usage.message)")
            return 2
        } catch is CancellationError {
            return 0
        } catch {
            printError("drover agent: \(error)")
            return 1
        }
    }

    static func configuration(_ flags: Flags) throws -> AgentConfiguration {
        do {
            let defaultDataDirectory = geteuid() == 0 ? "/var/lib/drover/agent" : NSHomeDirectory() + "/.drover/agent"
            let (logHost, logPort) = try ServerCommand.parseListen(flags["log-listen"] ?? "0.0.0.0:10250")
            var configuration = AgentConfiguration(
                nodeName: flags["name"] ?? MachineFacts.read().hostname, dataDirectory: flags["data-dir"] ?? defaultDataDirectory,
                labels: try AgentConfiguration.parsePairs(flags["labels"] ?? "", flag: "labels"),
                taints: try AgentConfiguration.parseTaints(flags["taints"] ?? ""),
                extendedResources: try AgentConfiguration.parseQuantities(flags["resource"] ?? "", flag: "resource"),
                reserved: try AgentConfiguration.parseQuantities(flags["reserved"] ?? "", flag: "reserved"),
                heartbeatInterval: try flags["heartbeat"].map { try AgentConfiguration.parseDuration($0, flag: "heartbeat") } ?? 10,
                nodeIP: flags["node-ip"] ?? MachineFacts.primaryIPv4(), logListenHost: logHost, logPort: logPort,
                logToken: flags["agent-token"] ?? ProcessInfo.processInfo.environment["DROVER_AGENT_TOKEN"])
            if let text = flags["usage-interval"] {
                configuration.usageSampleInterval = try AgentConfiguration.parseDuration(text, flag: "usage-interval")
            }
            return configuration
        } catch let error as AgentConfigurationError {
            throw UsageError(message: error.message)
        }
    }

    /// Cancels `task` on SIGINT or SIGTERM.
    static func cancelOnSignal(_ task: Task<Void, any Error>) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
    }
}
