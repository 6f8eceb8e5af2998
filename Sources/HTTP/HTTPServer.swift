import Foundation
import Logging

/// An HTTP/1.1 server on libmicrohttpd: epoll I/O threads that never block, handlers on a worker pool,
/// chunked streams, and a graceful `stop`.
public final class HTTPServer: @unchecked Sendable {
    let core: ServerCore

    /// Starts listening at once.
    /// - Parameter log: receives libmicrohttpd's error messages (client-disconnect noise is dropped);
    ///   by default they go to standard error prefixed with `http:`.
    /// - Throws: `HTTPServerError` when the host is not an address or the address cannot be bound.
    public init(configuration: HTTPServerConfiguration, handler: any HTTPHandler,
                log: @escaping @Sendable (String) -> Void = HTTPServer.logToStandardError) throws {
        core = ServerCore(configuration: configuration, handler: handler, log: log)
        try core.start()
    }

    deinit {
        core.stop()
    }

    /// The bound port (the real one when the configuration asked for port 0).
    public var port: UInt16 { core.port }

    /// What the connection limits hold and have done so far (open, idle, refused, closed to make room, timed out).
    public var connectionStatistics: ConnectionStatistics { core.tracker.statistics }

    /// Stops gracefully: no new connections, waiting requests get 503, open streams end, then the
    /// daemon stops about 0.2 s later. Safe to call more than once and from any thread except an
    /// `HTTPStream.onClose` handler, which runs on one of the I/O threads this call joins.
    public func stop() {
        core.stop()
    }

    /// The default log destination.
    public static func logToStandardError(_ message: String) {
        Logger("http").warning(message)
    }
}
