// The HTTP module's public surface, fixed up front so the API server can be written against it.
// The libmicrohttpd-backed implementation lives beside this file.

/// A parsed HTTP request with its whole body.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, ...
    public var method: String
    /// The URL path, percent-decoded, without the query string, e.g. `/api/v1/namespaces/default/pods`.
    public var path: String
    /// Query parameters, percent-decoded; the first value wins for repeated keys.
    public var query: [String: String]
    /// Request headers with lower-cased names.
    public var headers: [String: String]
    /// The request body (empty for none).
    public var body: [UInt8]

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// A header by case-insensitive name.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// A complete (non-streaming) response.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header name/value pairs in order; Content-Length is added by the server.
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Handles requests. `handle` runs on one of the server's worker threads, so it may block (on the
/// database, say); it must eventually call exactly one of `responder.respond` or `responder.stream`,
/// possibly from another thread.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest, responder: HTTPResponder)

    /// True for requests cheap enough to answer on the I/O thread itself, skipping the hand-off to a
    /// worker and back (a short read is fine; never a long wait and never a stream: `handle` must
    /// call `respond` before returning). The default is false.
    func answersInline(_ request: HTTPRequest) -> Bool

    /// Decides on the I/O thread, before the request is queued for a worker, whether it may run
    /// (overload protection: a request refused here costs no worker and waits in no queue). A
    /// `release` given with `.proceed` is called once when the request is over — answered in full,
    /// its stream ended, or its client gone. The default admits everything.
    func admit(_ request: HTTPRequest) -> HTTPAdmission
}

/// What `HTTPHandler.admit` decides.
public enum HTTPAdmission: Sendable {
    /// Run the request; `release` (if any) is called once when it is over.
    case proceed(release: (@Sendable () -> Void)?)
    /// Answer at once with this response, without running the handler.
    case reject(HTTPResponse)
}

extension HTTPHandler {
    public func answersInline(_ request: HTTPRequest) -> Bool { false }
    public func admit(_ request: HTTPRequest) -> HTTPAdmission { .proceed(release: nil) }
}

/// Server settings.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind, e.g. `127.0.0.1` or `0.0.0.0`.
    public var host: String
    /// Port to bind; 0 picks a free one (read it back from `HTTPServer.port`).
    public var port: UInt16
    /// libmicrohttpd epoll threads (they never block).
    public var ioThreads: Int
    /// Worker threads that run `HTTPHandler.handle` (these may block).
    public var workerThreads: Int
    /// Bodies larger than this are refused with `tooLargeResponse` without calling the handler.
    public var maxBodyBytes: Int
    /// The response for an oversized body (the API server makes it a Kubernetes Status, 413).
    public var tooLargeResponse: @Sendable (Int) -> HTTPResponse
    /// Serve HTTPS with this certificate and key instead of plain HTTP.
    public var tls: TLSCredentials?
    /// Limits that keep one client from locking the others out.
    public var limits: ConnectionLimits

    public init(host: String = "127.0.0.1", port: UInt16 = 0, ioThreads: Int = 2, workerThreads: Int = 32,
                maxBodyBytes: Int = 3 * 1024 * 1024,
                tooLargeResponse: @escaping @Sendable (Int) -> HTTPResponse = { _ in HTTPResponse(status: 413) },
                tls: TLSCredentials? = nil, limits: ConnectionLimits = ConnectionLimits()) {
        self.host = host
        self.port = port
        self.ioThreads = ioThreads
        self.workerThreads = workerThreads
        self.maxBodyBytes = maxBodyBytes
        self.tooLargeResponse = tooLargeResponse
        self.tls = tls
        self.limits = limits
    }
}

/// A PEM certificate (chain) and its PEM private key, for HTTPS.
public struct TLSCredentials: Sendable {
    public var certificatePEM: String
    public var privateKeyPEM: String

    public init(certificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }
}

/// Where a handler sends its answer. Exactly one of `respond` or `stream` is called per request.
public protocol HTTPResponder: Sendable {
    /// Sends a complete response.
    func respond(_ response: HTTPResponse)
    /// Starts a chunked (Transfer-Encoding: chunked) response whose body is written over time.
    func stream(status: Int, headers: [(String, String)]) -> HTTPStream
}

/// An open chunked response body (watch streams, followed logs).
public protocol HTTPStream: AnyObject, Sendable {
    /// Queues bytes for the client; returns false once the stream is closed or the client has left.
    @discardableResult func write(_ bytes: [UInt8]) -> Bool
    /// Ends the body (final zero-length chunk). Safe to call more than once.
    func close()
    /// False after `close` or after the client disconnected.
    var isOpen: Bool { get }
    /// Registers a handler called once when the stream ends for any reason (closed, client gone,
    /// server stopping). Called at once if it has already ended.
    func onClose(_ handler: @escaping @Sendable () -> Void)
    /// Bytes written but not yet taken by the client: writers of long bodies wait while it is high.
    var pendingBytes: Int { get }
}

extension HTTPStream {
    /// Streams that hand bytes on at once hold none back.
    public var pendingBytes: Int { 0 }
}
