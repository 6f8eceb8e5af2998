import Foundation
import Model
import Testing
@testable import Controllers

/// The concurrency / deadline / suspend table of upstream's TestControllerV2SyncCronJob, on the
/// pure plan. Hourly schedule; created 08:59, last scheduled 09:01 when it ran before.
@Suite struct CronJobSyncPolicyTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var policy = "Allow"
        var suspend = false
        var deadline: Int64?
        var ranBefore = false
        var stillActive = false
        var now: String
        var creates: Bool
        var replaces = 0
        var activeAfter: Int
        var warnings = 0
        var testDescription: String { name }
    }

    static let beforeHour = "2016-05-19T09:59:00Z"
    static let afterHour = "2016-05-19T10:01:00Z"
    static let weekLater = "2016-05-26T10:00:00Z"

    static let rows: [Row] = [
        Row(name: "never ran, not time", now: beforeHour, creates: false, activeAfter: 0),
        Row(name: "never ran, is time, Allow", now: afterHour, creates: true, activeAfter: 1),
        Row(name: "never ran, is time, Forbid", policy: "Forbid", now: afterHour, creates: true, activeAfter: 1),
        Row(name: "never ran, is time, Replace", policy: "Replace", now: afterHour, creates: true, activeAfter: 1),
        Row(name: "never ran, is time, suspended", suspend: true, now: afterHour, creates: false, activeAfter: 0),
        // 10:00 + 10 s is long before 10:12: the slot is outside the deadline and skipped silently, as upstream.
        Row(name: "never ran, past a 10 s deadline", deadline: 10, now: "2016-05-19T10:12:00Z", creates: false, activeAfter: 0),
        Row(name: "never ran, within a long deadline", deadline: 1_000_000, now: afterHour, creates: true, activeAfter: 1),
        Row(name: "ran, done, is time, Forbid", policy: "Forbid", ranBefore: true, now: afterHour, creates: true, activeAfter: 1),
        Row(name: "still active, not time", ranBefore: true, stillActive: true, now: beforeHour, creates: false, activeAfter: 1),
        Row(name: "still active, is time, Allow", ranBefore: true, stillActive: true, now: afterHour, creates: true, activeAfter: 2),
        Row(name: "still active, is time, Forbid", policy: "Forbid", ranBefore: true, stillActive: true, now: afterHour, creates: false, activeAfter: 1),
        Row(name: "still active, is time, Replace", policy: "Replace", ranBefore: true, stillActive: true, now: afterHour, creates: true, replaces: 1, activeAfter: 1),
        Row(name: "still active, is time, suspended", suspend: true, ranBefore: true, stillActive: true, now: afterHour, creates: false, activeAfter: 1),
        // A week of hourly slots (> 100) with no or a long deadline: warn, then start the latest.
        Row(name: "long overdue, no deadline", ranBefore: true, now: weekLater, creates: true, activeAfter: 1, warnings: 1),
        Row(name: "long overdue, long deadline, Forbid", policy: "Forbid", deadline: 1_000_000, ranBefore: true, now: weekLater, creates: true, activeAfter: 1, warnings: 1),
        // A 2 h deadline starts the search at 08:00 on the 26th: two slots, no warning.
        Row(name: "long overdue, 2 h deadline", deadline: 7200, ranBefore: true, now: weekLater, creates: true, activeAfter: 1),
        Row(name: "long overdue, 10 s deadline, Replace", policy: "Replace", deadline: 10, ranBefore: true, now: weekLater, creates: true, activeAfter: 1),
    ]

    @Test(arguments: rows)
    func concurrencyDeadlineAndSuspend(row: Row) {
        var jobs: [CronJobChild] = []
        var cronJob: JSONValue
        if row.ranBefore {
            let job = row.stillActive ? CronFixture.job("cj-old", start: "2016-05-19T09:01:00Z")
                                      : CronFixture.job("cj-old", outcome: .complete, start: "2016-05-19T09:01:00Z", completion: "2016-05-19T09:01:10Z")
            jobs = [job]
            cronJob = CronFixture.cronJob(policy: row.policy, suspend: row.suspend, deadline: row.deadline,
                                          lastSchedule: "2016-05-19T09:01:00Z", active: row.stillActive ? [job] : [])
        } else {
            cronJob = CronFixture.cronJob(policy: row.policy, suspend: row.suspend, deadline: row.deadline, created: Self.beforeHour)
        }
        let plan = CronFixture.plan(cronJob, jobs: jobs, now: row.now)
        #expect((plan.creation != nil) == row.creates)
        #expect(plan.replaceDeletions.count == row.replaces)
        #expect(plan.status.active.count + (plan.creation == nil ? 0 : 1) == row.activeAfter)
        #expect(plan.events.filter { $0.type == .warning }.count == row.warnings, "\(plan.events)")
        #expect((plan.requeueAfter == nil) == row.suspend)
    }

    @Test func forbidReportsTheActiveRun() {
        let running = CronFixture.job("cj-old", start: "2016-05-19T09:01:00Z")
        let cronJob = CronFixture.cronJob(policy: "Forbid", lastSchedule: "2016-05-19T09:01:00Z", active: [running])
        let plan = CronFixture.plan(cronJob, jobs: [running], now: Self.afterHour)
        #expect(plan.events == [.normal("JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid")])
        // Next look at 11:00 + 0.1 s; now is 10:01 → 59 min.
        #expect(abs((plan.requeueAfter ?? 0) - 3540.1) < 0.001)
    }

    @Test func tooManyMissedTimesIsAWarningWithUpstreamWording() {
        let cronJob = CronFixture.cronJob(lastSchedule: "2016-05-19T09:00:00Z")
        let plan = CronFixture.plan(cronJob, now: Self.weekLater)
        #expect(plan.events == [.warning("TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew")])
        #expect(plan.creation?.scheduledTime == CronFixture.date(Self.weekLater))
    }

    @Test func suspendedCronJobStillTrimsHistory() {
        let old = (0..<3).map { CronFixture.job("cj-f\($0)", outcome: .failed, start: "2016-05-19T0\($0):00:00Z") }
        let plan = CronFixture.plan(CronFixture.cronJob(suspend: true), jobs: old, now: Self.afterHour)
        #expect(plan.historyDeletions.map(\.name) == ["cj-f0", "cj-f1"])
        #expect(plan.creation == nil && plan.requeueAfter == nil)
    }

    @Test func deletingCronJobOnlyKeepsBooks() {
        var cronJob = CronFixture.cronJob()
        cronJob.setValue("2016-05-19T10:00:30Z", at: ["metadata", "deletionTimestamp"])
        let plan = CronFixture.plan(cronJob, now: Self.afterHour)
        #expect(plan.creation == nil && plan.requeueAfter == nil)
    }

    @Test func storedUnknownTimeZoneIsAWarningAndNoRun() {
        let plan = CronFixture.plan(CronFixture.cronJob(timeZone: "Mars/Olympus"), now: Self.afterHour)
        #expect(plan.events == [.warning("UnknownTimeZone", "invalid timeZone: \"Mars/Olympus\": unknown time zone Mars/Olympus")])
        #expect(plan.creation == nil)
    }

    @Test func unparseableStoredScheduleIsAWarningAndNoRequeue() {
        let plan = CronFixture.plan(CronFixture.cronJob(schedule: "obvious error schedule"), now: Self.afterHour)
        #expect(plan.events == [.warning("UnparseableSchedule", "unparseable schedule: \"obvious error schedule\" : expected exactly 5 fields, found 3: [obvious error schedule]")])
        #expect(plan.requeueAfter == nil)
    }
}
