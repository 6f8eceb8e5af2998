import Foundation
import Model
import Testing
@testable import Controllers

/// Slots after outages, time zones and DST, history, bookkeeping and the Job's shape.
@Suite struct CronJobSyncSlotTests {
    /// Applies a plan's create as the controller would, returning the next CronJob.
    func applied(_ plan: CronJobPlan, to cronJob: JSONValue, uid: String) -> (JSONValue, CronJobChild?) {
        var status = plan.status
        var child: CronJobChild?
        if let creation = plan.creation {
            var job = creation.job
            job.setValue(.string(uid), at: ["metadata", "uid"])
            child = CronJobChild(job)
            status.active.append(child!.activeReference)
            status.lastScheduleTime = creation.scheduledTime
        }
        return (CronJobView(cronJob).withStatus(status), child)
    }

    @Test func afterAnOutageOnlyTheLatestSlotRunsAndOnlyOnce() {
        // Hourly; last ran 10:00; the controller was down until 13:30 (11, 12, 13 missed).
        let cronJob = CronFixture.cronJob(lastSchedule: "2016-05-19T10:00:00Z")
        let first = CronFixture.plan(cronJob, now: "2016-05-19T13:30:00Z")
        #expect(first.creation?.scheduledTime == CronFixture.date("2016-05-19T13:00:00Z"))
        #expect(first.creation?.job.value(at: ["metadata", "name"])?.string == CronFixture.name("2016-05-19T13:00:00Z"))
        // 14:00 + 0.1 s − 13:30.
        #expect(abs((first.requeueAfter ?? 0) - 1800.1) < 0.001)
        let (next, child) = applied(first, to: cronJob, uid: "run-13")
        let again = CronFixture.plan(next, jobs: [child!], now: "2016-05-19T13:30:05Z")
        #expect(again.creation == nil)
        #expect(again.events.isEmpty)
    }

    @Test func slotInTheActiveListIsNotStartedAgainEvenBeforeLastScheduleTimeCatchesUp() {
        // The status kept the active entry, lastScheduleTime is older (a partial write).
        let running = CronFixture.job(CronFixture.name("2016-05-19T10:00:00Z"), start: "2016-05-19T10:00:01Z")
        let cronJob = CronFixture.cronJob(lastSchedule: "2016-05-19T09:00:00Z", active: [running])
        #expect(CronFixture.plan(cronJob, jobs: [running], now: "2016-05-19T10:00:30Z").creation == nil)
    }

    /// (deadline, now, slot expected or nil): hourly, last ran 10:00.
    static let deadlines: [(Int64, String, String?)] = [
        // 13:00 + 3600 s = 14:00 ≥ 13:30: within the deadline, started late.
        (3600, "2016-05-19T13:30:00Z", "2016-05-19T13:00:00Z"),
        // 13:00 + 600 s = 13:10 < 13:30: too late; the search starts at 13:20 and finds nothing.
        (600, "2016-05-19T13:30:00Z", nil),
        // Exactly at the edge: 13:00 + 1800 s = 13:30, search from 13:00 exclusive → nothing.
        (1800, "2016-05-19T13:30:00Z", nil),
        (1801, "2016-05-19T13:30:00Z", "2016-05-19T13:00:00Z"),
    ]

    @Test(arguments: deadlines)
    func startingDeadlineBoundsLateStarts(deadline: Int64, now: String, slot: String?) {
        let plan = CronFixture.plan(CronFixture.cronJob(deadline: deadline, lastSchedule: "2016-05-19T10:00:00Z"), now: now)
        #expect(plan.creation?.scheduledTime == slot.map(CronFixture.date))
        #expect(plan.requeueAfter != nil)
    }

    @Test func springForwardSkipsTheMissingWallClockTime() {
        // New York, 2026-03-08 02:00 EST → 03:00 EDT: 02:30 does not exist that day.
        let cronJob = CronFixture.cronJob(schedule: "30 2 * * *", timeZone: "America/New_York",
                                          lastSchedule: "2026-03-07T07:30:00Z")
        let plan = CronFixture.plan(cronJob, now: "2026-03-08T12:00:00Z")
        #expect(plan.creation == nil)
        // Next: 2026-03-09 02:30 EDT = 06:30Z; 18.5 h + 0.1 s from 12:00Z.
        #expect(abs((plan.requeueAfter ?? 0) - (18.5 * 3600 + 0.1)) < 0.001)
    }

