import Client
import Foundation
import Metrics

/// A queue of object keys (`namespace/name`) feeding a controller's workers (client-go's rate-limited
/// delaying work queue).
///
/// - A key waiting in the queue is there once, however often it is added: several events for one
///   object collapse into one sync that reads the newest state.
/// - A key is handed to one worker at a time: added again while it is being processed, it is queued
///   once more when the worker calls `done`, never given to a second worker meanwhile.
/// - `addAfter` holds a key until a deadline on the injected clock (the earliest deadline wins);
///   `addRateLimited` does that with the key's exponential retry delay, `forget` resets it.
public final class WorkQueue: @unchecked Sendable {
    /// The queue's name, for logs and metrics.
    public let name: String
    private let clock: any TimeSource
    private let backoff: RetryBackoff

    private let lock = NSLock()
    private var queue: [String] = []
    private var head = 0
    private var dirty: Set<String> = []
    private var processing: Set<String> = []
    private var waiters: [CheckedContinuation<String?, Never>] = []
    private var failureCounts: [String: Int] = [:]
    private var delayed = DelayedKeys()
    private var timer: Task<Void, Never>?
    private var timerDeadline: Date?
    private var shuttingDown = false
    /// Monotonic times (seconds) a waiting key was added and a processed key was handed out, for
    /// the queue and work durations.
    private var addedAt: [String: Double] = [:]
    private var startedAt: [String: Double] = [:]

    public init(name: String, clock: any TimeSource = SystemTimeSource(), backoff: RetryBackoff = RetryBackoff()) {
        self.name = name
        self.clock = clock
        self.backoff = backoff
        WorkQueueMetrics.depth.observe { [weak self] in self.map { [([$0.name], Double($0.count))] } }
    }

    deinit { timer?.cancel() }

    /// Queues `key` unless it is already waiting.
    public func add(_ key: String) {
        let waiter = lock.withLock { () -> CheckedContinuation<String?, Never>? in
            guard !shuttingDown, !dirty.contains(key) else { return nil }
            dirty.insert(key)
            WorkQueueMetrics.adds.inc(name)
            addedAt[key] = ProcessInfo.processInfo.systemUptime
            guard !processing.contains(key) else { return nil }  // queued again by done()
            return enqueueLocked(key)
        }
        waiter?.resume(returning: key)
    }

    /// Queues `key` once `seconds` have passed on the clock (at once when `seconds <= 0`). A key
    /// already held for an earlier deadline keeps it.
    public func addAfter(_ key: String, seconds: Double) {
        guard seconds > 0 else { return add(key) }
        lock.withLock {
            guard !shuttingDown else { return }
            let deadline = clock.now.addingTimeInterval(seconds)
            delayed.insert(key, at: deadline)
            armTimerLocked()
        }
    }

    /// Counts a failure of `key` and queues it after its retry delay.
    public func addRateLimited(_ key: String) {
        let failures = lock.withLock { () -> Int in
            failureCounts[key, default: 0] += 1
            return failureCounts[key]!
        }
        WorkQueueMetrics.retries.inc(name)
        addAfter(key, seconds: backoff.delay(afterFailures: failures))
    }

    /// Forgets the failures of `key` (after a successful sync).
    public func forget(_ key: String) {
        _ = lock.withLock { failureCounts.removeValue(forKey: key) }
    }

    /// How many failures of `key` are counted.
    public func failures(_ key: String) -> Int { lock.withLock { failureCounts[key] ?? 0 } }

