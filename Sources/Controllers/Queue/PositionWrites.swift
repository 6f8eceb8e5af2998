import Foundation
import Queueing

/// Paces the writes that only move a pending Workload's position ("position 3 of 12" becoming
/// "position 2 of 13"): each is written at most every `interval` seconds per Workload; a change of
/// anything else in the message (the reason it waits, the shortfall) is written at once. Every
/// arrival and admission moves every detailed position of its queue, and each move was a
/// Workload status write plus its Job's: 3,000 Jobs through 30 queues cost 22,075 Workload and
/// 33,782 Job status writes (bench/queues), most of them position updates.
final class PositionWrites: @unchecked Sendable {
    static let interval = 5.0
    private let lock = NSLock()
    private var lastWrite: [String: Date] = [:]

    /// Whether `message` may replace `current` for `key` now; nil `current` (no pending message
    /// yet) always may.
    func mayWrite(_ key: String, current: String?, message: String, now: Date) -> Bool {
        guard let current, current != message, Self.withoutPositions(current) == Self.withoutPositions(message) else { return true }
        return lock.withLock { lastWrite[key].map { now.timeIntervalSince($0) >= Self.interval } ?? true }
    }

    /// Records a write of `key`'s pending message.
    func wrote(_ key: String, at now: Date) {
        lock.withLock { lastWrite[key] = now }
    }

    /// Forgets Workloads that are no longer pending.
    func keep(only pending: Set<String>) {
        lock.withLock { lastWrite = lastWrite.filter { pending.contains($0.key) } }
    }

    /// `message` with every "position N of M" as "position ", so two messages that differ only
    /// in where the Workload stands compare equal.
    static func withoutPositions(_ message: String) -> String {
        var out = ""
        var rest = Substring(message)
        while let range = rest.range(of: "position ") {
            out += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let digits = rest.prefix { $0.isNumber }
            guard !digits.isEmpty else { continue }
            var after = rest.dropFirst(digits.count)
            if after.hasPrefix(" of ") {
                let total = after.dropFirst(4).prefix { $0.isNumber }
                if !total.isEmpty { after = after.dropFirst(4 + total.count) }
            }
            rest = after
        }
        return out + rest
    }
}
