import Foundation

extension CronSchedule {
    /// The first activation strictly after `date`, evaluated on the wall clock of `timeZone` (or of
    /// the schedule's own `TZ=` zone, which wins as it does in robfig/cron);
    /// `nil` when none falls within the next five years (e.g. `0 0 30 2 *`).
    ///
    /// Daylight-saving behaviour is robfig/cron's, which Kubernetes uses: a time inside a
    /// spring-forward gap is skipped that day; a time inside a fall-back overlap fires in both hours.
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        if let interval {
            let whole = date.timeIntervalSince1970.rounded(.down)
            return Date(timeIntervalSince1970: whole + Double(interval))
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = location ?? timeZone
        // The first whole minute after `date`.
        var t = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
        let yearLimit = calendar.component(.year, from: t) + 5

        wrap: while true {
            var parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: t)
            if (parts.year ?? 0) > yearLimit { return nil }
            // Once a unit has been advanced, the smaller units start from their beginning.
            var advanced = false

            while !Self.has(months, parts.month) {
                if !advanced {
                    advanced = true
                    t = calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: 1)) ?? t
                }
                guard let nextMonth = calendar.date(byAdding: .month, value: 1, to: t) else { return nil }
                t = calendar.startOfDay(for: nextMonth)
                parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: t)
                if parts.month == 1 { continue wrap }
            }
            while !dayMatches(parts) {
                if !advanced {
                    advanced = true
                    t = calendar.startOfDay(for: t)
                }
                guard let nextDay = calendar.date(byAdding: .day, value: 1, to: t) else { return nil }
                t = calendar.startOfDay(for: nextDay)
                parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: t)
                if parts.day == 1 { continue wrap }
            }
            while !Self.has(hours, parts.hour) {
                if !advanced {
                    advanced = true
                    t = calendar.dateInterval(of: .hour, for: t)?.start ?? t
                }
                t += 3600
                parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: t)
                if parts.hour == 0 { continue wrap }
            }
            while !Self.has(minutes, parts.minute) {
                if !advanced {
                    advanced = true
                    t = Date(timeIntervalSince1970: (t.timeIntervalSince1970 / 60).rounded(.down) * 60)
                }
                t += 60
                parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: t)
                if parts.minute == 0 { continue wrap }
            }
            return t
        }
    }

    /// The Vixie cron rule: with both day fields restricted, either may match; otherwise both must.
    private func dayMatches(_ parts: DateComponents) -> Bool {
        let domMatch = Self.has(daysOfMonth, parts.day)
        let dowMatch = Self.has(daysOfWeek, parts.weekday.map { $0 - 1 })
        if dayOfMonthIsWildcard || dayOfWeekIsWildcard { return domMatch && dowMatch }
        return domMatch || dowMatch
    }

    private static func has(_ bits: UInt64, _ value: Int?) -> Bool {
        guard let value, value >= 0, value < 64 else { return false }
        return bits & (1 << UInt64(value)) != 0
    }
}