    @Test func springForwardDayStillRunsLaterSlotsWithTheNewOffset() {
        let cronJob = CronFixture.cronJob(schedule: "0 3 * * *", timeZone: "America/New_York", lastSchedule: "2026-03-07T08:00:00Z")
        let plan = CronFixture.plan(cronJob, now: "2026-03-08T07:00:30Z")
        // 03:00 EDT = 07:00Z; the annotation is in the CronJob's zone.
        #expect(plan.creation?.scheduledTime == CronFixture.date("2026-03-08T07:00:00Z"))
        #expect(plan.creation?.job.value(at: ["metadata", "annotations", CronJobSync.scheduledTimestampAnnotation]) == "2026-03-08T03:00:00-04:00")
    }

    @Test func fallBackRunsTheRepeatedHourTwiceWithDistinctNames() {
        // 2026-11-01 02:00 EDT → 01:00 EST: 01:30 happens at 05:30Z and again at 06:30Z.
        let cronJob = CronFixture.cronJob(schedule: "30 1 * * *", timeZone: "America/New_York", lastSchedule: "2026-11-01T05:30:00Z")
        let plan = CronFixture.plan(cronJob, now: "2026-11-01T06:30:10Z")
        #expect(plan.creation?.scheduledTime == CronFixture.date("2026-11-01T06:30:00Z"))
        #expect(plan.creation?.job.value(at: ["metadata", "name"])?.string == CronFixture.name("2026-11-01T06:30:00Z"))
        #expect(plan.creation?.job.value(at: ["metadata", "annotations", CronJobSync.scheduledTimestampAnnotation]) == "2026-11-01T01:30:00-05:00")
    }

    @Test func scheduleWithoutTimeZoneUsesTheControllersZoneButAnnotatesUTC() {
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        let cronJob = CronFixture.cronJob(schedule: "0 9 * * *", created: "2026-03-01T00:00:00Z")
        let plan = CronFixture.plan(cronJob, now: "2026-03-02T00:00:30Z", local: tokyo)
        // 09:00 Tokyo = 00:00Z.
        #expect(plan.creation?.scheduledTime == CronFixture.date("2026-03-02T00:00:00Z"))
        #expect(plan.creation?.job.value(at: ["metadata", "annotations", CronJobSync.scheduledTimestampAnnotation]) == "2026-03-02T00:00:00Z")
    }

