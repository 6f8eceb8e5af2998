import Client
import ControllerRuntime
import Controllers
import Foundation
import Scheduler

/// The scheduler and controllers of a `drover server` or `drover up` process: one API client over
/// the server's own plain HTTP listener (DESIGN.md: everything goes through the API), one shared
/// informer factory, the scheduler and the enabled controllers on it.
final class ControlPlane {
    let factory: SharedInformerFactory
    let scheduler: Scheduler?
    let controllers: ControllerManager?

    /// The flags that choose what runs: `--no-scheduler`, `--no-controllers`, `--controllers LIST`.
    static let flagNames: [String: Bool] = ["no-scheduler": false, "no-controllers": false, "controllers": true]
        .merging(NodeLifecycleFlags.names) { a, _ in a }

    static let usage = """
    The scheduler and the controllers (\(ControllerKind.allCases.map(\.rawValue).joined(separator: ", "))) run in the
    same process: --no-scheduler and --no-controllers turn them off; --controllers takes
    kube-controller-manager's list syntax (`*,-garbagecollector`).
    \(NodeLifecycleFlags.usage)
    """

    /// The controllers `flags` enable.
    static func enabledControllers(_ flags: Flags) throws -> Set<ControllerKind> {
        if flags.isSet("no-controllers") { return [] }
        do {
            return try ControllerKind.selection(flags["controllers"] ?? "*")
        } catch {
            throw UsageError(message: "--controllers: \(error.message)")
        }
    }

    /// Starts what `flags` ask for against the server listening on `listener`'s host and `port`.
    init(flags: Flags, listener: Listener, port: UInt16, token: String?) throws {
        let host = ["", "0.0.0.0", "::", "[::]"].contains(listener.host) ? "127.0.0.1" : listener.host
        let client = try HTTPAPIClient(server: "http://\(host):\(port)", token: token)
        let enabled = try Self.enabledControllers(flags)
        factory = SharedInformerFactory(client: client, resyncSeconds: 600)
        scheduler = flags.isSet("no-scheduler") ? nil : Scheduler(client: client, informers: factory)
        controllers = enabled.isEmpty ? nil : ControllerManager(client: client, factory: factory, enabled: enabled,
                                                                nodeLifecycle: try NodeLifecycleFlags.options(flags))
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
