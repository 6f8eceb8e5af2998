import CSupport
import Dispatch
import Glibc

/// Calls a handler once when a process ends, without a thread per process: a pidfd (readable once
/// the process has exited, zombie or reaped) watched by a DispatchSource. Works for any process the
/// agent may signal, not only its children, which is what re-adoption needs.
final class PidWatcher: @unchecked Sendable {
    private let source: DispatchSourceRead

    /// nil when the process is already gone (or pidfds are unsupported: Linux < 5.3).
    init?(pid: Int32, queue: DispatchQueue, onEnd: @escaping @Sendable () -> Void) {
        let fd = drover_pidfd_open(pid)   // always close-on-exec
        guard fd >= 0 else { return nil }
        source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [source] in
            // Level-triggered: cancel first so the handler runs once.
            source.cancel()
            onEnd()
        }
        source.setCancelHandler { close(fd) }
        source.resume()
    }

    /// Stops watching (the handler will not run unless it already started).
    func cancel() { source.cancel() }
}
