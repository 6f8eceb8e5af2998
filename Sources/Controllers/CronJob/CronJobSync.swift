import Foundation
import Model

/// The pure decision of the CronJob controller (upstream syncCronJob and cleanupFinishedJobs in
/// cronjob_controllerv2.go, with utils.go's slot arithmetic): a function of the CronJob, its Jobs
/// and the time.
enum CronJobSync {
    /// The annotation recording the slot a Job was created for.
    static let scheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp"

    static func plan(_ input: CronJobSyncInput) -> CronJobPlan {
        let cronJob = input.cronJob
        var plan = CronJobPlan(status: cronJob.status)
        cleanUpHistory(input, into: &plan)
        account(input, into: &plan)
        if cronJob.isBeingDeleted { return plan }  // bookkeeping only

        var zone = input.localTimeZone
        if let name = cronJob.timeZone {
            switch ZoneInfo.load(name) {
            case .success(let loaded): zone = loaded
            case .failure(let error):
                plan.events.append(.warning("UnknownTimeZone", "invalid timeZone: \(name.goQuoted): \(error.message)"))
                return plan
            }
        }
        if cronJob.suspend { return plan }
        if cronJob.schedule.contains("TZ") {
            // The schedule's own zone wins (CronSchedule.location); upstream warns on every sync.
            plan.events.append(.warning("UnsupportedSchedule", "CRON_TZ or TZ used in schedule \(cronJob.schedule.goQuoted) is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details"))
        }
        let schedule: CronSchedule
        do {
            schedule = try CronSchedule.parse(cronJob.schedule)
        } catch {
            plan.events.append(.warning("UnparseableSchedule", "unparseable schedule: \(cronJob.schedule.goQuoted) : \(error.message)"))
            return plan
        }
        planSlot(schedule, zone: zone, input, into: &plan)
        return plan
    }

    /// Deletes the oldest finished Jobs beyond `successfulJobsHistoryLimit` and `failedJobsHistoryLimit`.
    private static func cleanUpHistory(_ input: CronJobSyncInput, into plan: inout CronJobPlan) {
        let limits: [(CronJobChild.Outcome, Int64?)] = [(.complete, input.cronJob.successfulJobsHistoryLimit),
                                                        (.failed, input.cronJob.failedJobsHistoryLimit)]
        for (outcome, limit) in limits {
            guard let limit else { continue }
            let finished = input.jobs.filter { $0.outcome == outcome }
            let excess = finished.count - Int(max(0, limit))
            guard excess > 0 else { continue }
            for job in finished.sorted(by: CronJobChild.byStartTime).prefix(excess) {
                plan.historyDeletions.append(job.activeReference)
                plan.status.active.removeAll { $0.uid == job.uid }
            }
        }
    }

    /// Moves finished Jobs out of `active`, records `lastSuccessfulTime`, flags running Jobs the
    /// status does not list (manual runs, or a create whose status write was lost) and drops active
    /// entries whose Job is confirmed gone.
    private static func account(_ input: CronJobSyncInput, into plan: inout CronJobPlan) {
        for job in input.jobs {
            let listed = plan.status.active.contains { $0.uid == job.uid }
            guard let outcome = job.outcome else {
                if !listed {
                    plan.events.append(.warning("UnexpectedJob", "Saw a job that the controller did not create or forgot: \(job.name)"))
                }
                continue
            }
            if listed {
                plan.status.active.removeAll { $0.uid == job.uid }
                plan.events.append(.normal("SawCompletedJob", "Saw completed job: \(job.name), condition: \(outcome.rawValue)"))
            }
            if outcome == .complete {
                if plan.status.lastSuccessfulTime == nil {
                    plan.status.lastSuccessfulTime = job.completionTime
                } else if let completed = job.completionTime, let last = plan.status.lastSuccessfulTime, completed > last {
                    plan.status.lastSuccessfulTime = completed
                }
            }
        }
        let cached = Set(input.jobs.map(\.uid))
        for reference in plan.status.active where !cached.contains(reference.uid) && input.goneActive.contains(reference.uid) {
            plan.events.append(.normal("MissingJob", "Active job went missing: \(reference.name)"))
            plan.status.active.removeAll { $0.uid == reference.uid }
        }
    }

