import CSupport
import Foundation

/// A fixed set of threads taking jobs from one condition-variable queue.
///
/// Handlers may block (on the database, say), so they run here rather than on libmicrohttpd's
/// epoll threads; starting a thread per request would cost far more than the hand-off.
final class WorkerPool: @unchecked Sendable {
    typealias Job = @Sendable () -> Void

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var isShutDown = false
    private var idleThreads = 0
    /// Threads signalled but not yet back from `wait`; they will take queued jobs, so more signals
    /// for the same jobs would only wake threads that find nothing to do.
    private var wakeupsInFlight = 0

    init(threads: Int, name: String) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in
                // Named at the OS level (shows in ps/perf); Foundation's `Thread.name` does not reliably
                // reach the OS thread on Linux.
                _ = drover_set_thread_name("\(name)-\(index)")
                self.runJobs()
            }
            thread.start()
        }
    }

    /// Queues a job; false once the pool has been shut down.
    @discardableResult
    func submit(_ job: @escaping Job) -> Bool {
        condition.lock()
        guard !isShutDown else {
            condition.unlock()
            return false
        }
        jobs.append(job)
        let wake = idleThreads > wakeupsInFlight && jobs.count - head > wakeupsInFlight
        if wake {
            wakeupsInFlight += 1
        }
        condition.unlock()
        // Signalling after unlocking spares the woken thread from blocking on the mutex we still held.
        if wake {
            condition.signal()
        }
        return true
    }

    /// Drops queued jobs and lets every thread exit once its current job (if any) returns.
    func shutDown() {
        condition.lock()
        isShutDown = true
        jobs.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }

    private func runJobs() {
        while let job = nextJob() {
            job()
        }
    }

    private func nextJob() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count && !isShutDown {
            idleThreads += 1
            condition.wait()
            idleThreads -= 1
            wakeupsInFlight = max(0, wakeupsInFlight - 1)
        }
        if isShutDown { return nil }
        let job = jobs[head]
        head += 1
        // Reclaim the consumed prefix now and then instead of shifting the array on every take.
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }
}
