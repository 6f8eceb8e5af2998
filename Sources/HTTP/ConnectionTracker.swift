import Foundation

/// Every connection the daemon holds, in the phases that may time out or make room, with the
/// counts per client address. libmicrohttpd cannot do this itself:
///
/// - Its per-connection timeouts (`MHD_set_connection_option`) put a connection on a list its epoll
///   loop walks in full on every iteration, so thousands of connections in their header phase would
///   slow every request. Here both deadlines live in two queues ordered by age, and a watchdog thread
///   closes what has expired; libmicrohttpd keeps one default timeout for all, which it checks in O(1).
/// - It has no way to close another thread's connection, or to prefer closing an idle one to refusing
///   a new one. The tracker `shutdown(2)`s the socket instead: the owning I/O thread then reads
///   end-of-stream and closes the connection its usual way. The descriptor is still the
///   connection's, because libmicrohttpd reports a connection closed (`closed`, under the same lock)
///   before it closes the descriptor.
///
/// All methods are called from libmicrohttpd's I/O threads except `expire` (the watchdog) and
/// `statistics`; one lock guards everything, held only for list and counter updates.
final class ConnectionTracker: @unchecked Sendable {
    let limits: ConnectionLimits.Resolved
    private let headerTimeout: UInt64
    private let idleTimeout: UInt64
    /// At the total, a connection still without headers this long may be closed to admit a new one:
    /// a real client sends its request within milliseconds of connecting.
    private let stalledAge: UInt64
    private let headerTimeoutText: String
    private let log: @Sendable (String) -> Void

    private let lock = NSLock()
    private var awaitingHeaders = ConnectionQueue()
    private var idle = ConnectionQueue()
    /// Connections not yet shut down by the tracker or closed.
    private var live = 0
    /// Connections per address until libmicrohttpd closes them (shut-down ones still hold a descriptor).
    private var perAddress: [ClientAddress: Int] = [:]
    private var counters = ConnectionStatistics()
    private var reports = LimitReports()

    init(limits: ConnectionLimits.Resolved, headerTimeoutSeconds: Double, idleTimeoutSeconds: Double,
         log: @escaping @Sendable (String) -> Void) {
        self.limits = limits
        headerTimeout = Self.nanoseconds(headerTimeoutSeconds)
        idleTimeout = Self.nanoseconds(idleTimeoutSeconds)
        stalledAge = min(1_000_000_000, headerTimeout / 2)
        headerTimeoutText = "\(headerTimeoutSeconds.formatted()) s"
        self.log = log
    }

