import CMicroHTTPD
import Foundation

/// The state libmicrohttpd's callbacks reach through their context pointer: the handler, the worker
/// pool, and the registries `stop` needs to leave no connection suspended.
///
/// The daemon holds one retain on the core (its callback context), released after `MHD_stop_daemon`,
/// so callbacks never see a freed core even while `HTTPServer` is being deinitialised.
final class ServerCore: @unchecked Sendable {
    let configuration: HTTPServerConfiguration
    let handler: any HTTPHandler
    let pool: WorkerPool
    /// Connection limits and deadlines; `watchdog` enforces the deadlines.
    let tracker: ConnectionTracker
    private let watchdog: ConnectionWatchdog
    private let log: @Sendable (String) -> Void

    /// Set once by `start`, before any other thread can see the core.
    private var daemon: OpaquePointer?
    /// PEM strings handed to libmicrohttpd, which keeps pointing at them; freed in deinit.
    private var tlsStrings: (certificate: UnsafeMutablePointer<CChar>, key: UnsafeMutablePointer<CChar>)?
    private(set) var port: UInt16 = 0

    private let lock = NSLock()
    private var isStopping = false
    private var lastLogMessage = ""
    /// Requests whose connection waits (or is about to wait) suspended for a handler's answer.
    private var waitingRequests: [ObjectIdentifier: ConnectionState] = [:]
    private var openStreams: [ObjectIdentifier: ChunkedStream] = [:]

    /// Serialises `stop` so a second caller returns only once the server is down.
    private let stopLock = NSLock()

    deinit {
        if let tlsStrings {
            free(tlsStrings.certificate)
            free(tlsStrings.key)
        }
    }

    init(configuration: HTTPServerConfiguration, handler: any HTTPHandler, log: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.handler = handler
        self.log = log
        self.pool = WorkerPool(threads: configuration.workerThreads, name: "http-worker")
        let limits = configuration.limits
        tracker = ConnectionTracker(limits: limits.resolved(openFiles: ConnectionLimits.openFileLimit),
                                    headerTimeoutSeconds: limits.headerTimeoutSeconds,
                                    idleTimeoutSeconds: limits.idleTimeoutSeconds, log: log)
        watchdog = ConnectionWatchdog(tracker: tracker)
    }

    /// The answer when an inline handler did not respond (a programming error in the handler).
    static let inlineMisuseResponse = HTTPResponse(
        status: 500, headers: [("Content-Type", "text/plain")],
        body: Array("The handler answered neither inline nor at all.\n".utf8))

    /// The answer for requests that arrive or are still unanswered while the server stops.
    static let stoppingResponse = HTTPResponse(
        status: 503, headers: [("Content-Type", "text/plain"), ("Connection", "close")],
        body: Array("The server is shutting down.\n".utf8))

    // MARK: Starting and stopping

    /// Starts the daemon; on failure the pool is shut down and the error says why.
    func start() throws {
        let address: SocketAddress
        do {
            address = try SocketAddress(host: configuration.host, port: configuration.port)
        } catch {
            pool.shutDown()
            throw error
        }
        if let tls = configuration.tls, tlsStrings == nil {
            tlsStrings = (strdup(tls.certificatePEM), strdup(tls.privateKeyPEM))
        }
        let context = Unmanaged.passRetained(self).toOpaque()
        let tls = tlsStrings
        // libmicrohttpd's own timeout covers bodies and responses that stall; the tracker's idle
        // deadline, checked a little earlier, is the one idle connections meet.
        let inactivity = Int(configuration.limits.idleTimeoutSeconds.rounded(.up)) + 2
        let connectionLimit = tracker.limits.daemon
        let started = address.withSockaddr { sockaddr in
            DaemonOptions.start(address: sockaddr, port: configuration.port, isIPv6: address.isIPv6,
                                ioThreads: configuration.ioThreads, tls: tls, connectionLimit: connectionLimit,
                                inactivitySeconds: inactivity, context: context)
        }
        guard let started else {
            Unmanaged<ServerCore>.fromOpaque(context).release()
            pool.shutDown()
            throw HTTPServerError.cannotListen(host: configuration.host, port: configuration.port,
                                               reason: takeLastLogMessage())
        }
        daemon = started
        port = drover_mhd_bound_port(started)
        watchdog.start()
    }

    /// Graceful stop: stop accepting, answer every waiting request with 503, end every stream, give
    /// clients a moment to read the final bytes, then stop the daemon. Idempotent.
    func stop() {
        stopLock.lock()
        defer { stopLock.unlock() }
        guard let daemon else { return }
        self.daemon = nil
        watchdog.stop()

        lock.lock()
        isStopping = true
        let waiting = Array(waitingRequests.values)
        let streams = Array(openStreams.values)
        waitingRequests.removeAll()
        lock.unlock()

        let listenSocket = MHD_quiesce_daemon(daemon)
        // From here nothing new can suspend: `registerWaiting` and `register(stream)` refuse while
        // stopping, and closed streams end instead of suspending.
        for state in waiting {
            _ = state.deliver(.full(Self.stoppingResponse))
        }
        for stream in streams {
            stream.close()
        }
        pool.shutDown()
        Thread.sleep(forTimeInterval: 0.2)
        MHD_stop_daemon(daemon)
        if listenSocket >= 0 {
            Foundation.close(listenSocket)
        }
        Unmanaged.passUnretained(self).release()
    }

    // MARK: Registries

    /// Records a request that is about to wait for its handler; false while stopping.
    func registerWaiting(_ state: ConnectionState) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !isStopping else { return false }
        waitingRequests[ObjectIdentifier(state)] = state
        return true
    }

    func unregisterWaiting(_ state: ConnectionState) {
        lock.lock()
        waitingRequests[ObjectIdentifier(state)] = nil
        lock.unlock()
    }

    /// Records an open stream so `stop` can end it; false while stopping.
    func register(_ stream: ChunkedStream) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !isStopping else { return false }
        openStreams[ObjectIdentifier(stream)] = stream
        return true
    }

    func unregister(_ stream: ChunkedStream) {
        lock.lock()
        openStreams[ObjectIdentifier(stream)] = nil
        lock.unlock()
    }

    // MARK: Logging

    /// libmicrohttpd's error log. Messages about clients that went away are expected and dropped.
    func logFromDaemon(_ message: String) {
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        lock.lock()
        lastLogMessage = trimmed
        lock.unlock()
        guard !Self.isClientDisconnectNoise(trimmed) else { return }
        if Self.isLimitRefusal(trimmed) {
            // Once per attempt while the condition lasts: counted, logged at most once a minute.
            tracker.noteAcceptFailure(trimmed)
            return
        }
        log(trimmed)
    }

    /// libmicrohttpd's words when it turns a connection away at a limit.
    static func isLimitRefusal(_ message: String) -> Bool {
        ["reached connection limit", "resource limit", "Error accepting connection"].contains { message.contains($0) }
    }

    private func takeLastLogMessage() -> String {
        lock.lock()
        defer { lock.unlock() }
        let message = lastLogMessage
        lastLogMessage = ""
        return message
    }

    static func isClientDisconnectNoise(_ message: String) -> Bool {
        let noise = ["Failed to send", "Failed to receive", "Connection reset", "Broken pipe",
                     "disconnected", "closed connection", "Socket has been"]
        return noise.contains { message.contains($0) }
    }
}
