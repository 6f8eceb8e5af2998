import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// LISTEN/NOTIFY on a dedicated connection, driven by `poll()` on the libpq socket in its own
/// thread. When the connection breaks it reconnects (with back-off) and calls `onReconnect`,
/// because notifications sent while it was away are lost and the consumer must catch up itself.
public final class Listener: @unchecked Sendable {
    /// Called on the listener thread for every notification: (channel, payload).
    public typealias Handler = @Sendable (_ channel: String, _ payload: String) -> Void

    private let conninfo: String
    private let channels: [String]
    private let onNotification: Handler
    private let onReconnect: @Sendable () -> Void
    private var connection: Connection?
    /// Writing a byte to `wake[1]` interrupts `poll()` so `stop()` is prompt.
    private var wake: [Int32] = [-1, -1]
    private let stopped = NSCondition()
    private var stopping = false
    private var finished = false

    /// Connects, issues `LISTEN` for each channel and starts the thread. Throws when the first
    /// connection fails; once running it never gives up.
    public init(conninfo: String, channels: [String], onNotification: @escaping Handler,
                onReconnect: @escaping @Sendable () -> Void = {}) throws(PostgresError) {
        self.conninfo = conninfo
        self.channels = channels
        self.onNotification = onNotification
        self.onReconnect = onReconnect
        connection = try Listener.connect(conninfo, channels)
        guard pipe(&wake) == 0 else {
            throw PostgresError(message: "could not create the listener's wake-up pipe: \(String(cString: strerror(errno)))")
        }
        let thread = Thread { [self] in run() }
        thread.name = "postgres-listener"
        thread.start()
    }

    deinit {
        for fd in wake where fd >= 0 { Glibc.close(fd) }
    }

    /// Stops the thread and closes the connection; returns once the thread has finished.
    public func stop() {
        stopped.lock()
        if stopping {
            while !finished { stopped.wait() }
            stopped.unlock()
            return
        }
        stopping = true
        stopped.unlock()
        var byte: UInt8 = 1
        _ = write(wake[1], &byte, 1)
        stopped.lock()
        while !finished { stopped.wait() }
        stopped.unlock()
    }

    private var isStopping: Bool {
        stopped.lock()
        defer { stopped.unlock() }
        return stopping
    }

    private static func connect(_ conninfo: String, _ channels: [String]) throws(PostgresError) -> Connection {
        let c = try Connection(conninfo)
        for channel in channels { try c.exec("LISTEN \(quoteIdentifier(channel))") }
        return c
    }

    private func run() {
        var backoff = 0.05
        while !isStopping {
            guard let c = connection else {
                if waitForWake(timeout: backoff) { break }
                backoff = min(backoff * 2, 2)
                if let c = try? Listener.connect(conninfo, channels) {
                    connection = c
                    backoff = 0.05
                    onReconnect()
                }
                continue
            }
            var fds = [pollfd(fd: c.socket, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0)]
            let n = poll(&fds, 2, -1)
            if n < 0 && errno == EINTR { continue }
            if fds[1].revents != 0 { break }
            do {
                for (channel, payload) in try c.consumeNotifications() { onNotification(channel, payload) }
            } catch {
                c.close()
                connection = nil
            }
        }
        connection?.close()
        connection = nil
        stopped.lock()
        finished = true
        stopped.broadcast()
        stopped.unlock()
    }

    /// Sleeps up to `timeout` seconds; true when woken by `stop()`.
    private func waitForWake(timeout: Double) -> Bool {
        var fd = pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, Int32(timeout * 1000)) > 0
    }
}

/// `name` as a double-quoted SQL identifier.
public func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
