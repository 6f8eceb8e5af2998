import Foundation
import Model

/// The Workload Kueue's batch/Job integration makes for a queued Job: named `job-<name>-<uid5>`,
/// controlled by the Job (so the garbage collector deletes it with the Job), one pod set `main`
/// of the Job's template × parallelism (capped by completions), the Job's queue and priority.
public enum WorkloadBuilder {
    public static func name(for job: JobView) -> String {
        let base = "job-\(job.name)"
        let suffix = String(job.uid.replacingOccurrences(of: "-", with: "").prefix(5))
        return String(base.prefix(253 - 6)) + "-" + suffix
    }

    public static func workload(for job: JobView, priority: WorkloadPriority) -> JSONValue {
        var count = job.parallelism
        if let completions = job.completions { count = min(count, completions) }
        var spec: JSONValue = [
            "queueName": .string(job.queueName ?? ""), "active": true, "priority": .int(Int64(priority.value)),
            "podSets": [["name": .string(Kueue.mainPodSet), "count": .int(Int64(count)), "template": job.template]],
        ]
        if let className = priority.className { spec["priorityClassName"] = .string(className) }
        // Kueue's maximum execution time: the bound backfill plans with.
        if let deadline = job.activeDeadlineSeconds, deadline >= 1 { spec["maximumExecutionTimeSeconds"] = .int(Int64(deadline)) }
        if let source = priority.source { spec["priorityClassSource"] = .string(source) }
        let owner: JSONValue = ["apiVersion": .string(ResourceCatalog.jobs.apiVersion), "kind": "Job", "name": .string(job.name),
                                "uid": .string(job.uid), "controller": true, "blockOwnerDeletion": true]
        return ["apiVersion": .string(ResourceCatalog.workloads.apiVersion), "kind": "Workload",
                "metadata": ["name": .string(name(for: job)), "namespace": .string(job.namespace),
                             "labels": [Kueue.jobUIDLabel: .string(job.uid)], "ownerReferences": [owner]],
                "spec": spec]
    }

    /// The Workload's priority: the WorkloadPriorityClass the Job's label names, else the pod
    /// template's PriorityClass, else the global default PriorityClass, else 0.
    public static func priority(for job: JobView, workloadClasses: (String) -> JSONValue?,
                                podClasses: [PriorityClasses.Class]) -> WorkloadPriority {
        if let name = job.metadata.labels[Kueue.priorityClassLabel], let found = workloadClasses(name) {
            return WorkloadPriority(value: Int(found["value"]?.int ?? 0), className: name, source: Kueue.workloadPriorityClassSource)
        }
        if let name = job.template["spec"]?["priorityClassName"]?.string, let found = podClasses.first(where: { $0.name == name }) {
            return WorkloadPriority(value: Int(found.value), className: name, source: Kueue.podPriorityClassSource)
        }
        if let found = podClasses.first(where: \.globalDefault) {
            return WorkloadPriority(value: Int(found.value), className: found.name, source: Kueue.podPriorityClassSource)
        }
        return WorkloadPriority()
    }
}
