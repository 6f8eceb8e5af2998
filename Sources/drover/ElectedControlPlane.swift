import APIServer
import Client
import ControllerRuntime
import Foundation
import HTTP

/// Runs the control plane of a `drover server` or `drover up` process: at once and for good
/// without an election, or one `ControlPlane` per leader term with one (`--leader-elect`): built
/// when this process wins the Lease, its client fenced by the term, torn down when the term ends,
/// and built again if the process wins once more.
final class ElectedControlPlane: @unchecked Sendable {
    private let settings: ControlPlane.Settings
    private let makeClient: @Sendable ((any RequestFence)?) throws -> HTTPAPIClient
    /// Set once in init, when elected.
    private var elector: LeaderElector?
    private let lock = NSLock()
    private var current: ControlPlane?

    /// Starts what `flags` ask for against `server`, which listens on `listener`'s host.
    init(flags: Flags, server: HTTPServer, listener: Listener, token: String?, electsByDefault: Bool) throws {
        let settings = try ControlPlane.Settings(flags: flags, electsByDefault: electsByDefault)
        self.settings = settings
        let host = ["", "0.0.0.0", "::", "[::]"].contains(listener.host) ? "127.0.0.1" : listener.host
        let address = "http://\(host):\(server.port)"
        makeClient = { fence in try ControlPlane.client(loopback: settings.loopback, server: server, address: address, token: token, fence: fence) }
        guard settings.runsAnything, let election = settings.election else {
            if settings.runsAnything { current = ControlPlane(settings: settings, client: try makeClient(nil)) }
            return
        }
        let elector = LeaderElector(client: try makeClient(nil), config: election,
                                    onStartedLeading: { [weak self] term in self?.beginTerm(term) },
                                    onStoppedLeading: { [weak self] in self?.endTerm() })
        self.elector = elector
        elector.start()
    }

    /// The running control plane: always without an election, only while leading with one.
    var controlPlane: ControlPlane? { lock.withLock { current } }

    private func beginTerm(_ term: LeaderTerm) {
        do {
            let plane = ControlPlane(settings: settings, client: try makeClient(term))
            lock.withLock { current = plane }
        } catch {
            printError("drover: cannot start the control plane: \(error)")
        }
    }

    private func endTerm() {
        lock.withLock { () -> ControlPlane? in
            defer { current = nil }
            return current
        }?.stop()
    }

    /// Adds the control plane's readiness checks to the server's `/readyz`: `informer-sync` (as
    /// kube-apiserver names it) fails until every shared informer of the running control plane has
    /// listed once; `leader-election` fails while this process leads with an overdue renewal.
    func addReadinessChecks(to checks: HealthChecks) {
        checks.add("informer-sync") { [weak self] in
            guard let plane = self?.controlPlane else { return nil }
            return plane.factory.hasSynced ? nil : "informers not synced"
        }
        guard let elector else { return }
        checks.add("leader-election") { elector.healthProblem }
    }

    /// Stops the control plane and, when elected, releases the Lease.
    func stop() {
        if let elector {
            let done = DispatchSemaphore(value: 0)
            Task {
                await elector.stop()
                done.signal()
            }
            done.wait()
        }
        endTerm()
    }
}