    /// The next key to process, waiting until there is one; nil once the queue is shut down. The
    /// caller must call `done(key)` when finished with it.
    public func next() async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let key = lock.withLock { () -> String?? in
                if let key = dequeueLocked() { return .some(key) }
                if shuttingDown { return .some(nil) }
                waiters.append(continuation)
                return .none
            }
            if let key { continuation.resume(returning: key) }
        }
    }

    /// Marks `key` processed; if it was added meanwhile it is queued again.
    public func done(_ key: String) {
        let waiter = lock.withLock { () -> CheckedContinuation<String?, Never>? in
            processing.remove(key)
            if let started = startedAt.removeValue(forKey: key) {
                WorkQueueMetrics.work.observe(ProcessInfo.processInfo.systemUptime - started, name)
            }
            guard dirty.contains(key), !shuttingDown else { return nil }
            return enqueueLocked(key)
        }
        waiter?.resume(returning: key)
    }

    /// Stops handing out keys: waiting workers get nil, held keys are dropped.
    public func shutDown() {
        let (idle, running) = lock.withLock { () -> ([CheckedContinuation<String?, Never>], Task<Void, Never>?) in
            shuttingDown = true
            defer { waiters = []; timer = nil }
            return (waiters, timer)
        }
        running?.cancel()
        idle.forEach { $0.resume(returning: nil) }
    }

    /// Keys waiting to be handed out (not counting held or in-process ones).
    public var count: Int { lock.withLock { queue.count - head } }

    /// Keys held by `addAfter` until their deadline.
    public var heldCount: Int { lock.withLock { delayed.count } }

    // MARK: Internals (call with the lock held)

    /// Appends `key` to the queue, or hands it straight to a waiting worker (returned).
    private func enqueueLocked(_ key: String) -> CheckedContinuation<String?, Never>? {
        if !waiters.isEmpty {
            dirty.remove(key)
            processing.insert(key)
            started(key)
            return waiters.removeFirst()
        }
        queue.append(key)
        return nil
    }

    private func dequeueLocked() -> String? {
        guard head < queue.count else { return nil }
        let key = queue[head]
        head += 1
        if head > 1024, head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        dirty.remove(key)
        processing.insert(key)
        started(key)
        return key
    }

    /// A key handed to a worker: its time in the queue is over, its work begins.
    private func started(_ key: String) {
        let now = ProcessInfo.processInfo.systemUptime
        if let added = addedAt.removeValue(forKey: key) { WorkQueueMetrics.queueDuration.observe(now - added, name) }
        startedAt[key] = now
    }

    /// Makes sure a timer task sleeps until the earliest held deadline.
    private func armTimerLocked() {
        guard let earliest = delayed.earliest else { return }
        if let timerDeadline, timer != nil, timerDeadline <= earliest { return }
        timer?.cancel()
        timerDeadline = earliest
        // The wait is measured inside the task: a clock that moved before it ran is not waited for twice.
        timer = Task { [weak self, clock] in
            let wait = earliest.timeIntervalSince(clock.now)
            if wait > 0 {
                do { try await clock.sleep(seconds: wait) } catch { return }
            }
            guard !Task.isCancelled else { return }
            self?.releaseDueKeys()
        }
    }

    private func releaseDueKeys() {
        let due = lock.withLock { () -> [String] in
            timer = nil
            timerDeadline = nil
            guard !shuttingDown else { return [] }
            let due = delayed.removeDue(at: clock.now)
            armTimerLocked()
            return due
        }
        due.forEach(add)
    }
}

/// client-go's work-queue metrics, by queue name.
enum WorkQueueMetrics {
    static let depth = MetricsRegistry.shared.gauge("workqueue_depth", "Current depth of workqueue", labels: ["name"])
    static let adds = MetricsRegistry.shared.counter("workqueue_adds_total", "Total number of adds handled by workqueue", labels: ["name"])
    static let retries = MetricsRegistry.shared.counter("workqueue_retries_total", "Total number of retries handled by workqueue",
                                                        labels: ["name"])
    static let queueDuration = MetricsRegistry.shared.histogram(
        "workqueue_queue_duration_seconds", "How long in seconds an item stays in workqueue before being requested.",
        labels: ["name"], buckets: Histogram.workQueueBuckets)
    static let work = MetricsRegistry.shared.histogram(
        "workqueue_work_duration_seconds", "How long in seconds processing an item from workqueue takes.",
        labels: ["name"], buckets: Histogram.workQueueBuckets)
}

/// Per-key retry delays: `base` seconds doubling with each failure up to `maximum` (client-go's
/// item exponential failure rate limiter: 5 ms … 1000 s by default; controllers here cap lower).
public struct RetryBackoff: Sendable, Equatable {
    public var base: Double
    public var maximum: Double

    public init(base: Double = 0.005, maximum: Double = 300) {
        self.base = base
        self.maximum = maximum
    }

    /// The delay after `failures` failures (1 = the first retry waits `base`).
    public func delay(afterFailures failures: Int) -> Double {
        guard failures > 0 else { return 0 }
        return min(maximum, base * pow(2, Double(min(failures - 1, 60))))
    }
}
