import Client
import ControllerRuntime
import Controllers
import Foundation
import APIServer
import HTTP
import Scheduler

/// The scheduler and controllers of one leader's term in a `drover server` or `drover up` process:
/// one API client (fenced by the term when elected), one shared informer factory, the scheduler
/// and the enabled controllers on it. A new term builds a new one from scratch, as upstream's
/// components start their informers after they win the election.
final class ControlPlane {
    let factory: SharedInformerFactory
    let scheduler: Scheduler?
    let controllers: ControllerManager?

    /// What runs, read from the flags once at start-up.
    struct Settings {
        var runsScheduler: Bool
        var controllers: Set<ControllerKind>
        var nodeLifecycle: NodeLifecycleOptions
        var autoscaling: HorizontalPodAutoscalerOptions
        var loopback: Bool
        /// Nil: no election, the control plane runs for as long as the process does.
        var election: LeaderElectionConfig?

        /// True when anything would run.
        var runsAnything: Bool { runsScheduler || !controllers.isEmpty }

        init(flags: Flags, electsByDefault: Bool) throws {
            runsScheduler = !flags.isSet("no-scheduler")
            controllers = try ControlPlane.enabledControllers(flags)
            nodeLifecycle = try NodeLifecycleFlags.options(flags)
            autoscaling = try AutoscalingFlags.options(flags)
            loopback = flags.isSet("loopback-client")
            election = try LeaderElectionFlags.config(flags, electsByDefault: electsByDefault)
        }
    }

    /// The flags that choose what runs: `--no-scheduler`, `--no-controllers`, `--controllers LIST`.
    static let flagNames: [String: Bool] = ["no-scheduler": false, "no-controllers": false, "controllers": true, "loopback-client": false]
        .merging(NodeLifecycleFlags.names) { a, _ in a }
        .merging(AutoscalingFlags.names) { a, _ in a }
        .merging(LeaderElectionFlags.names) { a, _ in a }

    static let usage = """
    The scheduler and the controllers (\(ControllerKind.allCases.map(\.rawValue).joined(separator: ", "))) run in the
    same process: --no-scheduler and --no-controllers turn them off; --controllers takes
    kube-controller-manager's list syntax (`*,-garbagecollector`).
    They reach the API server in-process (its handler, without sockets); --loopback-client sends
    their requests over a loopback connection instead.
    \(LeaderElectionFlags.usage)
    \(NodeLifecycleFlags.usage)
    \(AutoscalingFlags.usage)
    """

    /// The client of in-process components: through `server`'s handler, or with --loopback-client
    /// over a connection to `address` (`http://host:port`); writes stop when `fence` says so.
    static func client(loopback: Bool, server: HTTPServer, address: String, token: String?,
                       fence: (any RequestFence)? = nil) throws -> HTTPAPIClient {
        if loopback { return try HTTPAPIClient(server: address, token: token, fence: fence) }
        return HTTPAPIClient(server: address, token: token, transport: InProcessTransport(server: server), fence: fence)
    }

    /// The controllers `flags` enable.
    static func enabledControllers(_ flags: Flags) throws -> Set<ControllerKind> {
        if flags.isSet("no-controllers") { return [] }
        do {
            return try ControllerKind.selection(flags["controllers"] ?? "*")
        } catch {
            throw UsageError(message: "--controllers: \(error.message)")
        }
    }

    /// Builds and starts what `settings` ask for, writing through `client`.
    init(settings: Settings, client: HTTPAPIClient) {
        factory = SharedInformerFactory(client: client, resyncSeconds: 600)
        scheduler = settings.runsScheduler ? Scheduler(client: client, informers: factory) : nil
        controllers = settings.controllers.isEmpty ? nil
            : ControllerManager(client: client, factory: factory, enabled: settings.controllers,
                                nodeLifecycle: settings.nodeLifecycle, autoscaling: settings.autoscaling)
        factory.start()
        scheduler?.start()
        controllers?.start()
    }

    /// Stops the controllers, the scheduler and the informers.
    func stop() {
        controllers?.stop()
        scheduler?.stop()
        factory.stop()
    }
}
