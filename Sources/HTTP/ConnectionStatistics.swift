/// What the connection limits have done since the server started (for logs, tests and, once it
/// exists, /metrics).
public struct ConnectionStatistics: Sendable, Equatable {
    /// Connections open now (not counting those already shut down and about to close).
    public var open = 0
    /// Of those, keep-alive connections waiting for their next request.
    public var idle = 0
    /// Of those, connections whose request headers are not complete yet.
    public var awaitingHeaders = 0
    /// Connections refused because their address already held its share.
    public var refusedPerClient = 0
    /// Connections refused at the total because none could be closed to make room.
    public var refusedAtLimit = 0
    /// Idle keep-alive connections closed, oldest first, to admit new ones at the total.
    public var closedIdleForNew = 0
    /// Connections closed at the total because they had waited longest (over a second) for their headers.
    public var closedStalledForNew = 0
    /// Connections closed because their request headers were not complete within the header timeout.
    public var headerTimeouts = 0
    /// Keep-alive connections closed after waiting the idle timeout for a next request.
    public var idleTimeouts = 0
    /// Connections libmicrohttpd could not accept (no descriptors or memory) or turned away at its own limit.
    public var acceptFailures = 0

    public init() {}
}

/// Log lines about limits, so that a flood produces one line a minute per kind instead of one per
/// connection: the first event is logged at once, later ones with the running total at most once a
/// minute.
struct LimitReports {
    enum Kind: CaseIterable {
        case refusedPerClient, refusedAtLimit, closedIdleForNew, closedStalledForNew, headerTimeout, acceptFailure
    }

    static let interval: UInt64 = 60_000_000_000
    private var lastLogged: [Kind: UInt64] = [:]

    /// The line to log now for this event (with its running total), or nil while the kind is quiet.
    mutating func line(_ kind: Kind, at now: UInt64, total: Int, _ message: @autoclosure () -> String) -> String? {
        if let last = lastLogged[kind], now - last < Self.interval { return nil }
        lastLogged[kind] = now
        return "\(message()) (\(total) so far; logged at most once a minute)"
    }
}
