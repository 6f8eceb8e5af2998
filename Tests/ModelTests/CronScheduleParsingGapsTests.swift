import Foundation
import Model
import Testing

/// The corners of robfig/cron v3's `ParseStandard` that Kubernetes inherits.
@Suite struct CronScheduleParsingGapsTests {
    static let errors: [(String, String)] = [
        // Emptiness is checked before trimming, so blanks are a field-count error.
        ("   ", "expected exactly 5 fields, found 0: []"),
        // Descriptors match exactly: upper case is not one.
        ("@HOURLY", "unrecognized descriptor: @HOURLY"),
        // A descriptor after leading blanks is read as one field.
        (" @hourly", "expected exactly 5 fields, found 1: [@hourly]"),
        // Fields are parsed in order, so the minute error wins over the weekday one.
        ("61 * * * 9", "end of range (61) above maximum (59): 61"),
        ("99999999999999999999 * * * *",
         "failed to parse int from 99999999999999999999: strconv.Atoi: parsing \"99999999999999999999\": value out of range"),
        // robfig quotes the step alone.
        ("*/-2 * * * *", "negative number (-2) not allowed: -2"),
        ("TZ=Mars/Olympus 0 * * * *", "provided bad location Mars/Olympus: unknown time zone Mars/Olympus"),
        ("CRON_TZ=UTC 0 * * *", "expected exactly 5 fields, found 4: [0 * * *]"),
    ]

    @Test(arguments: errors)
    func invalidSchedulesGiveRobfigMessages(text: String, message: String) {
        #expect(throws: CronParseError(message)) { try CronSchedule.parse(text) }
    }

    @Test(arguments: ["1,,2 * * * *", "0 0 * * mon,FRI", "0\t0 * * *", "0 0 ? * *", "@midnight", "@annually",
                      "TZ=UTC 0 * * * *", "CRON_TZ=Europe/Berlin @daily", "5-10/2 * * * *"])
    func validSchedulesParse(text: String) throws {
        _ = try CronSchedule.parse(text)
    }

    @Test func emptyListItemsAreSkipped() throws {
        // "1,,2" is minutes 1 and 2: bits 0b110.
        #expect(try CronSchedule.parse("1,,2 * * * *").minutes == 0b110)
    }

    @Test func scheduleTimeZoneWinsOverTheGivenZone() throws {
        let schedule = try CronSchedule.parse("CRON_TZ=Asia/Tokyo 0 9 * * *")
        #expect(schedule.location?.identifier == "Asia/Tokyo")
        // 09:00 in Tokyo (UTC+9) is 00:00 UTC, whatever zone the caller passes.
        let after = CronScheduleTests.date("2026-03-01T12:00:00Z")
        #expect(schedule.next(after: after, in: CronScheduleTests.zone("America/New_York")) == CronScheduleTests.date("2026-03-02T00:00:00Z"))
    }

    @Test(arguments: [("America/New_York", true), ("US/Eastern", true), ("UTC", true), ("Etc/GMT+5", true),
                      ("", true), ("Local", true), ("america/new_york", false), ("GMT+5", false),
                      ("Mars/Olympus", false), ("../etc/passwd", false), ("America", false)])
    func zoneInfoFollowsTheSystemDatabase(name: String, known: Bool) {
        let result = ZoneInfo.load(name)
        if known {
            #expect((try? result.get()) != nil)
        } else {
            #expect(throws: CronParseError.self) { try result.get() }
        }
    }

    @Test func unknownZoneHasGoWording() {
        #expect(throws: CronParseError("unknown time zone Mars/Olympus")) { try ZoneInfo.load("Mars/Olympus").get() }
        #expect(throws: CronParseError("time: invalid location name")) { try ZoneInfo.load("a/../b").get() }
    }
}
