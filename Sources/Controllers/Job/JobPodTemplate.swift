import Model

/// Turns a Job's pod template into the pod the controller creates (upstream's
/// GetPodFromTemplate plus the Job additions).
public enum JobPodTemplate {
    /// Upstream's limit on a generateName prefix (63 minus the 5 random characters the server adds).
    public static let maxGeneratedNameLength = 58
    /// The environment variable every container of an Indexed Job's pod gets.
    public static let completionIndexEnv = "JOB_COMPLETION_INDEX"

    /// `<job>-` (NonIndexed) or `<job>-<index>-` (Indexed), truncated so the server's 5 random
    /// characters still fit in 63; the index part is kept whole.
    public static func generateName(job: String, index: Int?) -> String {
        let suffix = index.map { "-\($0)-" } ?? "-"
        let prefix = job + suffix
        guard prefix.count > maxGeneratedNameLength else { return prefix }
        return String(job.prefix(maxGeneratedNameLength - suffix.count)) + suffix
    }

    /// The pod to POST for `job`, for completion `index` (Indexed Jobs), with the per-index failure
    /// counts carried over from the pod it replaces (backoffLimitPerIndex).
    public static func pod(for job: JobView, index: Int?, failureCount: Int? = nil, ignoredFailureCount: Int = 0) -> JSONValue {
        let template = job.template
        var metadata = JSONObject()
        metadata["generateName"] = .string(generateName(job: job.name, index: index))
        metadata["namespace"] = .string(job.namespace)

        var labels = template["metadata"]?["labels"]?.object ?? JSONObject()
        for (key, value) in [(JobView.controllerUIDLabel, job.uid), (JobView.jobNameLabel, job.name),
                             (JobView.legacyControllerUIDLabel, job.uid), (JobView.legacyJobNameLabel, job.name)]
        where labels[key] == nil {
            labels[key] = .string(value)
        }
        if let group = job.podGroupName, labels[PodGroupSpec.podGroupLabel] == nil { labels[PodGroupSpec.podGroupLabel] = .string(group) }
        var annotations = template["metadata"]?["annotations"]?.object ?? JSONObject()
        if let index {
            labels[JobView.completionIndexKey] = .string(String(index))
            annotations[JobView.completionIndexKey] = .string(String(index))
        }
        if let failureCount {
            annotations[JobView.indexFailureCountKey] = .string(String(failureCount))
            if ignoredFailureCount > 0 {
                annotations[JobView.indexIgnoredFailureCountKey] = .string(String(ignoredFailureCount))
            }
        }
        metadata["labels"] = .object(labels)
        if !annotations.isEmpty { metadata["annotations"] = .object(annotations) }

        var finalizers = template["metadata"]?["finalizers"]?.array ?? []
        if !finalizers.contains(.string(JobView.trackingFinalizer)) { finalizers.append(.string(JobView.trackingFinalizer)) }
        metadata["finalizers"] = .array(finalizers)
        metadata["ownerReferences"] = [OwnerReference.controlling(apiVersion: "batch/v1", kind: "Job", name: job.name, uid: job.uid).json]

        var spec = template["spec"] ?? .emptyObject
        if let index {
            spec["hostname"] = .string("\(job.name)-\(index)")
            for key in ["initContainers", "containers"] {
                guard let containers = spec[key]?.array else { continue }
                spec[key] = .array(containers.map(addingIndexEnv))
            }
        }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata), "spec": spec]
    }

    /// Adds `JOB_COMPLETION_INDEX` from the index label, unless the container sets it already.
    private static func addingIndexEnv(_ container: JSONValue) -> JSONValue {
        var env = container["env"]?.array ?? []
        if env.contains(where: { $0["name"]?.string == completionIndexEnv }) { return container }
        env.append(["name": .string(completionIndexEnv),
                    "valueFrom": ["fieldRef": ["fieldPath": .string("metadata.labels['\(JobView.completionIndexKey)']")]]])
        var out = container
        out["env"] = .array(env)
        return out
    }
}
