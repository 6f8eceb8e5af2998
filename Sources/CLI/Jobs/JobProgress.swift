import Foundation
import Model

/// Where a watched Job stands, and how `drover watch` words it (pure: tested as tables).
struct JobProgress: Sendable, Equatable {
    /// How the Job ended, once it has.
    enum Outcome: Sendable, Equatable {
        case complete
        /// The Failed condition's reason and message (`BackoffLimitExceeded`, …).
        case failed(reason: String, message: String)
    }

    var name: String
    /// `spec.completions`; nil for a work-queue Job (done when any pod succeeds).
    var completions: Int?
    var parallelism: Int
    /// `spec.backoffLimit` (default 6).
    var backoffLimit: Int
    var succeeded: Int
    var failed: Int
    var active: Int
    var ready: Int
    var startTime: Date?
    var completionTime: Date?
    var suspended: Bool
    /// The message of a `PodsUnschedulable=True` condition: the scheduler's reason.
    var pendingReason: String?
    /// What a Job held by `drover.dev/depends-on` waits for (its DependenciesSatisfied=False message).
    var waitingFor: String?
    var outcome: Outcome?

    init(_ job: JobView) {
        let status = job.status
        name = job.name
        completions = job.completions
        parallelism = job.parallelism
        backoffLimit = job.backoffLimit
        succeeded = status.succeeded
        failed = status.failed
        active = status.active
        ready = status.ready ?? 0
        startTime = status.startTime
        completionTime = status.completionTime
        suspended = job.condition(JobCondition.suspended)?.isTrue ?? false
        pendingReason = job.condition("PodsUnschedulable").flatMap { $0.isTrue ? $0.message : nil }
        waitingFor = job.condition(JobDependencies.condition).flatMap {
            $0.reason == JobDependencies.waitingReason && job.suspend ? $0.message : nil
        }
        if job.condition(JobCondition.complete)?.isTrue == true {
            outcome = .complete
        } else if let failed = job.condition(JobCondition.failed), failed.isTrue {
            outcome = .failed(reason: failed.reason, message: failed.message)
        }
    }

    /// Job-level changes worth a line of their own: a failure and the back-off before the
    /// replacement (the controller's 10 s doubling to 6 min), suspension and resumption.
    func changes(from old: JobProgress) -> [String] {
        var lines: [String] = []
        if failed > old.failed && outcome == nil {
            let delay = min(10 * (1 << min(failed - 1, 10)), 360)
            lines.append("job/\(name): \(failed) failed (backoff limit \(backoffLimit)); a replacement starts after a back-off of ~\(Self.duration(Double(delay)))")
        }
        if suspended != old.suspended { lines.append("job/\(name) \(suspended ? "suspended" : "resumed")") }
        return lines
    }

    /// The denominator of the bar: completions, or the parallelism of a work-queue Job.
    var total: Int { max(completions ?? parallelism, 1) }

    /// Seconds since the Job started (to its completion once finished).
    func elapsed(now: Date) -> TimeInterval? {
        guard let startTime else { return nil }
        return max(0, (completionTime ?? now).timeIntervalSince(startTime))
    }

    /// Time left at the rate succeeded pods have come so far; nil until one has.
    func remaining(now: Date) -> TimeInterval? {
        guard outcome == nil, let completions, succeeded > 0, succeeded < completions,
              let elapsed = elapsed(now: now), elapsed > 0 else { return nil }
        return elapsed / Double(succeeded) * Double(completions - succeeded)
    }

    /// `[██████▒▒░░░░░░]` — succeeded solid, failed shaded, active light, the rest blank.
    func bar(width: Int = 24) -> String {
        let cells = { (count: Int) in Int((Double(min(count, total)) / Double(total) * Double(width)).rounded()) }
        let done = min(cells(succeeded), width)
        let bad = min(cells(failed), width - done)
        let running = min(cells(active), width - done - bad)
        return "[" + String(repeating: "█", count: done) + String(repeating: "▓", count: bad)
            + String(repeating: "▒", count: running) + String(repeating: "·", count: width - done - bad - running) + "]"
    }

    /// The live status line: bar, counts, elapsed and estimate; ASCII-only counts for plain output.
    func statusLine(now: Date, withBar: Bool) -> String {
        var parts = ["\(succeeded)/\(completions.map(String.init) ?? "?") succeeded"]
        if failed > 0 { parts.append("\(failed) failed") }
        parts.append("\(active) active")
        if let elapsed = elapsed(now: now) { parts.append("elapsed \(Self.duration(elapsed))") }
        if let left = remaining(now: now) { parts.append("~\(Self.duration(left)) left") }
        if let waitingFor { parts.append(waitingFor) } else if suspended { parts.append("suspended") }
        if let pendingReason, active > 0 { parts.append("pending: \(pendingReason)") }
        let counts = parts.joined(separator: ", ")
        return withBar ? "job/\(name) \(bar()) \(counts)" : "job/\(name): \(counts)"
    }

    /// The last line `watch` and `submit --wait` print.
    func finalLine(now: Date) -> String {
        let took = elapsed(now: now).map { " in \(Self.duration($0))" } ?? ""
        switch outcome {
        case .complete?:
            return "job/\(name) complete: \(succeeded)/\(completions.map(String.init) ?? "\(succeeded)") succeeded\(took)"
        case .failed(let reason, let message)?:
            let why = [reason, message].filter { !$0.isEmpty }.joined(separator: ": ")
            return "job/\(name) failed\(why.isEmpty ? "" : ": \(why)") (\(succeeded) succeeded, \(failed) failed\(took))"
        case nil:
            return "job/\(name): \(statusLine(now: now, withBar: false).drop { $0 != " " }.dropFirst())"
        }
    }

    /// `45s`, `3m12s`, `2h05m`: short, like kubectl's durations.
    static func duration(_ seconds: TimeInterval) -> String {
        let total = Int(seconds.rounded(.down))
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total / 3600)h\(String(format: "%02d", (total % 3600) / 60))m"
    }
}
