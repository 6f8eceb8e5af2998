import Foundation
import HTTP
import Metrics
import Model

extension APIServer {
    /// ping; the store answers; the watch hub runs and is not stuck: a resourceVersion a probe saw
    /// ahead of the hub must be dispatched within `WatchHubLag.grace` (a hub merely busy with a
    /// burst of writes is healthy, one that stopped moving fails the next probe after the grace).
    func addStandardHealthChecks() {
        healthChecks.add("ping", live: true) { nil }
        healthChecks.add("store") { [store] in
            do {
                _ = try store.currentResourceVersion()
                return nil
            } catch {
                return "\(error)"
            }
        }
        let lag = WatchHubLag()
        healthChecks.add("watch-hub", live: true) { [hub, store] in
            let progress = hub.progress
            guard progress.running else { return "the watch hub has stopped" }
            let current = (try? store.currentResourceVersion()) ?? 0
            guard let (version, seconds) = lag.behind(cursor: progress.cursor, store: current, now: Date()) else { return nil }
            return "the watch hub is at \(progress.cursor), still behind \(version) after \(Int(seconds)) s"
        }
        APIServerMetrics.registerWatchers(hub)
    }

    /// `/metrics`: the process's metrics in the Prometheus text format, for admin tokens only
    /// (RBAC's `nonResourceURLs: ["/metrics"]` once it exists).
    func metricsExposition(_ request: HTTPRequest) throws(StatusError) -> HTTPResponse {
        let user = try config.authenticator.authenticate(authorization: request.header("authorization"))
        guard user.role == .admin else {
            throw StatusError(code: 403, reason: "Forbidden",
                              message: "forbidden: User \"\(user.name)\" cannot get path \"/metrics\"")
        }
        guard request.method == "GET" else {
            throw .methodNotSupported("the server does not allow this method on the requested resource")
        }
        return HTTPResponse(status: 200, headers: [("Content-Type", MetricsRegistry.contentType)],
                            body: Array(MetricsRegistry.shared.exposition().utf8))
    }
}

/// Families the API server reads at scrape time.
enum APIServerMetrics {
    static let watchers = MetricsRegistry.shared.gauge("apiserver_registered_watchers",
                                                       "Number of currently registered watchers for a given resources")

    /// Reports the hub's open watches at every scrape (weakly: a stopped server reports nothing).
    static func registerWatchers(_ hub: WatchHub) {
        watchers.observe { [weak hub] in hub.map { [([], Double($0.watcherCount))] } }
    }
}

/// The oldest store resourceVersion a probe saw ahead of the watch hub, and when.
final class WatchHubLag: @unchecked Sendable {
    /// How long the hub may take to dispatch a version before the check fails.
    static let grace: TimeInterval = 10
    private let lock = NSLock()
    private var target: (version: Int64, since: Date)?

    /// The version the hub is stuck behind and for how long, or nil while it keeps up.
    func behind(cursor: Int64, store: Int64, now: Date) -> (Int64, TimeInterval)? {
        lock.withLock {
            if let pending = target, cursor >= pending.version { target = nil }
            if target == nil, store > cursor { target = (store, now) }
            guard let pending = target else { return nil }
            let waited = now.timeIntervalSince(pending.since)
            return waited > Self.grace ? (pending.version, waited) : nil
        }
    }
}
