import Foundation

/// The kubelet's crash-loop back-off: the first restart is immediate, then 10 s doubling up to
/// 5 min; an instance that ran for 10 min without failing resets the schedule.
public struct RestartBackOff: Sendable, Equatable {
    public var initialDelay: TimeInterval = 10
    public var maximumDelay: TimeInterval = 300
    public var resetAfter: TimeInterval = 600
    /// Restarts since the schedule was last reset.
    public private(set) var restarts = 0

    public init() {}

    /// The wait before the next restart of an instance that ran from `startedAt` to `finishedAt`,
    /// counting that restart.
    public mutating func nextDelay(startedAt: Date?, finishedAt: Date) -> TimeInterval {
        if let startedAt, finishedAt.timeIntervalSince(startedAt) >= resetAfter { restarts = 0 }
        defer { restarts += 1 }
        guard restarts > 0 else { return 0 }
        let doublings = min(restarts - 1, 16)
        return min(maximumDelay, initialDelay * pow(2, Double(doublings)))
    }
}
