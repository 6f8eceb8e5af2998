import CMicroHTTPD
import Foundation

/// One request on one MHD connection, from its request line until libmicrohttpd reports it completed.
///
/// The body-collecting fields belong to the MHD thread running the connection; the answer hand-off
/// between a worker and that thread goes through `lock`.
final class ConnectionState: @unchecked Sendable {
    /// What the access handler has done so far (MHD thread only).
    enum Phase {
        /// The first handler call (headers complete) has not happened yet.
        case awaitingHeaders
        /// Collecting the body.
        case readingBody
        /// The body passed the limit without a Content-Length; the rest is dropped.
        case discardingBody
        /// The request is with a worker; the connection waits suspended for the answer.
        case dispatched
        /// A response has been queued with libmicrohttpd.
        case answered
    }

    /// What the handler produced.
    enum Answer {
        case full(HTTPResponse)
        case stream(ChunkedStream)
    }

    let connection: OpaquePointer
    /// The request target exactly as received (path and query still encoded).
    let rawTarget: [UInt8]
    /// The TCP connection's entry with the connection limits (nil only if libmicrohttpd gave none).
    let tracked: TrackedConnection?

    // MHD thread only.
    var phase = Phase.awaitingHeaders
    var body: [UInt8] = []

    private let lock = NSLock()
    private var answer: Answer?
    private var isAnswerTaken = false
    private var isSuspended = false
    private var isCompleted = false

    init(connection: OpaquePointer, rawTarget: [UInt8], tracked: TrackedConnection?) {
        self.connection = connection
        self.rawTarget = rawTarget
        self.tracked = tracked
    }

    /// Stores the answer and resumes the connection if it waits for one. False when an answer was
    /// already given (the first one wins) or the request is over.
    func deliver(_ answer: Answer) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard self.answer == nil, !isCompleted else { return false }
        self.answer = answer
        // Resume under the lock: once `isSuspended` reads false, the resume has been requested,
        // which is what `HTTPServer.stop` relies on before stopping the daemon.
        if isSuspended {
            isSuspended = false
            MHD_resume_connection(connection)
        }
        return true
    }

    /// MHD thread: takes the answer if there is one; otherwise suspends the connection until
    /// `deliver` resumes it.
    func takeAnswerOrSuspend() -> Answer? {
        lock.lock()
        defer { lock.unlock() }
        if let answer {
            isAnswerTaken = true
            return answer
        }
        MHD_suspend_connection(connection)
        isSuspended = true
        return nil
    }

    /// MHD (notify-completed) thread: the request is over. Returns a stream answer that never
    /// reached libmicrohttpd, so the caller can finish it.
    func complete() -> ChunkedStream? {
        lock.lock()
        defer { lock.unlock() }
        isCompleted = true
        if case .stream(let stream) = answer, !isAnswerTaken {
            return stream
        }
        return nil
    }
}

/// The `HTTPResponder` handed to a handler for one request.
struct ConnectionResponder: HTTPResponder {
    let state: ConnectionState
    let core: ServerCore

    func respond(_ response: HTTPResponse) {
        _ = state.deliver(.full(response))
    }

    func stream(status: Int, headers: [(String, String)]) -> HTTPStream {
        let stream = ChunkedStream(connection: state.connection, registry: core, status: status, headers: headers)
        guard core.register(stream), state.deliver(.stream(stream)) else {
            // The request was already answered (a second call, or the server is stopping).
            stream.finish()
            return stream
        }
        return stream
    }
}
