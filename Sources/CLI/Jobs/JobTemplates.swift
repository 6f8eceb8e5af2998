import Model

/// New Jobs made from existing objects (pure): a rerun of a Job, and a manual run of a CronJob.
enum JobTemplates {
    /// Marks a rerun with the Job it repeats, so reruns of reruns keep the original's name.
    static let rerunOfAnnotation = "drover.dev/rerun-of"

    /// Labels and annotations the Job controller and admission set; a copy must not carry them.
    private static let controllerLabels: Set<String> = [JobView.controllerUIDLabel, JobView.jobNameLabel,
                                                          JobView.legacyControllerUIDLabel, JobView.legacyJobNameLabel]

    /// A new Job with `job`'s spec and template: named `<original>-<random>` (generateName), the
    /// selector and controller labels removed so the server makes fresh ones.
    static func rerun(of job: JSONValue) -> JSONValue {
        let view = JobView(job)
        let original = view.metadata.annotations[rerunOfAnnotation] ?? view.name
        var metadata = JSONObject([("generateName", .string(original + "-")), ("namespace", .string(view.namespace))])
        let labels = view.metadata.labels.filter { !controllerLabels.contains($0.key) }
        if !labels.isEmpty { metadata["labels"] = .stringMap(labels) }
        // The dependency controller's annotations describe the original's wait, not the copy's:
        // the copy keeps drover.dev/depends-on and waits afresh.
        let controllerAnnotations: Set<String> = ["kubectl.kubernetes.io/last-applied-configuration", JobDependencies.heldAnnotation,
                                                  JobDependencies.satisfiedAnnotation]
        var annotations = view.metadata.annotations.filter { !controllerAnnotations.contains($0.key) }
        annotations[rerunOfAnnotation] = original
        metadata["annotations"] = .stringMap(annotations)

        var spec = job["spec"] ?? .emptyObject
        // Suspended only by its dependencies: the copy is held by the server again, not left suspended.
        if view.isHeldByDependencies { spec["suspend"] = false }
        spec["selector"] = nil
        spec["manualSelector"] = nil
        var templateLabels = spec.value(at: ["template", "metadata", "labels"])?.stringMap ?? [:]
        templateLabels = templateLabels.filter { !controllerLabels.contains($0.key) }
        if spec.value(at: ["template", "metadata"]) != nil {
            spec.setValue(templateLabels.isEmpty ? nil : .stringMap(templateLabels), at: ["template", "metadata", "labels"])
        }
        return .object(JSONObject([("apiVersion", "batch/v1"), ("kind", "Job"), ("metadata", .object(metadata)), ("spec", spec)]))
    }

    /// What `kubectl create job NAME --from=cronjob/CJ` sends: the CronJob's jobTemplate, its labels
    /// and annotations, `cronjob.kubernetes.io/instantiate: manual`, and the CronJob as controller.
    static func manualRun(of cronJob: JSONValue, name: String) -> JSONValue {
        let view = CronJobView(cronJob)
        let template = view.jobTemplate
        var metadata = JSONObject([("name", .string(name)), ("namespace", .string(view.namespace))])
        if let labels = template.value(at: ["metadata", "labels"]), labels.object?.isEmpty == false { metadata["labels"] = labels }
        var annotations = template.value(at: ["metadata", "annotations"])?.stringMap ?? [:]
        annotations["cronjob.kubernetes.io/instantiate"] = "manual"
        metadata["annotations"] = .stringMap(annotations)
        metadata["ownerReferences"] = [OwnerReference.controlling(apiVersion: "batch/v1", kind: "CronJob", name: view.name, uid: view.uid).json]
        return .object(JSONObject([("apiVersion", "batch/v1"), ("kind", "Job"), ("metadata", .object(metadata)),
                                   ("spec", template["spec"] ?? .emptyObject)]))
    }
}
