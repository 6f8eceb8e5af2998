import Client
import Foundation
import HTTP

/// `RequestTransport` into this process's own `HTTPServer`: what the scheduler, the controllers
/// and `drover up`'s agent use instead of a loopback connection (DESIGN.md: they still go through
/// the API — the same handler with the same authentication, admission and watch events — only
/// without sockets, HTTP parsing and the I/O threads' hand-offs).
struct InProcessTransport: RequestTransport {
    let server: HTTPServer

    func send(_ request: TransportRequest) async throws -> RawResponse {
        try await withCheckedThrowingContinuation { continuation in
            server.handleInProcess(Self.httpRequest(request), responder: CollectingResponder(continuation))
        }
    }

    func stream(_ request: TransportRequest, to receiver: StreamReceiver) -> @Sendable () -> Void {
        let responder = StreamingResponder(receiver)
        server.handleInProcess(Self.httpRequest(request), responder: responder)
        return { responder.cancel() }
    }

    static func httpRequest(_ request: TransportRequest) -> HTTPRequest {
        HTTPRequest(method: request.method, target: request.target, headerLines: request.headers, body: request.body ?? [])
    }

    static func headers(_ lines: [(String, String)]) -> [String: String] {
        var headers: [String: String] = [:]
        for (name, value) in lines { headers[name.lowercased()] = value }
        return headers
    }
}

/// Collects a whole answer (a streamed one until it is closed) and resumes the sender with it.
private final class CollectingResponder: HTTPResponder, @unchecked Sendable {
    private let continuation: CheckedContinuation<RawResponse, any Error>

    init(_ continuation: CheckedContinuation<RawResponse, any Error>) {
        self.continuation = continuation
    }

    func respond(_ response: HTTPResponse) {
        continuation.resume(returning: RawResponse(status: response.status, headers: InProcessTransport.headers(response.headers),
                                                   body: response.body))
    }

    func stream(status: Int, headers: [(String, String)]) -> any HTTPStream {
        InProcessStream(status: status) { [continuation] status, body in
            continuation.resume(returning: RawResponse(status: status, headers: InProcessTransport.headers(headers), body: body))
        }
    }
}

/// Hands a streamed answer to a `StreamReceiver`, on a serial queue of its own: the writer (the
/// watch hub's fan-out, say) never waits for the receiver's decoding.
private final class StreamingResponder: HTTPResponder, @unchecked Sendable {
    private let receiver: StreamReceiver
    private let queue = DispatchQueue(label: "drover.in-process.stream")
    private let lock = NSLock()
    private var stream: InProcessStream?
    private var isCancelled = false

    init(_ receiver: StreamReceiver) {
        self.receiver = receiver
    }

    func respond(_ response: HTTPResponse) {
        let receiver = self.receiver
        queue.async {
            receiver.head(response.status, InProcessTransport.headers(response.headers))
            if !response.body.isEmpty { _ = receiver.body(response.body) }
            receiver.end(nil)
        }
    }

    func stream(status: Int, headers: [(String, String)]) -> any HTTPStream {
        let receiver = self.receiver
        let queue = self.queue
        queue.async { receiver.head(status, InProcessTransport.headers(headers)) }
        let stream = InProcessStream(status: status, queue: queue, receiver: receiver)
        let cancelled = lock.withLock { () -> Bool in
            self.stream = stream
            return isCancelled
        }
        if cancelled { stream.cancel() }
        return stream
    }

    /// The client stopped reading: the stream closes (its close handlers run, so the server lets
    /// go of it) and nothing more reaches the receiver.
    func cancel() {
        let stream = lock.withLock { () -> InProcessStream? in
            isCancelled = true
            return self.stream
        }
        stream?.cancel()
    }
}

/// An open in-process body: either forwarded piece by piece to a receiver (on its queue) or
/// collected whole and handed over at close.
private final class InProcessStream: HTTPStream, @unchecked Sendable {
    private let lock = NSLock()
    private let status: Int
    private let queue: DispatchQueue?
    private let receiver: StreamReceiver?
    private let collected: (@Sendable (Int, [UInt8]) -> Void)?
    private var body: [UInt8] = []
    private var closed = false
    private var closeHandlers: [@Sendable () -> Void] = []

    init(status: Int, queue: DispatchQueue, receiver: StreamReceiver) {
        self.status = status
        self.queue = queue
        self.receiver = receiver
        collected = nil
    }

    init(status: Int, collected: @escaping @Sendable (Int, [UInt8]) -> Void) {
        self.status = status
        queue = nil
        receiver = nil
        self.collected = collected
    }

    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        lock.lock()
        guard !closed else {
            lock.unlock()
            return false
        }
        if let queue, let receiver {
            lock.unlock()
            queue.async { [self] in
                if !receiver.body(bytes) { cancel() }
            }
        } else {
            body += bytes
            lock.unlock()
        }
        return true
    }

    func close() { finish(notifying: true) }

    /// Ends the stream without a last word to the receiver (it asked to stop).
    func cancel() { finish(notifying: false) }

    private func finish(notifying: Bool) {
        let ended = lock.withLock { () -> (handlers: [@Sendable () -> Void], body: [UInt8])? in
            guard !closed else { return nil }
            closed = true
            defer { closeHandlers = [] }
            return (closeHandlers, self.body)
        }
        guard let ended else { return }
        if notifying {
            if let queue, let receiver {
                queue.async { receiver.end(nil) }
            } else if let collected {
                collected(status, ended.body)
            }
        }
        ended.handlers.forEach { $0() }
    }

    var isOpen: Bool { lock.withLock { !closed } }

    func onClose(_ handler: @escaping @Sendable () -> Void) {
        let runNow = lock.withLock { () -> Bool in
            if closed { return true }
            closeHandlers.append(handler)
            return false
        }
        if runNow { handler() }
    }
}
