import Client
import Foundation
import Logging
import HTTP
import Model

/// One worker agent: registers the Node, serves logs, heartbeats, and runs the pods bound to it
/// until its task is cancelled.
public final class Agent: Sendable {
    public let configuration: AgentConfiguration
    private let client: any APIClient
    private let runtime: any ProcessRuntime
    private let facts: MachineFacts
    private let now: @Sendable () -> Date
    private let log: @Sendable (String) -> Void
    /// The pods' manager (exposed for tests and diagnostics).
    public let manager: PodManager

    public init(configuration: AgentConfiguration, client: any APIClient, runtime: any ProcessRuntime,
                probes: any ProbeExecutor, facts: MachineFacts = .read(), now: @escaping @Sendable () -> Date = { Date() },
                log: @escaping @Sendable (String) -> Void = { Logger("agent").info($0) }) {
        self.configuration = configuration
        self.client = client
        self.runtime = runtime
        self.facts = facts
        self.now = now
        self.log = log
        self.manager = PodManager(client: client, runtime: runtime, probes: probes, configuration: configuration, now: now, log: log)
    }

    /// Starts the log endpoint and registers the Node (errors here end the call), then runs the
    /// heartbeat, the pod watch, the exit wake-ups and the periodic sync until cancelled.
    /// `ready` gets the log endpoint's port once the Node is registered.
    public func run(ready: @escaping @Sendable (UInt16) -> Void = { _ in }) async throws {
        let linux = runtime as? LinuxProcessRuntime
        AgentMetrics.observe(manager.logIndex)
        let sampler = UsageSampler(index: manager.logIndex, nodeName: configuration.nodeName,
                                   usage: { id in linux?.cgroup(of: id)?.usage() })
        let server = try HTTPServer(configuration: HTTPServerConfiguration(host: configuration.logListenHost, port: configuration.logPort,
                                                                           ioThreads: 1, workerThreads: 4),
                                    handler: LogServer(index: manager.logIndex, paths: configuration.paths,
                                                       token: configuration.logToken, sampler: sampler, now: now),
                                    log: log)
        defer { server.stop() }
        let node = NodeObject(configuration: configuration, facts: facts, capabilities: runtime.capabilities, logPort: server.port)
        let registrar = NodeRegistrar(client: client, node: node,
                                      events: EventRecorder(client: client, nodeName: configuration.nodeName, now: now, log: log),
                                      now: now)
        try await registrar.register()
        ready(server.port)
        let watch = PodWatchLoop(client: client, manager: manager, nodeName: configuration.nodeName, log: log)
        let (configuration, manager, log) = (self.configuration, self.manager, self.log)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await watch.run() }
            group.addTask {
                for await uid in manager.exitWakeups { Task { await manager.sync(uid: uid) } }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: UInt64(configuration.syncInterval * 1_000_000_000))
                    await manager.tick()
                }
            }
            group.addTask { [now] in
                while !Task.isCancelled {
                    sampler.sample(now: now())
                    try? await Task.sleep(nanoseconds: UInt64(configuration.usageSampleInterval * 1_000_000_000))
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: UInt64(configuration.heartbeatInterval * 1_000_000_000))
                    if Task.isCancelled { break }
                    do { try await registrar.heartbeat() } catch where !(error is CancellationError) { log("heartbeat failed: \(error)") } catch {}
                }
            }
            await group.waitForAll()
        }
    }
}
