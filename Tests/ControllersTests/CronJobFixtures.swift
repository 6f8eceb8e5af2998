import Foundation
import Model
@testable import Controllers

/// Builders for CronJob controller tests; times are RFC 3339 strings.
enum CronFixture {
    static func date(_ text: String) -> Date { Timestamp.parse(text) ?? .distantPast }
    static let utc = TimeZone(identifier: "UTC") ?? .gmt

    static func cronJob(schedule: String = "0 * * * *", policy: String = "Allow", suspend: Bool = false,
                        deadline: Int64? = nil, timeZone: String? = nil, created: String = "2016-05-19T08:59:00Z",
                        lastSchedule: String? = nil, active: [CronJobChild] = [],
                        successfulLimit: Int64 = 3, failedLimit: Int64 = 1) -> JSONValue {
        var spec: JSONValue = [
            "schedule": .string(schedule), "concurrencyPolicy": .string(policy), "suspend": .bool(suspend),
            "successfulJobsHistoryLimit": .int(successfulLimit), "failedJobsHistoryLimit": .int(failedLimit),
            "jobTemplate": ["metadata": ["labels": ["a": "b"], "annotations": ["x": "y"]],
                            "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "c", "command": ["true"]]]]]]],
        ]
        if let deadline { spec["startingDeadlineSeconds"] = .int(deadline) }
        if let timeZone { spec["timeZone"] = .string(timeZone) }
        var status = JSONValue.emptyObject
        if let lastSchedule { status["lastScheduleTime"] = .string(lastSchedule) }
        if !active.isEmpty { status["active"] = .array(active.map(\.activeReference.json)) }
        return ["apiVersion": "batch/v1", "kind": "CronJob",
                "metadata": ["name": "cj", "namespace": "default", "uid": "cj-uid", "creationTimestamp": .string(created)],
                "spec": spec, "status": status]
    }

    /// A Job the CronJob controls; `outcome` nil is a running one.
    static func job(_ name: String, uid: String? = nil, outcome: CronJobChild.Outcome? = nil, start: String? = nil,
                    completion: String? = nil, owner: String = "cj-uid", manual: Bool = false) -> CronJobChild {
        var metadata: JSONValue = ["name": .string(name), "namespace": "default", "uid": .string(uid ?? "uid-\(name)"),
                                   "resourceVersion": "7",
                                   "ownerReferences": [OwnerReference(apiVersion: "batch/v1", kind: "CronJob", name: "cj", uid: owner,
                                                                      controller: true).json]]
        if manual { metadata["annotations"] = ["cronjob.kubernetes.io/instantiate": "manual"] }
        var status = JSONValue.emptyObject
        if let start { status["startTime"] = .string(start) }
        if let completion { status["completionTime"] = .string(completion) }
        if let outcome { status["conditions"] = [["type": .string(outcome.rawValue), "status": "True"]] }
        return CronJobChild(["apiVersion": "batch/v1", "kind": "Job", "metadata": metadata, "spec": .emptyObject, "status": status])
    }

    static func plan(_ cronJob: JSONValue, jobs: [CronJobChild] = [], now: String, gone: Set<String> = [],
                     local: TimeZone = utc) -> CronJobPlan {
        CronJobSync.plan(CronJobSyncInput(cronJob: CronJobView(cronJob), jobs: jobs, goneActive: gone, now: date(now), localTimeZone: local))
    }

    /// The name the controller gives the Job of a slot.
    static func name(_ slot: String) -> String { CronJobSync.jobName("cj", date(slot)) }
}
