import HTTP
import Metrics

/// The HTTP listeners' connection counts and limit events on /metrics (what HTTP's
/// ConnectionTracker counts; HTTP itself stays free of the metrics module).
enum HTTPServerMetrics {
    static let connections = MetricsRegistry.shared.gauge(
        "drover_http_connections", "Open connections of the API server's listeners, by state.", labels: ["state"])
    static let events = MetricsRegistry.shared.counter(
        "drover_http_connection_limit_events_total", "Connections refused or closed by the API server's connection limits and timeouts.",
        labels: ["event"])

    /// Reports `server` at every scrape while it lives.
    static func observe(_ server: HTTPServer) {
        connections.observe { [weak server] in
            server.map { s in
                let st = s.connectionStatistics
                return [(["open"], Double(st.open)), (["idle"], Double(st.idle)), (["awaiting_headers"], Double(st.awaitingHeaders))]
            }
        }
        events.observe { [weak server] in
            server.map { s in
                let st = s.connectionStatistics
                return [(["refused_per_client"], Double(st.refusedPerClient)), (["refused_at_limit"], Double(st.refusedAtLimit)),
                        (["closed_idle_for_new"], Double(st.closedIdleForNew)), (["closed_stalled_for_new"], Double(st.closedStalledForNew)),
                        (["header_timeout"], Double(st.headerTimeouts)), (["idle_timeout"], Double(st.idleTimeouts)),
                        (["accept_failure"], Double(st.acceptFailures))]
            }
        }
    }
}
