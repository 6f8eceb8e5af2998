import Client
import Foundation

/// A clock that moves only when the test says so; sleepers wake when it passes their deadline.
final class ManualClock: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)
    private var sleepers: [(deadline: Date, continuation: CheckedContinuation<Void, Never>)] = []

    var now: Date { lock.withLock { current } }

    func sleep(seconds: Double) async throws {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.withLock { sleepers.append((current.addingTimeInterval(seconds), continuation)) }
        }
        try Task.checkCancellation()
    }

    /// Moves time forward and wakes every sleeper whose deadline has passed.
    func advance(by seconds: Double) {
        let due = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            current = current.addingTimeInterval(seconds)
            let due = sleepers.filter { $0.deadline <= current }.map(\.continuation)
            sleepers.removeAll { $0.deadline <= current }
            return due
        }
        due.forEach { $0.resume() }
    }
}

