import Foundation

/// How long connections may wait and how many there may be (nginx's client_header_timeout,
/// keepalive_timeout and limit_conn; Go's ReadHeaderTimeout and IdleTimeout, 32 s and 90 s in
/// kube-apiserver).
///
/// - `headerTimeoutSeconds`: a connection's request line and headers must be complete this long after
///   it was accepted (TLS handshake included) or, on a keep-alive connection, after its request line
///   arrived; otherwise it is closed (slowloris, a socket opened and left). A deadline, not an
///   inactivity timeout: dripping one byte at a time does not extend it.
/// - `idleTimeoutSeconds`: a keep-alive connection may wait this long for its next request. It is
///   also libmicrohttpd's inactivity timeout for a body being read or a response being written.
/// - A request whose handler is still working, a watch or a followed log in progress never times out.
/// - `perClientConnections` per client address (loopback included: `drover up`'s users share it),
///   `connections` in all; both default to shares of the open-file limit, which the server raises to
///   its hard limit first, so accepting never fails for want of descriptors. At `connections`, the
///   longest-idle keep-alive connection is closed to admit a new one.
public struct ConnectionLimits: Sendable, Equatable {
    public var headerTimeoutSeconds: Double
    public var idleTimeoutSeconds: Double
    /// All connections; nil: the open-file limit less a reserve for everything else the process opens.
    public var connections: Int?
    /// Connections from one address; nil: an eighth of `connections` (at least 64).
    public var perClientConnections: Int?

    public init(headerTimeoutSeconds: Double = 10, idleTimeoutSeconds: Double = 90, connections: Int? = nil,
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

    /// The numbers in force for a process that may open a given number of descriptors.
    struct Resolved: Equatable {
        /// Connections the server keeps open at most; beyond, idle ones make room or new ones are refused.
        var connections: Int
        var perClient: Int
        /// libmicrohttpd's own limit, where it stops accepting: above `connections` by a margin for
        /// connections being closed to make room, within the descriptors available.
        var daemon: Int
    }

    func resolved(openFiles: Int) -> Resolved {
        let descriptors = max(128, openFiles - Self.reservedDescriptors)
        let total = min(connections ?? Self.maximumConnections, descriptors - Self.margin(descriptors))
        let perClient = min(total, perClientConnections ?? max(64, total / 8))
        return Resolved(connections: total, perClient: perClient,
                        daemon: min(descriptors, total + Self.margin(total)))
    }

    private static func margin(_ count: Int) -> Int { max(32, count / 16) }

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
