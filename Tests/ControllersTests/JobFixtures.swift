import Foundation
import Model
@testable import Controllers

/// Jobs and pods for the Job controller's tests, as the API server would store them.
enum JobFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func job(_ name: String = "pi", uid: String = "job-uid", spec: JSONValue = [:], status: JSONValue? = nil) -> JSONValue {
        var s: JSONValue = ["parallelism": 1, "completions": 1, "backoffLimit": 6, "completionMode": "NonIndexed",
                             "suspend": false, "podReplacementPolicy": "TerminatingOrFailed",
                             "selector": ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]],
                             "template": ["metadata": ["labels": ["batch.kubernetes.io/controller-uid": .string(uid),
                                                                  "batch.kubernetes.io/job-name": .string(name),
                                                                  "controller-uid": .string(uid), "job-name": .string(name)]],
                                          "spec": ["restartPolicy": "Never",
                                                   "containers": [["name": "main", "image": "busybox", "command": ["true"]]]]]]
        for (k, v) in spec.object?.pairs ?? [] { s[k] = v.isNull ? nil : v }
        var job: JSONValue = ["apiVersion": "batch/v1", "kind": "Job",
                              "metadata": ["name": .string(name), "namespace": "default", "uid": .string(uid),
                                           "resourceVersion": "1", "creationTimestamp": .string(Timestamp.format(t0))],
                              "spec": s]
        if let status { job["status"] = status }
        return job
    }

    /// A pod of `job` in `phase`; `finishedAt` sets a terminated container state.
    static func pod(_ name: String, job: String = "pi", jobUID: String = "job-uid", phase: String = "Running",
                    index: Int? = nil, finalizer: Bool = true, created: Date = t0, exitCode: Int? = nil,
                    finishedAt: Date? = nil, deleting: Bool = false, ready: Bool = false, node: String? = "n1",
                    annotations: [String: String] = [:], conditions: [JSONValue] = []) -> JSONValue {
        var ann = annotations
        if let index { ann[JobView.completionIndexKey] = String(index) }
        var metadata: JSONValue = ["name": .string(name), "namespace": "default", "uid": .string("uid-\(name)"),
                                    "creationTimestamp": .string(Timestamp.format(created)),
                                    "labels": ["batch.kubernetes.io/controller-uid": .string(jobUID)],
                                    "ownerReferences": [OwnerReference.controlling(apiVersion: "batch/v1", kind: "Job", name: job, uid: jobUID).json]]
        if !ann.isEmpty { metadata["annotations"] = .stringMap(ann) }
        if finalizer { metadata["finalizers"] = [.string(JobView.trackingFinalizer)] }
        if deleting { metadata["deletionTimestamp"] = .string(Timestamp.format(created.addingTimeInterval(5))) }
        var status: JSONValue = ["phase": .string(phase)]
        var conds = conditions
        if ready { conds.append(["type": "Ready", "status": "True"]) }
        if !conds.isEmpty { status["conditions"] = .array(conds) }
        if exitCode != nil || finishedAt != nil {
            let terminated: JSONValue = ["exitCode": .int(Int64(exitCode ?? 0)),
                                         "finishedAt": .string(Timestamp.format(finishedAt ?? created))]
            status["containerStatuses"] = [["name": "main", "state": ["terminated": terminated]]]
        }
        var spec: JSONValue = ["containers": [["name": "main"]]]
        if let node { spec["nodeName"] = .string(node) }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec, "status": status]
    }

    static func plan(_ job: JSONValue, _ pods: [JSONValue] = [], now: Date = t0.addingTimeInterval(60),
                     satisfied: Bool = true, inFlight: Set<String> = []) -> JobPlan {
        JobReconciler.plan(JobSyncInput(job: JobView(job), pods: pods.map(PodView.init), now: now,
                                        expectationsSatisfied: satisfied, finalizerRemovalsInFlight: inFlight))
    }

    static func unschedulable(_ message: String) -> JSONValue {
        ["type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": .string(message)]
    }
}
