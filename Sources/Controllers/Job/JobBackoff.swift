import Foundation
import Model

/// The delay before the Job controller recreates failed pods: 10 s after the first failure,
/// doubling per further failure, capped at 6 minutes (the documented cap), counted from the last
/// failure's finish time.
public enum JobBackoff {
    /// Delay after one failure, in seconds.
    public static let initialDelay = 10.0
    /// The cap, in seconds.
    public static let maxDelay = 360.0

    /// The back-off for `failures` consecutive failures (0 → no delay).
    public static func delay(failures: Int) -> Double {
        guard failures > 0 else { return 0 }
        var delay = initialDelay
        for _ in 1..<failures {
            delay *= 2
            if delay >= maxDelay { return maxDelay }
        }
        return min(delay, maxDelay)
    }

    /// Seconds still to wait at `now` (0 when the back-off has passed or there is no failure).
    public static func remaining(failures: Int, lastFailure: Date?, now: Date) -> Double {
        guard failures > 0, let lastFailure else { return 0 }
        let wait = delay(failures: failures) - now.timeIntervalSince(lastFailure)
        return wait > 0 ? wait : 0
    }

    /// Upstream's failuresAfterLastSuccess, derived from the pods at hand rather than kept in
    /// memory: failed pods that finished after the last succeeded pod finished, and the newest
    /// failure time among them. A success resets the count.
    public static func recentFailures(failed: [PodView], succeeded: [PodView]) -> (count: Int, last: Date?) {
        let lastSuccess = succeeded.map(finishTime).max()
        let recent = failed.map(finishTime).filter { lastSuccess == nil || $0 > lastSuccess! }
        return (recent.count, recent.max())
    }

    /// When a pod finished, as upstream estimates it: the latest container finish time if every
    /// container finished; else the `Ready=False` transition; else the deletion time minus the grace
    /// period; else the creation time.
    public static func finishTime(_ pod: PodView) -> Date {
        let statuses = pod.containerStatuses
        if !statuses.isEmpty {
            let times = statuses.map(\.finishedAt)
            if times.allSatisfy({ $0 != nil }) { return times.compactMap { $0 }.max()! }
        }
        if let ready = pod.condition("Ready"), ready.status == "False", let at = ready.lastTransitionTime {
            return at
        }
        if let deletion = pod.deletionTimestamp {
            return deletion.addingTimeInterval(-Double(pod.metadata.deletionGracePeriodSeconds ?? 0))
        }
        return pod.creationTimestamp ?? Date(timeIntervalSince1970: 0)
    }
}
