import Foundation
import Model
import Testing

/// CronJob schedule and time zone rules, with upstream's field paths and wording.
@Suite struct CronJobAdmissionTests {
    let cronJobs = ResourceCatalog.cronJobs

    func summaries(_ object: JSONValue, _ operation: AdmissionOperation = .create) -> [String] {
        Fixture.causes(object, cronJobs, operation).map(\.summary)
    }

    @Test func scheduleWithTZIsRefusedWithUpstreamWording() {
        let cronJob = Fixture.cronJob.setting("spec.schedule", "CRON_TZ=UTC 0 * * * *")
        #expect(summaries(cronJob) == [
            "spec.schedule FieldValueInvalid Invalid value: \"CRON_TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        ])
    }

    @Test func badScheduleWithTZReportsBothCauses() {
        // robfig reads the prefix, then finds four fields; the TZ rule is a second cause.
        let cronJob = Fixture.cronJob.setting("spec.schedule", "TZ=UTC 0 * * *")
        #expect(summaries(cronJob) == [
            "spec.schedule FieldValueInvalid Invalid value: \"TZ=UTC 0 * * *\": expected exactly 5 fields, found 4: [0 * * *]",
            "spec.schedule FieldValueInvalid Invalid value: \"TZ=UTC 0 * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        ])
    }

    @Test func storedTZScheduleMayStayOnUpdateButNotWithTimeZone() {
        let old = Fixture.defaulted(Fixture.cronJob, cronJobs).setting("spec.schedule", "TZ=UTC 0 * * * *")
        #expect(summaries(old.setting("spec.suspend", true), .update(old: old)).isEmpty)
        let both = old.setting("spec.timeZone", "Europe/Berlin")
        #expect(summaries(both, .update(old: old)) == [
            "spec.schedule FieldValueInvalid Invalid value: \"TZ=UTC 0 * * * *\": cannot use both timeZone field and TZ or CRON_TZ in schedule",
        ])
    }

    @Test func addingTZToAScheduleOnUpdateIsRefused() {
        let old = Fixture.defaulted(Fixture.cronJob, cronJobs)
        let new = old.setting("spec.schedule", "TZ=UTC */5 * * * *")
        #expect(summaries(new, .update(old: old)).contains { $0.hasSuffix("use timeZone field instead") })
    }

    static let zones: [(String, [String])] = [
        ("Mars/Olympus", ["Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus"]),
        // Case matters: the zoneinfo file is America/New_York.
        ("america/new_york", ["Invalid value: \"america/new_york\": unknown time zone america/new_york"]),
        // Components longer than 14 characters fail the name syntax before any lookup.
        ("America/Argentina_Buenos_Aires", ["Invalid value: \"America/Argentina_Buenos_Aires\": unknown time zone America/Argentina_Buenos_Aires"]),
        ("", ["Invalid value: \"\": timeZone must be nil or non-empty string"]),
        ("Local", ["Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"]),
        // "local" passes the syntax, is not Local to Go's loader, and has no zoneinfo file: two causes.
        ("local", ["Invalid value: \"local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
                   "Invalid value: \"local\": unknown time zone local"]),
        ("-Bad/Zone", ["Invalid value: \"-Bad/Zone\": unknown time zone -Bad/Zone"]),
    ]

    @Test(arguments: zones)
    func invalidTimeZoneIs422OnSpecTimeZone(zone: String, messages: [String]) {
        let causes = Fixture.causes(Fixture.cronJob.setting("spec.timeZone", .string(zone)), cronJobs)
        #expect(causes.map(\.field) == Array(repeating: "spec.timeZone", count: messages.count))
        #expect(causes.map(\.message) == messages)
        #expect(causes.allSatisfy { $0.reason == "FieldValueInvalid" })
    }

    @Test(arguments: ["America/New_York", "Europe/Berlin", "Etc/GMT+5", "UTC", "Asia/Kolkata"])
    func knownTimeZonesAreAccepted(zone: String) {
        #expect(summaries(Fixture.cronJob.setting("spec.timeZone", .string(zone))).isEmpty)
    }

    @Test func invalidTimeZoneAlsoRefusedOnUpdate() {
        let old = Fixture.defaulted(Fixture.cronJob, cronJobs)
        let new = old.setting("spec.timeZone", "Mars/Olympus")
        #expect(summaries(new, .update(old: old)) == [
            "spec.timeZone FieldValueInvalid Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus",
        ])
    }

    @Test func createStatusError422NamesTheCronJob() {
        guard case .failure(let error) = Fixture.admit(Fixture.cronJob.setting("spec.timeZone", "Nowhere"), cronJobs) else {
            Issue.record("expected a 422")
            return
        }
        #expect(error.code == 422)
        #expect(error.reason == "Invalid")
    }
}
