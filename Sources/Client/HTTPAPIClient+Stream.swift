import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Model

extension HTTPAPIClient {
    /// Streams a response body chunk by chunk (a followed log only ends with its container, so
    /// `raw`, which waits for the whole body, cannot serve it). Over URLSession for http and https:
    /// a long-lived stream should not hold one of the keep-alive transport's connections.
    public func stream(_ request: RawRequest) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            if let custom {
                stream(request, over: custom, continuation: continuation)
                return
            }
            let delegate = ByteStreamDelegate(continuation: continuation, translate: { [self] in translate($0) })
            startSession(request, timeout: Self.unboundedWatchIdleTimeout, delegate: delegate, continuation: continuation)
        }
    }

    /// Starts `request` on a session of its own that feeds `delegate`; ending the stream cancels it.
    func startSession<Element>(_ request: RawRequest, timeout: TimeInterval, delegate: any URLSessionDataDelegate,
                               continuation: AsyncThrowingStream<Element, any Error>.Continuation) {
        do {
            let urlRequest = try makeURLRequest(request, timeout: timeout)
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

/// Passes a 2xx body on as it arrives; collects any other answer into a `StatusError`.
final class ByteStreamDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation
    private let translate: @Sendable (any Error) -> any Error
    private let lock = NSLock()
    private var httpStatus = 0
    private var errorBody: [UInt8] = []

    init(continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation,
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
        let success = lock.withLock { () -> Bool in
            if (200..<300).contains(httpStatus) { return true }
            errorBody.append(contentsOf: data)
            return false
        }
        if success { continuation.yield([UInt8](data)) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (status, body) = lock.withLock { (httpStatus, errorBody) }
        if let error {
            continuation.finish(throwing: translate(error))
        } else if !(200..<300).contains(status) {
            continuation.finish(throwing: StatusError.decode(body: body, httpStatus: status))
        } else {
            continuation.finish()
        }
        session.finishTasksAndInvalidate()
    }
}
