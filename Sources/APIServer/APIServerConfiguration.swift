import Foundation
import Model
import Store

/// Everything the API server needs, injected so tests can run it on a MemoryStore with a fixed clock.
public struct APIServerConfiguration: Sendable {
    public var store: any ObjectStore
    public var authenticator: Authenticator
    /// Directory of the dashboard's static files; nil serves none.
    public var webDirectory: String?
    /// Build version shown by `/version` and the dashboard.
    public var version: String
    /// Current time (injectable for tests).
    public var clock: @Sendable () -> Date
    /// Idle watch streams get a heartbeat this often so dead clients are noticed.
    public var watchHeartbeatSeconds: Double
    /// Watches without timeoutSeconds end after a random time in [max/2, max] (kube-apiserver's
    /// min-request-timeout behaviour), so clients rebalance; 30 min as upstream.
    public var maxWatchSeconds: Double
    /// Change history kept for watches and continue tokens.
    public var historyWindowSeconds: Double
    /// Events last active longer ago than this are deleted (kube-apiserver's --event-ttl, 1 h).
    public var eventTTLSeconds: Double
    /// Largest accepted request body (413 beyond).
    public var maxBodyBytes: Int
    /// Bearer token presented to agents' log endpoints when proxying pods/log (shared with the agents).
    public var agentToken: String?
    /// How often agents are polled for metrics.k8s.io (metrics-server's --metric-resolution,
    /// 15 s); nil serves the group with no data and polls nothing.
    public var metricsScrapeInterval: TimeInterval? = 15
    /// Seats for requests read from sockets (`RequestLimits.none`: unlimited).
    public var requestLimits = RequestLimits()

    public init(store: any ObjectStore, authenticator: Authenticator = .allowAll, webDirectory: String? = nil,
                version: String = DroverVersion.current, clock: @escaping @Sendable () -> Date = { Date() },
                watchHeartbeatSeconds: Double = 10, maxWatchSeconds: Double = 1800, historyWindowSeconds: Double = 300,
                eventTTLSeconds: Double = 3600, maxBodyBytes: Int = 3 * 1024 * 1024, agentToken: String? = nil) {
        self.store = store
        self.authenticator = authenticator
        self.webDirectory = webDirectory
        self.version = version
        self.clock = clock
        self.watchHeartbeatSeconds = watchHeartbeatSeconds
        self.maxWatchSeconds = maxWatchSeconds
        self.historyWindowSeconds = historyWindowSeconds
        self.eventTTLSeconds = eventTTLSeconds
        self.maxBodyBytes = maxBodyBytes
        self.agentToken = agentToken
    }
}

extension APIServerConfiguration {
    /// The configuration with another agent polling interval for metrics.k8s.io.
    public func withMetricsScrapeInterval(_ seconds: TimeInterval?) -> APIServerConfiguration {
        var copy = self
        copy.metricsScrapeInterval = seconds
        return copy
    }

    /// This configuration with `limits` as its request seats.
    public func withRequestLimits(_ limits: RequestLimits) -> APIServerConfiguration {
        var copy = self
        copy.requestLimits = limits
        return copy
    }
}

/// Drover's version string.
public enum DroverVersion {
    public static let current = "0.1.0"
}