    private static func nanoseconds(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1e9) }

    /// Monotonic nanoseconds.
    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// How often the watchdog should call `expire`: a quarter of the shorter timeout, within 50 ms–1 s.
    var checkInterval: Double {
        let shorter = Double(min(headerTimeout, idleTimeout)) / 1e9
        return min(1, max(0.05, shorter / 4))
    }

    // MARK: Accepting and closing

    /// libmicrohttpd's accept policy: false when the address already holds its share.
    func admits(_ address: ClientAddress) -> Bool {
        let (admitted, line): (Bool, String?) = lock.withLock {
            guard perAddress[address, default: 0] >= limits.perClient else { return (true, nil) }
            counters.refusedPerClient += 1
            return (false, reports.line(.refusedPerClient, at: Self.now(), total: counters.refusedPerClient,
                                        "refused a connection from \(address): it already holds \(limits.perClient) connections, the per-client limit"))
        }
        if let line { log(line) }
        return admitted
    }

    /// A connection was accepted: its headers are due within the header timeout. Beyond the total,
    /// the longest-idle keep-alive connection is closed to make room, else the connection that has
    /// waited longest for its headers (if over `stalledAge`), else this new one.
    func opened(socket: Int32, address: ClientAddress) -> TrackedConnection {
        var line: String?
        let connection: TrackedConnection = lock.withLock {
            let now = Self.now()
            let connection = TrackedConnection(socket: socket, address: address, since: now)
            perAddress[address, default: 0] += 1
            live += 1
            awaitingHeaders.append(connection)
            guard live > limits.connections else { return connection }
            if let victim = idle.first {
                idle.remove(victim)
                shutDown(victim)
                counters.closedIdleForNew += 1
                line = reports.line(.closedIdleForNew, at: now, total: counters.closedIdleForNew,
                                    "at the connection limit (\(limits.connections)): closed the longest-idle keep-alive connection to admit a new one")
            } else if let victim = awaitingHeaders.first, victim !== connection, victim.since + stalledAge <= now {
                awaitingHeaders.remove(victim)
                shutDown(victim)
                counters.closedStalledForNew += 1
                line = reports.line(.closedStalledForNew, at: now, total: counters.closedStalledForNew,
                                    "at the connection limit (\(limits.connections)) with none idle: closed the connection from \(victim.address) that had waited longest for its request headers to admit a new one")
            } else {
                awaitingHeaders.remove(connection)
                shutDown(connection)
                counters.refusedAtLimit += 1
                line = reports.line(.refusedAtLimit, at: now, total: counters.refusedAtLimit,
                                    "refused a connection from \(address): all \(limits.connections) connections are in use and none is idle")
            }
            return connection
        }
        if let line { log(line) }
        return connection
    }

    /// libmicrohttpd has closed the connection (and is about to close its descriptor).
    func closed(_ connection: TrackedConnection) {
        lock.withLock {
            switch connection.phase {
            case .awaitingHeaders:
                awaitingHeaders.remove(connection)
                live -= 1
            case .idle:
                idle.remove(connection)
                live -= 1
            case .busy:
                live -= 1
            case .closing:
                break
            case .closed:
                return
            }
            connection.phase = .closed
            let remaining = perAddress[connection.address, default: 1] - 1
            perAddress[connection.address] = remaining > 0 ? remaining : nil
        }
    }

    // MARK: Request phases

    /// A request line is in. On a keep-alive connection that was idle, the header deadline starts now;
    /// on a new connection it started when it was accepted.
    func requestLineArrived(_ connection: TrackedConnection) {
        lock.withLock {
            guard connection.phase == .idle else { return }
            idle.remove(connection)
            connection.phase = .awaitingHeaders
            connection.since = Self.now()
            awaitingHeaders.append(connection)
        }
    }

    /// The headers are complete: nothing times out here until the request has been answered.
    func headersArrived(_ connection: TrackedConnection) {
        lock.withLock {
            guard connection.phase == .awaitingHeaders else { return }
            awaitingHeaders.remove(connection)
            connection.phase = .busy
        }
    }

    /// The request is over (answered, or ended early); the connection waits for its next one.
    func requestCompleted(_ connection: TrackedConnection) {
        lock.withLock {
            switch connection.phase {
            case .awaitingHeaders:
                awaitingHeaders.remove(connection)
            case .busy:
                break
            case .idle, .closing, .closed:
                return
            }
            connection.phase = .idle
            connection.since = Self.now()
            idle.append(connection)
        }
    }

    // MARK: Deadlines

    /// Shuts down every connection whose header deadline or idle timeout has passed.
    func expire() {
        var line: String?
        lock.withLock {
            let now = Self.now()
            while let connection = awaitingHeaders.first, connection.since + headerTimeout <= now {
                awaitingHeaders.remove(connection)
                shutDown(connection)
                counters.headerTimeouts += 1
                line = reports.line(.headerTimeout, at: now, total: counters.headerTimeouts,
                                    "closed a connection from \(connection.address) whose request headers were not complete within \(headerTimeoutText)") ?? line
            }
            while let connection = idle.first, connection.since + idleTimeout <= now {
                idle.remove(connection)
                shutDown(connection)
                counters.idleTimeouts += 1
            }
        }
        if let line { log(line) }
    }

    /// Out of its queue already; under `lock`, so libmicrohttpd cannot have closed the descriptor.
    private func shutDown(_ connection: TrackedConnection) {
        connection.phase = .closing
        live -= 1
        shutdown(connection.socket, Int32(SHUT_RDWR))
    }

    // MARK: Reporting

    /// libmicrohttpd could not accept a connection or refused it at its own limit; `message` is its word.
    func noteAcceptFailure(_ message: String) {
        let line: String? = lock.withLock {
            counters.acceptFailures += 1
            return reports.line(.acceptFailure, at: Self.now(), total: counters.acceptFailures, message)
        }
        if let line { log(line) }
    }

    var statistics: ConnectionStatistics {
        lock.withLock {
            var statistics = counters
            statistics.open = live
            statistics.idle = idle.count
            statistics.awaitingHeaders = awaitingHeaders.count
            return statistics
        }
    }
}
