import Foundation

/// How many activations passed unmet, in upstream's rough count (`missedSchedulesType`).
public enum MissedSchedules: Sendable, Equatable {
    case none
    case few
    /// More than 100: upstream warns (`TooManyMissedTimes`) but still starts the most recent one.
    case many
}

/// The answer of `CronSchedule.mostRecent(since:now:in:)`.
public struct ScheduleLookup: Sendable, Equatable {
    /// Where the search started (last schedule time, creation time, or the deadline's edge).
    public var earliest: Date
    /// The latest activation in (earliest, now], or nil.
    public var mostRecent: Date?
    public var missed: MissedSchedules
}

extension CronSchedule {
    /// The latest activation after `earliest` and not after `now`, as the upstream CronJob
    /// controller's `mostRecentScheduleTime` computes it: the gap between the first two activations
    /// estimates how many were missed (so a decade of downtime costs a few steps, not millions), and
    /// the search for the latest one starts just before the estimate.
    ///
    /// Throws upstream's error for a schedule that parses but (almost) never fires, such as
    /// `59 23 31 2 *`: "time difference between two schedules is less than 1 second".
    public func mostRecent(since earliest: Date, now: Date, in timeZone: TimeZone) throws(CronParseError) -> ScheduleLookup {
        let never = CronParseError("time difference between two schedules is less than 1 second")
        guard let t1 = next(after: earliest, in: timeZone) else { throw never }
        if now < t1 { return ScheduleLookup(earliest: earliest, mostRecent: nil, missed: .none) }
        guard let t2 = next(after: t1, in: timeZone) else { throw never }
        if now < t2 { return ScheduleLookup(earliest: earliest, mostRecent: t1, missed: .none) }

        let between = Int64(t2.timeIntervalSince(t1).rounded())
        if between < 1 { throw never }
        // Go truncates the elapsed seconds toward zero.
        let elapsed = Int64(now.timeIntervalSince(t1))
        let missedCount = elapsed / between + 1
        // One step further back than the estimate, so uneven schedules (`30 6-16/4 * * 1-5`) land right.
        var t = t1.addingTimeInterval(Double((missedCount - 2) * between))
        var latest: Date?
        while let candidate = next(after: t, in: timeZone), candidate <= now {
            latest = candidate
            t = candidate
        }
        return ScheduleLookup(earliest: earliest, mostRecent: latest, missed: missedCount > 100 ? .many : .few)
    }

    /// Seconds from `now` until the controller should look again (upstream's
    /// `nextScheduleTimeDuration`): the activation after the most recent one (or after `earliest`
    /// when none passed), plus 100 ms so a slightly early wake-up still finds the slot due.
    /// nil when the schedule never fires again.
    public func secondsUntilNextCheck(since earliest: Date, now: Date, in timeZone: TimeZone) -> Double? {
        let from: Date
        if let lookup = try? mostRecent(since: earliest, now: now, in: timeZone) {
            from = lookup.mostRecent ?? (lookup.missed == .none ? lookup.earliest : now)
        } else {
            from = now
        }
        guard let next = next(after: from, in: timeZone) else { return nil }
        return next.timeIntervalSince(now) + 0.1
    }
}
