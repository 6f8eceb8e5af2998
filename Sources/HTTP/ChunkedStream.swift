import CMicroHTTPD
import Foundation

/// A chunked response body fed by `write` from any thread and drained by libmicrohttpd's content
/// reader on an epoll thread.
///
/// The reader never blocks: with nothing queued it suspends the connection and returns 0, and the next
/// `write` (or `close`) resumes it. libmicrohttpd frees the response when the body has ended or the
/// client has gone; that is when the stream counts as finished and its `onClose` handlers run.
final class ChunkedStream: HTTPStream, @unchecked Sendable {
    private let lock = NSLock()
    /// The MHD connection; touched only to resume it while this stream holds it suspended.
    private let connection: OpaquePointer
    private weak var registry: ServerCore?
    let status: Int
    let headers: [(String, String)]
    private var queued: [UInt8] = []
    private var readOffset = 0
    /// No more writes accepted; the body ends once the queue has drained.
    private var isClosed = false
    /// The reader suspended the connection waiting for bytes.
    private var isSuspended = false
    /// The response is gone (or was never sent); handlers have run.
    private var isFinished = false
    private var closeHandlers: [@Sendable () -> Void] = []

    init(connection: OpaquePointer, registry: ServerCore, status: Int, headers: [(String, String)]) {
        self.connection = connection
        self.registry = registry
        self.status = status
        self.headers = headers
    }

    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else { return false }
        guard !bytes.isEmpty else { return true }
        queued.append(contentsOf: bytes)
        resumeIfSuspended()
        return true
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else { return }
        isClosed = true
        resumeIfSuspended()
    }

    var pendingBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return queued.count - readOffset
    }

    var isOpen: Bool {
        lock.lock()
        defer { lock.unlock() }
        return !isClosed
    }

    func onClose(_ handler: @escaping @Sendable () -> Void) {
        lock.lock()
        guard isFinished else {
            closeHandlers.append(handler)
            lock.unlock()
            return
        }
        lock.unlock()
        handler()
    }

    /// Content reader: copies queued bytes into `buffer`, ends the body once closed and drained, or
    /// suspends the connection and returns 0 to wait for the next write.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        let available = queued.count - readOffset
        if available > 0 {
            let count = min(available, capacity)
            queued.withUnsafeBytes { source in
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + readOffset, byteCount: count)
            }
            readOffset += count
            if readOffset == queued.count {
                queued.removeAll(keepingCapacity: queued.capacity <= 65536)
                readOffset = 0
            } else if readOffset >= 1 << 20 {
                // A writer keeping the queue topped up (a streamed list) never lets it drain: drop
                // what was read, or the queue would keep the whole body.
                queued.removeSubrange(0..<readOffset)
                readOffset = 0
            }
            return count
        }
        if isClosed {
            return MHD_CONTENT_READER_END_OF_STREAM
        }
        // The connection cannot be freed while suspended, so holding the raw pointer is safe until
        // `resumeIfSuspended` hands it back to libmicrohttpd.
        MHD_suspend_connection(connection)
        isSuspended = true
        return 0
    }

    /// Marks the stream ended and runs the `onClose` handlers, exactly once. Called when libmicrohttpd
    /// frees the response, or directly when the response was never handed to it.
    func finish() {
        lock.lock()
        guard !isFinished else {
            lock.unlock()
            return
        }
        isFinished = true
        isClosed = true
        queued = []
        let handlers = closeHandlers
        closeHandlers = []
        lock.unlock()
        registry?.unregister(self)
        for handler in handlers {
            handler()
        }
    }

    /// Called with `lock` held, so a concurrent `read` cannot suspend in between.
    private func resumeIfSuspended() {
        if isSuspended {
            isSuspended = false
            MHD_resume_connection(connection)
        }
    }
}
