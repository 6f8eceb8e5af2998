import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Model

extension HTTPAPIClient {
    /// How long a watch may stay silent before URLSession gives up on it when the caller set no
    /// `timeoutSeconds` (the server may legitimately say nothing for a long time).
    static let unboundedWatchIdleTimeout: TimeInterval = 24 * 3600

    public func watch(_ resource: ResourceInfo, namespace: String?, options: WatchOptions) -> AsyncThrowingStream<WatchEvent, any Error> {
        AsyncThrowingStream { continuation in
            var query: [(String, String)] = [("watch", "true")]
            if let rv = options.resourceVersion { query.append(("resourceVersion", rv)) }
            if let s = options.labelSelector, !s.isEmpty { query.append(("labelSelector", s)) }
            if let s = options.fieldSelector, !s.isEmpty { query.append(("fieldSelector", s)) }
            if let t = options.timeoutSeconds { query.append(("timeoutSeconds", String(t))) }
            if options.allowBookmarks { query.append(("allowWatchBookmarks", "true")) }
            let request = RawRequest(method: "GET", path: ResourcePath.collection(resource, namespace: namespace), query: query,
                                     headers: options.accept.map { ["Accept": $0] } ?? [:])
            // The idle timeout must outlast the server's own end of the stream.
            let idle = options.timeoutSeconds.map { TimeInterval($0) + 30 } ?? Self.unboundedWatchIdleTimeout
            if let custom {
                watch(request, over: custom, continuation: continuation)
                return
            }
            if let transport {
                transport.watch(target: request.pathWithQuery, headers: headerLines(request), idleTimeout: idle,
                                continuation: continuation, server: server)
                return
            }
            let delegate = WatchStreamDelegate(continuation: continuation, translate: { [self] in translate($0) })
            startSession(request, timeout: idle, delegate: delegate, continuation: continuation)
        }
    }
}

/// Turns watch-stream bytes into events on a stream: splits lines, decodes events, ends the
/// stream on an ERROR event (410 → `ClientError.watchExpired`) or a bad line. Not thread-safe:
/// each transport feeds it from one place at a time.
final class WatchFeed: @unchecked Sendable {
    private let continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation
    private var splitter = LineSplitter()
    private(set) var ended = false

    init(_ continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation) {
        self.continuation = continuation
    }

    /// Feeds bytes; returns false once the stream has ended.
    func feed<Bytes: Sequence>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        guard !ended else { return false }
        for line in splitter.append(bytes) where !deliver(line) { return false }
        return true
    }

    /// The body ended normally: delivers a last unterminated line, then finishes.
    func finish() {
        guard !ended else { return }
        if let line = splitter.finish(), !deliver(line) { return }
        end(throwing: nil)
    }

    func end(throwing error: (any Error)?) {
        guard !ended else { return }
        ended = true
        continuation.finish(throwing: error)
    }

    private func deliver(_ line: [UInt8]) -> Bool {
        do {
            let event = try WatchEvent.decode(line: line)
            if let error = event.error {
                end(throwing: error)
                return false
            }
            continuation.yield(event)
            return true
        } catch {
            end(throwing: error is ClientError ? error : ClientError.invalidResponse("a watch event is not valid JSON (\(error))"))
            return false
        }
    }
}

/// Receives a watch response chunk by chunk from URLSession (https servers) and feeds it on.
final class WatchStreamDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let feed: WatchFeed
    private let translate: @Sendable (any Error) -> any Error
    // URLSession calls a delegate from its serial delegate queue; the lock makes that assumption
    // unnecessary.
    private let lock = NSLock()
    private var httpStatus = 0
    private var errorBody: [UInt8] = []

    init(continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation,
         translate: @escaping @Sendable (any Error) -> any Error) {
        self.feed = WatchFeed(continuation)
        self.translate = translate
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.withLock { httpStatus = (response as? HTTPURLResponse)?.statusCode ?? 0 }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let stop: Bool = lock.withLock {
            guard (200..<300).contains(httpStatus) else {
                errorBody.append(contentsOf: data)
                return feed.ended
            }
            return !feed.feed(data)
        }
        if stop { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.withLock {
            if let error {
                let translated = translate(error)
                feed.end(throwing: translated is CancellationError ? nil : translated)
            } else if !(200..<300).contains(httpStatus) {
                feed.end(throwing: StatusError.decode(body: errorBody, httpStatus: httpStatus))
            } else {
                feed.finish()
            }
        }
        session.finishTasksAndInvalidate()
    }
}
