import Foundation
import Model

extension HTTPAPIClient {
    /// A watch over a custom transport: its bytes go through the same `WatchFeed` as a socket
    /// watch's; a non-2xx answer ends the stream with the server's Status.
    func watch(_ request: RawRequest, over transport: any RequestTransport,
               continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation) {
        let feed = WatchFeed(continuation)
        let cancel = streamBody(request, over: transport, chunk: { feed.feed($0) },
                                end: { error in error == nil ? feed.finish() : feed.end(throwing: error) })
        continuation.onTermination = { _ in cancel() }
    }

    /// A byte stream (a followed log) over a custom transport.
    func stream(_ request: RawRequest, over transport: any RequestTransport,
                continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation) {
        let cancel = streamBody(request, over: transport, chunk: { continuation.yield($0); return true },
                                end: { continuation.finish(throwing: $0) })
        continuation.onTermination = { _ in cancel() }
    }

    /// Streams `request`'s body to `chunk` when the answer is 2xx; otherwise collects it into the
    /// `StatusError` that `end` gets.
    private func streamBody(_ request: RawRequest, over transport: any RequestTransport,
                            chunk: @escaping @Sendable ([UInt8]) -> Bool,
                            end: @escaping @Sendable ((any Error)?) -> Void) -> @Sendable () -> Void {
        let failure = FailedAnswer()
        let receiver = StreamReceiver(
            head: { status, _ in failure.start(status) },
            body: { bytes in failure.collect(bytes) ? true : chunk(bytes) },
            end: { error in end(error ?? failure.error()) })
        return transport.stream(TransportRequest(method: request.method, target: request.pathWithQuery,
                                                 headers: headerLines(request), body: request.body), to: receiver)
    }
}

/// The body of a non-2xx streamed answer, collected until it ends.
private final class FailedAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int?
    private var body: [UInt8] = []

    func start(_ status: Int) {
        lock.withLock { self.status = (200..<300).contains(status) ? nil : status }
    }

    /// True when the bytes belong to a failed answer (and were kept).
    func collect(_ bytes: [UInt8]) -> Bool {
        lock.withLock {
            guard status != nil else { return false }
            body += bytes
            return true
        }
    }

    func error() -> (any Error)? {
        lock.withLock { status.map { StatusError.decode(body: body, httpStatus: $0) } }
    }
}
