import Foundation

/// How long connections may idle and how many one client may hold (nginx's client_header_timeout,
/// keepalive_timeout and limit_conn; Go's ReadHeaderTimeout and IdleTimeout).
///
/// - A request whose line and headers stop arriving for `headerTimeoutSeconds` is closed (slowloris).
/// - Between requests a keep-alive connection may stay silent for `idleTimeoutSeconds`.
/// - A watch or a followed log in progress never times out (its connection is suspended between
///   chunks), and neither does a body being answered.
/// - `perClientConnections` connections per client address (loopback included: `drover up`'s users
///   share it), `connections` in all; both default to shares of the open-file limit, which the
///   server raises to its hard limit first, so accepting never fails with EMFILE.
public struct ConnectionLimits: Sendable, Equatable {
    public var headerTimeoutSeconds: Int
    public var idleTimeoutSeconds: Int
    /// All connections; nil: the open-file limit less a reserve for everything else the process opens.
    public var connections: Int?
    /// Connections from one address; nil: an eighth of `connections` (at least 64).
    public var perClientConnections: Int?

    public init(headerTimeoutSeconds: Int = 10, idleTimeoutSeconds: Int = 90, connections: Int? = nil,
                perClientConnections: Int? = nil) {
        self.headerTimeoutSeconds = headerTimeoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
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
