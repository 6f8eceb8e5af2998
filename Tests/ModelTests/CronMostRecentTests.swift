import Foundation
import Model
import Testing

/// `mostRecent(since:now:in:)` and `secondsUntilNextCheck`, upstream's mostRecentScheduleTime and
/// nextScheduleTimeDuration.
@Suite struct CronMostRecentTests {
    static func date(_ text: String) -> Date { CronScheduleTests.date(text) }
    static let utc = TimeZone(identifier: "UTC") ?? .gmt

    /// (schedule, earliest, now, expected most recent or nil, missed)
    static let cases: [(String, String, String, String?, MissedSchedules)] = [
        // Hourly, last ran 10:00, now 10:30: nothing due.
        ("0 * * * *", "2026-05-19T10:00:00Z", "2026-05-19T10:30:00Z", nil, .none),
        // Now exactly on 11:00: due (not after now counts).
        ("0 * * * *", "2026-05-19T10:00:00Z", "2026-05-19T11:00:00Z", "2026-05-19T11:00:00Z", .none),
        // Down from 10:00 to 13:30: 11, 12, 13 missed; (13:30-11:00)/1h + 1 = 3 → few; latest 13:00.
        ("0 * * * *", "2026-05-19T10:00:00Z", "2026-05-19T13:30:00Z", "2026-05-19T13:00:00Z", .few),
        // A week of hourly downtime: 7*24 = 168 > 100 → many; still the latest slot.
        ("0 * * * *", "2026-05-19T10:00:00Z", "2026-05-26T10:00:00Z", "2026-05-26T10:00:00Z", .many),
        // Exactly 100 missed minutes (10:01 … 11:40) is still "few"; 101 is "many".
        ("* * * * *", "2026-05-19T10:00:00Z", "2026-05-19T11:40:00Z", "2026-05-19T11:40:00Z", .few),
        ("* * * * *", "2026-05-19T10:00:00Z", "2026-05-19T11:41:00Z", "2026-05-19T11:41:00Z", .many),
        // Uneven gaps (09:00 and 17:00): t1 17:00, t2 09:00 (16 h); now 09:30 next day → 09:00.
        ("0 9,17 * * *", "2026-05-19T12:00:00Z", "2026-05-20T09:30:00Z", "2026-05-20T09:00:00Z", .few),
        // @every 90s from 10:00:00: 10:01:30, 10:03:00; now 10:04:00 → 10:03:00.
        ("@every 90s", "2026-05-19T10:00:00Z", "2026-05-19T10:04:00Z", "2026-05-19T10:03:00Z", .few),
    ]

    @Test(arguments: cases)
    func mostRecentActivation(schedule: String, earliest: String, now: String, expected: String?, missed: MissedSchedules) throws {
        let lookup = try CronSchedule.parse(schedule).mostRecent(since: Self.date(earliest), now: Self.date(now), in: Self.utc)
        #expect(lookup.mostRecent == expected.map(Self.date))
        #expect(lookup.missed == missed)
    }

    @Test func scheduleThatNeverFiresIsAnError() throws {
        let schedule = try CronSchedule.parse("59 23 31 2 *")
        #expect(throws: CronParseError("time difference between two schedules is less than 1 second")) {
            try schedule.mostRecent(since: Self.date("2026-01-01T00:00:00Z"), now: Self.date("2026-06-01T00:00:00Z"), in: Self.utc)
        }
    }

    /// (schedule, earliest, now, seconds to wait)
    static let waits: [(String, String, String, Double)] = [
        // Nothing missed: next after earliest (11:00) − now (10:30) + 0.1 = 1800.1.
        ("0 * * * *", "2026-05-19T10:00:00Z", "2026-05-19T10:30:00Z", 1800.1),
        // 11:00 due and not yet recorded: next after it is 12:00 → 3600.1 from 11:00.
        ("0 * * * *", "2026-05-19T10:00:00Z", "2026-05-19T11:00:00Z", 3600.1),
        // Ten seconds into the minute: the next minute in 50.1 s.
        ("* * * * *", "2026-05-19T10:00:10Z", "2026-05-19T10:00:10Z", 50.1),
    ]

    @Test(arguments: waits)
    func requeueWaitsForTheNextSlot(schedule: String, earliest: String, now: String, seconds: Double) throws {
        let wait = try CronSchedule.parse(schedule).secondsUntilNextCheck(since: Self.date(earliest), now: Self.date(now), in: Self.utc)
        #expect(abs((wait ?? -1) - seconds) < 0.001)
    }
}
