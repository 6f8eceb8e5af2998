import Client
import Foundation

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

    public init(name: String, clock: any TimeSource = SystemTimeSource(), backoff: RetryBackoff = RetryBackoff()) {
        self.name = name
        self.clock = clock
        self.backoff = backoff
    }

    deinit { timer?.cancel() }

    /// Queues `key` unless it is already waiting.
    public func add(_ key: String) {
        let waiter = lock.withLock { () -> CheckedContinuation<String?, Never>? in
            guard !shuttingDown, !dirty.contains(key) else { return nil }
            dirty.insert(key)
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
        return key
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
