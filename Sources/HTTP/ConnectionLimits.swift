import Foundation

/// How long connections may stay silent and how many one client may hold (nginx's
/// client_header_timeout and limit_conn; Go's ReadHeaderTimeout).
///
/// - A connection silent for `timeoutSeconds` is closed: one opened and left, a request whose line
///   or headers stop arriving (slowloris), a body that stalls, or an idle keep-alive connection.
/// - A watch or a followed log in progress never times out (its connection is suspended between
///   chunks), and neither does a request whose handler is still working.
/// - One timeout, not a short one for headers and a longer one for idle keep-alive: libmicrohttpd
///   can only tell them apart through per-connection timeouts (`MHD_set_connection_option`). One
///   A/B run of the batch benchmark fell from 60 to 22–28 Jobs/s with them, but later runs without
///   them spread as widely (22–60), so the cost is unproven either way; until it is measured
///   properly, one timeout. Clients reopen a closed keep-alive connection at once (ours, client-go
///   and kubectl all do).
public struct ConnectionLimits: Sendable, Equatable {
    public var timeoutSeconds: Int
    /// All connections; nil: the open-file limit less a reserve for everything else the process opens.
    public var connections: Int?
    /// Connections from one address; nil: an eighth of `connections` (at least 64).
    public var perClientConnections: Int?

    public init(timeoutSeconds: Int = 10, connections: Int? = nil, perClientConnections: Int? = nil) {
        self.timeoutSeconds = timeoutSeconds
        self.connections = connections
        self.perClientConnections = perClientConnections
    }

    /// Descriptors left for PostgreSQL connections, log files, agent pipes and the like.
    static let reservedDescriptors = 512
    /// libmicrohttpd's epoll loop handles this many comfortably on these machines.
    static let maximumConnections = 60_000

    /// The limits in force for a process that may open `openFiles` descriptors.
    func resolved(openFiles: Int) -> (connections: Int, perClient: Int) {
        let total = connections ?? max(64, min(Self.maximumConnections, openFiles - Self.reservedDescriptors))
        let perClient = perClientConnections ?? max(64, total / 8)
        return (total, min(perClient, total))
    }

    /// Raises the soft RLIMIT_NOFILE to the hard limit (once per process) and returns it.
    static let openFileLimit: Int = {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }()
}
