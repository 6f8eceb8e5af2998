import Foundation
import Model
import Testing

@Suite struct CronScheduleTests {
    static func date(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text) ?? .distantPast
    }

    static func zone(_ name: String) -> TimeZone { TimeZone(identifier: name) ?? .gmt }

    @Test(arguments: ["*/15 * * * *", "0 9-17 * * MON-FRI", "@hourly", "@every 1h30m", "0 0 1,15 * *", "? * * * ?",
                      "0 0 * jan-mar sun", "@annually", "5 4 * * 0-6/2", "0 12 * * Sat"])
    func validSchedulesParse(text: String) throws {
        _ = try CronSchedule.parse(text)
    }

    static let parseErrors: [(String, String)] = [
        ("", "empty spec string"),
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        ("* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"),
        ("* * * * 7", "end of range (7) above maximum (6): 7"),
        ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"),
        ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
        ("1/2/3 * * * *", "too many slashes: 1/2/3"),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
        ("@every 1x", "failed to parse duration @every 1x: time: unknown unit \"x\" in duration \"1x\""),
        ("@every soon", "failed to parse duration @every soon: time: invalid duration \"soon\""),
    ]

    @Test(arguments: parseErrors)
    func invalidSchedulesGiveRobfigMessages(text: String, message: String) {
        #expect(throws: CronParseError(message)) { try CronSchedule.parse(text) }
    }

    static let nextTimes: [(String, String, String, String)] = [
        ("*/15 * * * *", "UTC", "2026-03-02T10:07:30Z", "2026-03-02T10:15:00Z"),
        ("*/15 * * * *", "UTC", "2026-03-02T10:15:00Z", "2026-03-02T10:30:00Z"),
        ("0 9 * * MON-FRI", "UTC", "2026-03-07T12:00:00Z", "2026-03-09T09:00:00Z"),
        ("59 23 31 12 *", "UTC", "2026-01-01T00:00:00Z", "2026-12-31T23:59:00Z"),
        ("@monthly", "UTC", "2026-01-31T12:00:00Z", "2026-02-01T00:00:00Z"),
        ("@weekly", "UTC", "2026-03-02T00:00:00Z", "2026-03-08T00:00:00Z"),
        ("0 0 29 2 *", "UTC", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),
        // Both day fields restricted: either matches (Friday Feb 6 comes before the 13th).
        ("0 0 13 * FRI", "UTC", "2026-02-01T00:00:00Z", "2026-02-06T00:00:00Z"),
        // Only day-of-month restricted: the 13th.
        ("0 0 13 * *", "UTC", "2026-02-01T00:00:00Z", "2026-02-13T00:00:00Z"),
        // Only day-of-week restricted: Fridays.
        ("0 0 * * FRI", "UTC", "2026-02-07T00:00:00Z", "2026-02-13T00:00:00Z"),
        ("@daily", "Europe/Berlin", "2026-06-01T12:00:00Z", "2026-06-01T22:00:00Z"),
        // Spring forward (New York, 2026-03-08 02:00 → 03:00): 02:30 does not exist that day and is skipped.
        ("30 2 * * *", "America/New_York", "2026-03-07T08:00:00Z", "2026-03-09T06:30:00Z"),
        ("0 3 * * *", "America/New_York", "2026-03-08T05:00:00Z", "2026-03-08T07:00:00Z"),
        // Fall back (2026-11-01 02:00 → 01:00): 01:30 happens twice and fires twice.
        ("30 1 * * *", "America/New_York", "2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z"),
        ("30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"),
        ("30 1 * * *", "America/New_York", "2026-11-01T06:30:00Z", "2026-11-02T06:30:00Z"),
    ]

    @Test(arguments: nextTimes)
    func nextActivation(schedule: String, zone: String, after: String, expected: String) throws {
        let parsed = try CronSchedule.parse(schedule)
        #expect(parsed.next(after: Self.date(after), in: Self.zone(zone)) == Self.date(expected))
    }

    @Test func everyAddsTheIntervalToTheWholeSecond() throws {
        let schedule = try CronSchedule.parse("@every 1m30s")
        let after = Date(timeIntervalSince1970: 1_000.75)
        #expect(schedule.next(after: after, in: .gmt) == Date(timeIntervalSince1970: 1_090))
        #expect(try CronSchedule.parse("@every 10ms").interval == 1)
    }

    @Test func impossibleSchedulesHaveNoNextTime() throws {
        let schedule = try CronSchedule.parse("0 0 30 2 *")
        #expect(schedule.next(after: Self.date("2026-01-01T00:00:00Z"), in: .gmt) == nil)
    }
}
