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
            let request = RawRequest(method: "GET", path: ResourcePath.collection(resource, namespace: namespace), query: query)
            // The idle timeout must outlast the server's own end of the stream.
            let idle = options.timeoutSeconds.map { TimeInterval($0) + 30 } ?? Self.unboundedWatchIdleTimeout
            do {
                let urlRequest = try makeURLRequest(request, timeout: idle)
                let delegate = WatchStreamDelegate(continuation: continuation, translate: { [self] in translate($0) })
                let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
                let task = session.dataTask(with: urlRequest)
                continuation.onTermination = { _ in
                    task.cancel()
                    session.invalidateAndCancel()
                }
                task.resume()
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }
}

/// Receives a watch response chunk by chunk and feeds decoded events into a stream.
final class WatchStreamDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation
    private let translate: @Sendable (any Error) -> any Error
    // URLSession calls a delegate from its serial delegate queue; the lock makes that assumption
    // unnecessary.
    private let lock = NSLock()
    private var splitter = LineSplitter()
    private var httpStatus = 0
    private var errorBody: [UInt8] = []
    private var ended = false

    init(continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation,
         translate: @escaping @Sendable (any Error) -> any Error) {
        self.continuation = continuation
        self.translate = translate
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.withLock { httpStatus = (response as? HTTPURLResponse)?.statusCode ?? 0 }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let stop: Bool = lock.withLock {
            guard !ended else { return true }
            guard (200..<300).contains(httpStatus) else {
                errorBody.append(contentsOf: data)
                return false
            }
            for line in splitter.append(data) where !deliver(line) { return true }
            return false
        }
        if stop { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.withLock {
            guard !ended else { return }
            if let error {
                let translated = translate(error)
                end(throwing: translated is CancellationError ? nil : translated)
            } else if !(200..<300).contains(httpStatus) {
                end(throwing: StatusError.decode(body: errorBody, httpStatus: httpStatus))
            } else {
                if let line = splitter.finish(), !deliver(line) { return }
                end(throwing: nil)
            }
        }
        session.finishTasksAndInvalidate()
    }

    /// Yields one event; returns false when the stream has ended (bad line or ERROR event).
    /// Called with the lock held.
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

    /// Called with the lock held.
    private func end(throwing error: (any Error)?) {
        ended = true
        continuation.finish(throwing: error)
    }
}
