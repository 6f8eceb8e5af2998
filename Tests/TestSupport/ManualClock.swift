import Client
import Foundation

/// A clock that moves only when the test says so; sleepers wake when it passes their deadline.
public final class ManualClock: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var sleepers: [(deadline: Date, continuation: CheckedContinuation<Void, Never>)] = []

    public init(now: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = now }

    public var now: Date { lock.withLock { current } }

    /// How many tasks are asleep on this clock (tests wait for a sleeper before advancing).
    public var sleeperCount: Int { lock.withLock { sleepers.count } }

    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return try Task.checkCancellation() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.withLock { sleepers.append((current.addingTimeInterval(seconds), continuation)) }
        }
        try Task.checkCancellation()
    }

    /// Moves time forward and wakes every sleeper whose deadline has passed.
    public func advance(by seconds: Double) {
        let due = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            current = current.addingTimeInterval(seconds)
            let due = sleepers.filter { $0.deadline <= current }.map(\.continuation)
            sleepers.removeAll { $0.deadline <= current }
            return due
        }
        due.forEach { $0.resume() }
    }

    /// Sets the time (forward only) and wakes the sleepers that are due.
    public func set(_ date: Date) {
        advance(by: max(0, date.timeIntervalSince(now)))
    }
}
