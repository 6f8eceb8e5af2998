import Foundation
import HTTP
import Metrics
import Model

extension APIServer {
    /// ping; the store answers; the watch hub runs and has dispatched at least up to the
    /// resourceVersion the previous probe saw (so a stuck hub fails the second probe).
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
        let seen = SeenVersion()
        healthChecks.add("watch-hub", live: true) { [hub, store] in
            let progress = hub.progress
            guard progress.running else { return "the watch hub has stopped" }
            let previous = seen.swap((try? store.currentResourceVersion()) ?? 0)
            return progress.cursor >= previous ? nil : "the watch hub is at \(progress.cursor), behind \(previous)"
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

/// The store's resourceVersion at the previous watch-hub probe.
private final class SeenVersion: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64 = 0

    /// Stores `new` (when it is newer) and returns the previous value.
    func swap(_ new: Int64) -> Int64 {
        lock.withLock {
            defer { value = max(value, new) }
            return value
        }
    }
}
