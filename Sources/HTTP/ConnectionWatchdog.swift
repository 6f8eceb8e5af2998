import Foundation

/// A thread that calls `ConnectionTracker.expire` every `checkInterval` until stopped. One per server;
/// it sleeps on a condition so `stop` returns at once.
final class ConnectionWatchdog: @unchecked Sendable {
    private let tracker: ConnectionTracker
    private let condition = NSCondition()
    private var isStopped = false
    private var isFinished = false

    init(tracker: ConnectionTracker) {
        self.tracker = tracker
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "http-deadlines"
        thread.start()
    }

    /// Stops the thread and waits until it has left its loop, so no shutdown happens afterwards.
    func stop() {
        condition.lock()
        isStopped = true
        condition.broadcast()
        while !isFinished {
            condition.wait()
        }
        condition.unlock()
    }

    private func run() {
        let interval = tracker.checkInterval
        condition.lock()
        while !isStopped {
            _ = condition.wait(until: Date(timeIntervalSinceNow: interval))
            guard !isStopped else { break }
            condition.unlock()
            tracker.expire()
            condition.lock()
        }
        isFinished = true
        condition.broadcast()
        condition.unlock()
    }
}
