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
    /// The request target exactly as received (path and query still encoded); see
    /// `recoverTargetCutAtNUL` for one that held a NUL byte.
    private(set) var rawTarget: [UInt8]
    /// The address just past the C string libmicrohttpd gave as the target (its terminating NUL + 1).
    private let rawTargetEnd: UInt
    /// The TCP connection's entry with the connection limits (nil only if libmicrohttpd gave none).
    let tracked: TrackedConnection?

    // MHD thread only.
    var phase = Phase.awaitingHeaders
    var body: [UInt8] = []
    /// The handler's admission seat, given back when the request completes (`requestCompleted`).
    var release: (@Sendable () -> Void)?

    private let lock = NSLock()
    private var answer: Answer?
    private var isAnswerTaken = false
    private var isSuspended = false
    private var isCompleted = false

    /// `target` is the C string libmicrohttpd's URI log callback received.
    init(connection: OpaquePointer, target: UnsafePointer<CChar>?, tracked: TrackedConnection?) {
        self.connection = connection
        let length = target.map { strlen($0) } ?? 0
        self.rawTarget = target.map { Array(UnsafeRawBufferPointer(start: $0, count: length)) } ?? []
        self.rawTargetEnd = target.map { UInt(bitPattern: $0) + UInt(length) + 1 } ?? 0
        self.tracked = tracked
    }

    /// MHD thread, first access call: restores a target that held a raw NUL byte, so the handler sees
    /// the NUL (and refuses it) instead of the C string before it (`/index.html` for
    /// `/index.html\0.js`).
    ///
    /// libmicrohttpd 0.9.75 parses the request line in place in its read buffer: the target runs up
    /// to the space before the HTTP version, which it overwrites with the NUL that ends the target's C
    /// string, and `version` points just past that space. So when the version does not start right
    /// after the target's C string, the target held a NUL, and the bytes between are the rest of it
    /// (libmicrohttpd may have cut its query at a `?` meanwhile, which changes nothing for a refusal).
    /// A version outside the request line's reach (not in that buffer) is left alone.
    func recoverTargetCutAtNUL(version: UnsafePointer<CChar>?) {
        guard rawTargetEnd != 0, let version else { return }
        let versionStart = UInt(bitPattern: version)
        guard versionStart > rawTargetEnd, versionStart - rawTargetEnd <= Self.maxRequestLineBytes,
              let rest = UnsafeRawPointer(bitPattern: rawTargetEnd) else { return }
        // The space before the version is not part of the target.
        let restLength = Int(versionStart - rawTargetEnd) - 1
        rawTarget.append(0)
        rawTarget.append(contentsOf: UnsafeRawBufferPointer(start: rest, count: restLength))
    }

    /// libmicrohttpd's whole read buffer per connection (its default memory limit) bounds a request line.
    private static let maxRequestLineBytes: UInt = 32 * 1024

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
