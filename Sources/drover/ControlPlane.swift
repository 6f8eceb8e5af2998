import Client
import ControllerRuntime
import Controllers
import Foundation
import APIServer
import HTTP
import Scheduler

/// The scheduler and controllers of a `drover server` or `drover up` process: one API client over
/// the server's own plain HTTP listener (DESIGN.md: everything goes through the API), one shared
/// informer factory, the scheduler and the enabled controllers on it.
final class ControlPlane {
    let factory: SharedInformerFactory
    let scheduler: Scheduler?
    let controllers: ControllerManager?

    /// The flags that choose what runs: `--no-scheduler`, `--no-controllers`, `--controllers LIST`.
    static let flagNames: [String: Bool] = ["no-scheduler": false, "no-controllers": false, "controllers": true, "loopback-client": false]
        .merging(NodeLifecycleFlags.names) { a, _ in a }
        .merging(AutoscalingFlags.names) { a, _ in a }

    static let usage = """
    The scheduler and the controllers (\(ControllerKind.allCases.map(\.rawValue).joined(separator: ", "))) run in the
    same process: --no-scheduler and --no-controllers turn them off; --controllers takes
    kube-controller-manager's list syntax (`*,-garbagecollector`).
    They reach the API server in-process (its handler, without sockets); --loopback-client sends
    their requests over a loopback connection instead.
    \(NodeLifecycleFlags.usage)
    \(AutoscalingFlags.usage)
    """

    /// The client of in-process components: through `server`'s handler, or with
    /// --loopback-client over a connection to `address` (`http://host:port`).
    static func client(flags: Flags, server: HTTPServer, address: String, token: String?) throws -> HTTPAPIClient {
        if flags.isSet("loopback-client") { return try HTTPAPIClient(server: address, token: token) }
        return HTTPAPIClient(server: address, token: token, transport: InProcessTransport(server: server))
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

    /// Starts what `flags` ask for against `server`, which listens on `listener`'s host.
    init(flags: Flags, server: HTTPServer, listener: Listener, token: String?) throws {
        let host = ["", "0.0.0.0", "::", "[::]"].contains(listener.host) ? "127.0.0.1" : listener.host
        let client = try Self.client(flags: flags, server: server, address: "http://\(host):\(server.port)", token: token)
        let enabled = try Self.enabledControllers(flags)
        factory = SharedInformerFactory(client: client, resyncSeconds: 600)
        scheduler = flags.isSet("no-scheduler") ? nil : Scheduler(client: client, informers: factory)
        controllers = enabled.isEmpty ? nil : ControllerManager(client: client, factory: factory, enabled: enabled,
                                                                nodeLifecycle: try NodeLifecycleFlags.options(flags),
                                                                autoscaling: try AutoscalingFlags.options(flags))
        factory.start()
        scheduler?.start()
        controllers?.start()
    }

    /// Adds the control plane's readiness check to the server's `/readyz`: `informer-sync` (as
    /// kube-apiserver names it) fails until every shared informer has listed once.
    func addReadinessChecks(to checks: HealthChecks) {
        checks.add("informer-sync") { [factory] in factory.hasSynced ? nil : "informers not synced" }
    }

    /// Stops the controllers, the scheduler and the informers.
    func stop() {
        controllers?.stop()
        scheduler?.stop()
        factory.stop()
    }
}
