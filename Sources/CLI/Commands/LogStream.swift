import Client
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Model

/// Streams a followed log to the terminal as it arrives (the client's `raw` waits for the whole
/// body, and a followed log only ends with its container).
enum LogStream {
    static func follow(_ request: RawRequest, server: String, token: String?, out: @escaping @Sendable (String) -> Void) async throws {
        guard let url = URL(string: server + request.pathWithQuery) else {
            throw ClientError.invalidRequest("\"\(request.path)\" does not make a valid URL with \(server)")
        }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 24 * 3600)
        if let token, !token.isEmpty { urlRequest.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let delegate = Delegate(server: server, out: out, continuation: continuation)
            let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
            session.dataTask(with: urlRequest).resume()
        }
    }

    /// Writes 2xx chunks out as they come; collects an error answer into a `StatusError`.
    private final class Delegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        let server: String
        let out: @Sendable (String) -> Void
        let continuation: CheckedContinuation<Void, any Error>
        let lock = NSLock()
        var status = 0
        var errorBody: [UInt8] = []

        init(server: String, out: @escaping @Sendable (String) -> Void, continuation: CheckedContinuation<Void, any Error>) {
            self.server = server
            self.out = out
            self.continuation = continuation
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            lock.withLock { status = (response as? HTTPURLResponse)?.statusCode ?? 0 }
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            let success = lock.withLock { () -> Bool in
                if (200..<300).contains(status) { return true }
                errorBody.append(contentsOf: data)
                return false
            }
            if success { out(String(decoding: data, as: UTF8.self)) }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            let (code, body) = lock.withLock { (status, errorBody) }
            if let error {
                continuation.resume(throwing: ClientError.connectionFailed(server: server, reason: error.localizedDescription))
            } else if !(200..<300).contains(code) {
                continuation.resume(throwing: StatusError.decode(body: body, httpStatus: code))
            } else {
                continuation.resume()
            }
            session.finishTasksAndInvalidate()
        }
    }
}