    /// Finds the most recent unmet slot and decides whether to start it.
    private static func planSlot(_ schedule: CronSchedule, zone: TimeZone, _ input: CronJobSyncInput, into plan: inout CronJobPlan) {
        let cronJob = input.cronJob
        let now = input.now
        let deadline = cronJob.startingDeadlineSeconds
        var earliest = plan.status.lastScheduleTime ?? cronJob.creationTimestamp ?? now
        if let deadline {
            // Slots older than the deadline are never started, so the search starts there.
            earliest = max(earliest, now.addingTimeInterval(-Double(deadline)))
        }
        let requeue = { (plan: CronJobPlan) in
            schedule.secondsUntilNextCheck(since: plan.status.lastScheduleTime ?? cronJob.creationTimestamp ?? now, now: now, in: zone)
        }
        let lookup: ScheduleLookup
        do {
            lookup = try schedule.mostRecent(since: earliest, now: now, in: zone)
        } catch {
            plan.events.append(.warning("InvalidSchedule", "invalid schedule: \(cronJob.schedule) : \(error.message)"))
            return
        }
        guard let slot = lookup.mostRecent else {
            plan.requeueAfter = requeue(plan)
            return
        }
        if lookup.missed == .many {
            plan.events.append(.warning("TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"))
        }
        if let deadline, slot.addingTimeInterval(Double(deadline)) < now {
            plan.events.append(.warning("MissSchedule", "Missed scheduled time to start a job: \(rfc1123Z(slot))"))
            plan.requeueAfter = requeue(plan)
            return
        }
        let name = jobName(cronJob.name, slot)
        if plan.status.active.contains(where: { $0.name == name && $0.namespace == cronJob.namespace })
            || plan.status.lastScheduleTime == slot {
            plan.requeueAfter = requeue(plan)  // this slot was already started
            return
        }
        if cronJob.concurrencyPolicy == .forbid, !plan.status.active.isEmpty {
            plan.events.append(.normal("JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid"))
            plan.requeueAfter = requeue(plan)
            return
        }
        if cronJob.concurrencyPolicy == .replace {
            plan.replaceDeletions = plan.status.active
            plan.status.active = []
        }
        plan.creation = CronJobPlan.Creation(job: job(for: cronJob, at: slot), scheduledTime: slot)
        var afterCreate = plan
        afterCreate.status.lastScheduleTime = slot
        plan.requeueAfter = requeue(afterCreate)
    }

    /// `<cronjob>-<minutes since the epoch>`: one name per slot, so a second create for the same
    /// slot (after a restart, or from a lagging cache) is AlreadyExists instead of a second run.
    static func jobName(_ cronJobName: String, _ scheduledTime: Date) -> String {
        "\(cronJobName)-\(Int64((scheduledTime.timeIntervalSince1970 / 60).rounded(.down)))"
    }

    /// The Job for a slot (upstream getJobFromTemplate2): the template's labels, annotations and
    /// spec; the scheduled-timestamp annotation in spec.timeZone (UTC without one); a controller
    /// reference to the CronJob.
    static func job(for cronJob: CronJobView, at scheduledTime: Date) -> JSONValue {
        let template = cronJob.jobTemplate
        var metadata = JSONObject([("name", .string(jobName(cronJob.name, scheduledTime))),
                                   ("namespace", .string(cronJob.namespace))])
        if let labels = template.value(at: ["metadata", "labels"]), labels.object?.isEmpty == false {
            metadata["labels"] = labels
        }
        var annotations = template.value(at: ["metadata", "annotations"]) ?? .emptyObject
        if annotations.object == nil { annotations = .emptyObject }
        let zone = (try? ZoneInfo.load(cronJob.timeZone ?? "").get()) ?? .gmt
        annotations[scheduledTimestampAnnotation] = .string(rfc3339(scheduledTime, in: zone))
        metadata["annotations"] = annotations
        metadata["ownerReferences"] = [OwnerReference.controlling(apiVersion: "batch/v1", kind: "CronJob", name: cronJob.name,
                                                                  uid: cronJob.uid).json]
        return .object(JSONObject([("apiVersion", "batch/v1"), ("kind", "Job"), ("metadata", .object(metadata)),
                                   ("spec", template["spec"] ?? .emptyObject)]))
    }

    /// Go's time.RFC3339 in a zone: `2026-03-08T03:00:00-04:00`, or `Z` for a zero offset.
    static func rfc3339(_ date: Date, in zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        return formatter.string(from: date)
    }

    /// Go's time.RFC1123Z in UTC: `Tue, 19 May 2016 10:00:00 +0000`.
    static func rfc1123Z(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
