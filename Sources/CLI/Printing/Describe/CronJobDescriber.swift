import Foundation
import Model

/// `describe cronjob`: schedule and policies, the job template, last schedule and successful
/// times, the Jobs it is running (`Active Jobs`), and events.
enum CronJobDescriber {
    static func describe(_ cronJob: JSONValue, jobs: [JSONValue], events: [JSONValue], now: Date) -> String {
        var w = DescribeWriter(now: now)
        let spec = cronJob["spec"] ?? .emptyObject
        let jobSpec = spec.value(at: ["jobTemplate", "spec"]) ?? .emptyObject
        func unset(_ value: JSONValue?) -> String { value.map(DescribeFormat.scalar) ?? "<unset>" }
        w.metadata(cronJob, namespaced: true)
        w.line(0, "Schedule:", spec["schedule"]?.string ?? "")
        if let zone = spec["timeZone"]?.string { w.line(0, "Time Zone:", zone) }
        w.line(0, "Concurrency Policy:", spec["concurrencyPolicy"]?.string ?? "Allow")
        w.line(0, "Suspend:", (spec["suspend"]?.bool ?? false) ? "True" : "False")
        w.line(0, "Successful Job History Limit:", unset(spec["successfulJobsHistoryLimit"]))
        w.line(0, "Failed Job History Limit:", unset(spec["failedJobsHistoryLimit"]))
        w.line(0, "Starting Deadline Seconds:", spec["startingDeadlineSeconds"].map { DescribeFormat.scalar($0) + "s" } ?? "<unset>")
        w.line(0, "Selector:", jobSpec["selector"] == nil ? "<unset>" : SelectorText.render(jobSpec["selector"]))
        w.line(0, "Parallelism:", unset(jobSpec["parallelism"]))
        w.line(0, "Completions:", unset(jobSpec["completions"]))
        if let deadline = jobSpec["activeDeadlineSeconds"] { w.line(0, "Active Deadline Seconds:", DescribeFormat.scalar(deadline) + "s") }
        PodTemplateSection.write(jobSpec["template"], to: &w)
        let status = cronJob["status"] ?? .emptyObject
        w.line(0, "Last Schedule Time:", status["lastScheduleTime"] == nil ? "<unset>" : DescribeFormat.time(status["lastScheduleTime"]))
        if status["lastSuccessfulTime"] != nil { w.line(0, "Last Successful Time:", DescribeFormat.time(status["lastSuccessfulTime"])) }
        let active = (status["active"]?.array ?? []).compactMap { $0["name"]?.string }
        w.line(0, "Active Jobs:", active.isEmpty ? "<none>" : active.joined(separator: ", "))
        if !jobs.isEmpty {
            w.line(0, "Jobs:")
            let rows = jobs.map { job -> [String] in
                let view = JobView(job)
                let state = view.condition(JobCondition.complete)?.isTrue == true ? "Complete"
                    : view.condition(JobCondition.failed)?.isTrue == true ? "Failed" : "Running"
                let age = view.metadata.creationTimestamp.map { HumanDuration.format(now.timeIntervalSince($0)) } ?? "<unknown>"
                return [view.name, state, "\(view.status.succeeded)/\(view.completions.map(String.init) ?? "1")", age]
            }
            w.table(1, header: ["Name", "Status", "Completions", "Age"], rows: rows)
        }
        EventsSection.write(events, to: &w)
        return w.text
    }
}