    @Test func jobCarriesTemplateLabelsAnnotationsAndAControllerReference() throws {
        let plan = CronFixture.plan(CronFixture.cronJob(created: "2016-05-19T09:59:00Z"), now: "2016-05-19T10:00:01Z")
        let job = try #require(plan.creation?.job)
        // 10:00Z is 1463652000 s = 24394200 min since the epoch.
        #expect(job.value(at: ["metadata", "name"]) == "cj-24394200")
        #expect(job.value(at: ["metadata", "labels"]) == ["a": "b"])
        #expect(job.value(at: ["metadata", "annotations"]) == ["x": "y", "batch.kubernetes.io/cronjob-scheduled-timestamp": "2016-05-19T10:00:00Z"])
        #expect(job.value(at: ["metadata", "ownerReferences"]) == [["apiVersion": "batch/v1", "kind": "CronJob", "name": "cj",
                                                                    "uid": "cj-uid", "controller": true, "blockOwnerDeletion": true]])
        #expect(job.value(at: ["spec", "template", "spec", "restartPolicy"]) == "Never")
    }

    @Test func historyKeepsTheNewestFinishedJobsOfEachKind() {
        // 5 succeeded (limit 3) and 2 failed (limit 1); one success never started and sorts last.
        var jobs = (1...4).map { CronFixture.job("cj-s\($0)", outcome: .complete, start: "2016-05-19T0\($0):00:00Z", completion: "2016-05-19T0\($0):00:09Z") }
        jobs.append(CronFixture.job("cj-s0", outcome: .complete))
        jobs += [CronFixture.job("cj-f2", outcome: .failed, start: "2016-05-19T02:30:00Z"),
                 CronFixture.job("cj-f1", outcome: .failed, start: "2016-05-19T01:30:00Z")]
        jobs.append(CronFixture.job("cj-run", start: "2016-05-19T05:00:00Z"))
        let cronJob = CronFixture.cronJob(lastSchedule: "2016-05-19T09:01:00Z", active: [jobs.last!])
        let plan = CronFixture.plan(cronJob, jobs: jobs, now: "2016-05-19T09:30:00Z")
        #expect(plan.historyDeletions.map(\.name) == ["cj-s1", "cj-s2", "cj-f1"])
        #expect(plan.status.active.map(\.name) == ["cj-run"])
        // The newest completion among succeeded jobs (04:00:09).
        #expect(plan.status.lastSuccessfulTime == CronFixture.date("2016-05-19T04:00:09Z"))
    }

    @Test func finishedActiveJobLeavesTheActiveListWithAnEvent() {
        let done = CronFixture.job("cj-a", outcome: .complete, start: "2016-05-19T09:01:00Z", completion: "2016-05-19T09:05:00Z")
        let plan = CronFixture.plan(CronFixture.cronJob(lastSchedule: "2016-05-19T09:01:00Z", active: [done]), jobs: [done], now: "2016-05-19T09:30:00Z")
        #expect(plan.status.active.isEmpty)
        #expect(plan.status.lastSuccessfulTime == CronFixture.date("2016-05-19T09:05:00Z"))
        #expect(plan.events == [.normal("SawCompletedJob", "Saw completed job: cj-a, condition: Complete")])
    }

    @Test func activeEntryConfirmedGoneIsDroppedAndUnconfirmedIsKept() {
        let ghost = CronFixture.job("cj-ghost")
        let cronJob = CronFixture.cronJob(lastSchedule: "2016-05-19T09:01:00Z", active: [ghost])
        let kept = CronFixture.plan(cronJob, now: "2016-05-19T09:30:00Z")
        #expect(kept.status.active.map(\.name) == ["cj-ghost"])
        let dropped = CronFixture.plan(cronJob, now: "2016-05-19T09:30:00Z", gone: [ghost.uid])
        #expect(dropped.status.active.isEmpty)
        #expect(dropped.events == [.normal("MissingJob", "Active job went missing: cj-ghost")])
    }

    @Test func manualRunIsUnexpectedWhileRunningAndCountsInHistoryWhenDone() {
        // `kubectl create job --from=cronjob/cj`: controlled by the CronJob, not in status.active (upstream).
        let manual = CronFixture.job("cj-manual-x7", start: "2016-05-19T09:10:00Z", manual: true)
        let cronJob = CronFixture.cronJob(policy: "Forbid", lastSchedule: "2016-05-19T09:00:00Z")
        let running = CronFixture.plan(cronJob, jobs: [manual], now: "2016-05-19T10:00:10Z")
        #expect(running.events.first == .warning("UnexpectedJob", "Saw a job that the controller did not create or forgot: cj-manual-x7"))
        #expect(running.status.active.isEmpty)
        // Forbid only looks at status.active, so the scheduled run still starts, as upstream.
        #expect(running.creation != nil)

        let finished = CronFixture.job("cj-manual-x7", outcome: .failed, start: "2016-05-19T09:10:00Z", manual: true)
        let older = CronFixture.job("cj-old", outcome: .failed, start: "2016-05-19T08:00:00Z")
        let later = CronFixture.plan(cronJob, jobs: [older, finished], now: "2016-05-19T09:30:00Z")
        #expect(later.historyDeletions.map(\.name) == ["cj-old"])
        #expect(later.events.isEmpty)
    }

    @Test func replaceDeletesEveryActiveRunBeforeTheNewOne() {
        let a = CronFixture.job("cj-a", start: "2016-05-19T08:00:00Z")
        let b = CronFixture.job("cj-b", start: "2016-05-19T09:00:00Z")
        let cronJob = CronFixture.cronJob(policy: "Replace", lastSchedule: "2016-05-19T09:00:00Z", active: [a, b])
        let plan = CronFixture.plan(cronJob, jobs: [a, b], now: "2016-05-19T10:00:05Z")
        #expect(plan.replaceDeletions.map(\.name) == ["cj-a", "cj-b"])
        #expect(plan.status.active.isEmpty)
        #expect(plan.creation?.scheduledTime == CronFixture.date("2016-05-19T10:00:00Z"))
        // 11:00 + 0.1 − 10:00:05.
        #expect(abs((plan.requeueAfter ?? 0) - 3595.1) < 0.001)
    }
}
