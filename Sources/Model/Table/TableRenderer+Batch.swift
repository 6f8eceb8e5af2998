import Foundation

extension TableRenderer {
    static let jobColumns: [TableColumn] = [
        .name,
        TableColumn("Status", "Status of the job."),
        TableColumn("Completions", "The number of pods which reached phase Succeeded, of those wanted."),
        TableColumn("Duration", "Time required to complete the job."),
        .age, .containers, .images,
        .selector("A label query over pods that should match the pod count."),
    ]

    static let cronJobColumns: [TableColumn] = [
        .name,
        TableColumn("Schedule", "The schedule in Cron format."),
        TableColumn("Timezone", "The time zone name for the schedule."),
        TableColumn("Suspend", type: "boolean", "Whether subsequent executions are suspended."),
        TableColumn("Active", type: "integer", "The number of currently running jobs."),
        TableColumn("Last Schedule", "Time since the job was last successfully scheduled."),
        .age, .containers, .images,
        .selector("A label query over pods that should match the pod count."),
    ]

    /// The coscheduling CRD's printer columns.
    static let podGroupColumns: [TableColumn] = [
        .name,
        TableColumn("Phase", "Current phase of PodGroup."),
        TableColumn("MinMember", type: "integer", "MinMember defines the minimal number of members/tasks to run the pod group."),
        TableColumn("Running", "The number of actively running pods."),
        TableColumn("Succeeded", "The number of pods which reached phase Succeeded."),
        TableColumn("Failed", "The number of pods which reached phase Failed."),
        .age,
    ]

    func podGroupCells(_ group: PrintedObject) -> [JSONValue] {
        func count(_ field: String) -> JSONValue { group.has("status", field) ? .string(String(group.int("status", field))) : .null }
        return [.string(group.name), .string(group.string("status", "phase")), .int(group.int("spec", "minMember")),
                count("running"), count("succeeded"), count("failed"), age(group)]
    }

    func jobCells(_ job: PrintedObject) -> [JSONValue] {
        let succeeded = job.int("status", "succeeded")
        let completions: String
        if job.has("spec", "completions") {
            completions = "\(succeeded)/\(job.int("spec", "completions"))"
        } else if job.int("spec", "parallelism") > 1 {
            completions = "\(succeeded)/1 of \(job.int("spec", "parallelism"))"
        } else {
            completions = "\(succeeded)/1"
        }
        var duration = ""
        if let start = job.time("status", "startTime") {
            if let end = job.time("status", "completionTime") {
                duration = HumanDuration.format(end.timeIntervalSince(start))
            } else {
                duration = since(start)
            }
        }
        let template = job.value(["spec", "template", "spec"])
        let (names, images) = CellText.containers(ofPodSpec: template)
        return [.string(job.name), .string(Self.jobStatus(job)), .string(completions), .string(duration), age(job),
                names, images, .string(CellText.formattedSelector(job.value(["spec", "selector"])))]
    }

    /// Upstream's precedence: finished states first, then deletion, suspension and the 1.31 interim conditions.
    static func jobStatus(_ job: PrintedObject) -> String {
        func isTrue(_ type: String) -> Bool { job.conditionStatus(type, in: "status", "conditions") == "True" }
        if isTrue("Complete") { return "Complete" }
        if isTrue("Failed") { return "Failed" }
        if job.has("metadata", "deletionTimestamp") { return "Terminating" }
        if isTrue("Suspended") { return "Suspended" }
        if isTrue("FailureTarget") { return "FailureTarget" }
        if isTrue("SuccessCriteriaMet") { return "SuccessCriteriaMet" }
        return "Running"
    }

    func cronJobCells(_ cronJob: PrintedObject) -> [JSONValue] {
        let lastSchedule = cronJob.time("status", "lastScheduleTime").map { since($0) } ?? "<none>"
        let suspend = cronJob.value(["spec", "suspend"])?.bool.map { $0 ? "True" : "False" } ?? "<unset>"
        let jobSpec = cronJob.value(["spec", "jobTemplate", "spec"])
        let (names, images) = CellText.containers(ofPodSpec: jobSpec?.value(at: ["template", "spec"]))
        return [
            .string(cronJob.name), .string(cronJob.string("spec", "schedule")),
            .string(cronJob.string("spec", "timeZone").orNone), .string(suspend),
            .int(Int64(cronJob.array("status", "active").count)), .string(lastSchedule), age(cronJob),
            names, images, .string(CellText.formattedSelector(jobSpec?["selector"])),
        ]
    }
}
