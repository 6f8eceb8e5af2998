import Foundation
import Model

/// How an `HTTPAPIClient`'s requests reach the server when not over its own sockets: a component
/// in the server's process (the scheduler, the controllers, `drover up`'s agent) hands them
/// straight to the server's handler — same authentication, admission, compare-and-swap and watch
/// events, without a loopback connection, HTTP parsing and two thread hand-offs per request.
public protocol RequestTransport: Sendable {
    /// Sends `request` and returns the whole answer.
    func send(_ request: TransportRequest) async throws -> RawResponse
    /// Starts a streamed request (a watch, a followed log). `receiver` is told the status and
    /// headers, then gets the body as it comes, then the end; a non-2xx answer arrives the same
    /// way with its whole body. Returns what cancels the stream (after which nothing more arrives).
    func stream(_ request: TransportRequest, to receiver: StreamReceiver) -> @Sendable () -> Void
}

/// One request as a transport sends it.
public struct TransportRequest: Sendable {
    public var method: String
    /// Path and percent-encoded query, e.g. `/api/v1/pods?watch=true`.
    public var target: String
    public var headers: [(String, String)]
    public var body: [UInt8]?

    public init(method: String, target: String, headers: [(String, String)], body: [UInt8]?) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }
}

/// Where a streamed answer goes: `head` once, `body` for each piece (false stops the stream),
/// `end` once (nil: the body ended normally).
public struct StreamReceiver: Sendable {
    public var head: @Sendable (_ status: Int, _ headers: [String: String]) -> Void
    public var body: @Sendable (_ bytes: [UInt8]) -> Bool
    public var end: @Sendable (_ error: (any Error)?) -> Void

    public init(head: @escaping @Sendable (Int, [String: String]) -> Void, body: @escaping @Sendable ([UInt8]) -> Bool,
                end: @escaping @Sendable ((any Error)?) -> Void) {
        self.head = head
        self.body = body
        self.end = end
    }
}
