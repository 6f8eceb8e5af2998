/// Workload (kueue.x-k8s.io/v1beta1): `podSets` (1–8, unique DNS-label names, `count` ≥ 0
/// defaulting to 1, a pod `template` with containers), `queueName`, an int32 `priority`,
/// `priorityClassSource`, `active` (default true) and `maximumExecutionTimeSeconds` (≥ 1). Once quota is reserved the pod sets,
/// queue and priority class cannot change (Kueue's webhook).
enum KueueWorkloadAdmission: KindAdmission {
    static func applyDefaults(to object: inout JSONValue, creating: Bool) {
        object.withChild("spec") { spec in
            spec.setDefault("active", true)
            spec.withEach("podSets") { podSet in
                podSet.setDefault("count", 1)
                podSet.withChild("template") { template in
                    template.withChild("spec", PodDefaults.applyToSpec)
                }
            }
        }
    }

    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        guard let spec = errors.object(object["spec"], path) else {
            if object["spec"] == nil { errors.required(path) }
            return
        }
        let podSetsPath = path.child("podSets")
        let podSets = errors.array(spec["podSets"], podSetsPath) ?? []
        if podSets.isEmpty { errors.required(podSetsPath, "a workload has at least one pod set") }
        if podSets.count > 8 { errors.tooMany(podSetsPath, max: 8) }
        var names = Set<String>()
        for (i, element) in podSets.enumerated() {
            let podSetPath = podSetsPath.index(i)
            guard let podSet = errors.object(element, podSetPath) else { continue }
            let name = errors.string(podSet["name"], podSetPath.child("name")) ?? ""
            if name.isEmpty {
                errors.required(podSetPath.child("name"))
            } else {
                errors.invalid(podSetPath.child("name"), name, messages: NameRules.dns1123Label(name))
                if !names.insert(name).inserted { errors.duplicate(podSetPath.child("name"), .string(name)) }
            }
            if let count = errors.int(podSet["count"], podSetPath.child("count")) {
                errors.nonNegative(count, podSetPath.child("count"))
            }
            if let minCount = errors.int(podSet["minCount"], podSetPath.child("minCount")) {
                errors.nonNegative(minCount, podSetPath.child("minCount"))
            }
            let templatePath = podSetPath.child("template")
            guard let template = errors.object(podSet["template"], templatePath) else {
                if podSet["template"] == nil { errors.required(templatePath) }
                continue
            }
            let containersPath = templatePath.child("spec", "containers")
            let containers = errors.array(template["spec"]?["containers"], containersPath) ?? []
            if containers.isEmpty { errors.required(containersPath, "a pod template has at least one container") }
            for (c, container) in containers.enumerated() {
                ContainerValidation.validateResources(container["resources"], containersPath.index(c).child("resources"), into: &errors)
            }
        }
        if let queue = errors.string(spec["queueName"], path.child("queueName")), !queue.isEmpty {
            errors.invalid(path.child("queueName"), queue, messages: NameRules.dns1123Subdomain(queue))
        }
        if let priority = errors.int(spec["priority"], path.child("priority")),
           priority < Int64(Int32.min) || priority > Int64(Int32.max) {
            errors.invalid(path.child("priority"), .int(priority), "must be a 32-bit integer")
        }
        _ = errors.string(spec["priorityClassName"], path.child("priorityClassName"))
        errors.oneOf(spec["priorityClassSource"], path.child("priorityClassSource"),
                     ["", Kueue.workloadPriorityClassSource, Kueue.podPriorityClassSource])
        _ = errors.bool(spec["active"], path.child("active"))
        if let seconds = errors.int(spec["maximumExecutionTimeSeconds"], path.child("maximumExecutionTimeSeconds")), seconds < 1 {
            errors.invalid(path.child("maximumExecutionTimeSeconds"), .int(seconds), "should be greater than or equal to 1")
        }
    }

    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {
        guard WorkloadView(old).hasQuotaReservation else { return }
        let path = FieldPath("spec")
        for key in ["podSets", "queueName", "priorityClassName", "priorityClassSource"] {
            let new = object["spec"]?[key] ?? .null
            if new != (old["spec"]?[key] ?? .null) {
                errors.invalid(path.child(key), new, "field is immutable while the workload holds quota")
            }
        }
    }

    static func validateStatus(_ status: JSONValue, into errors: inout FieldErrors) {
        let path = FieldPath("status")
        if let admission = errors.object(status["admission"], path.child("admission")) {
            _ = KueueValidation.reference(admission["clusterQueue"], path.child("admission", "clusterQueue"), required: true,
                                          into: &errors)
            _ = errors.array(admission["podSetAssignments"], path.child("admission", "podSetAssignments"))
        }
        for (i, element) in (errors.array(status["conditions"], path.child("conditions")) ?? []).enumerated() {
            let conditionPath = path.child("conditions").index(i)
            guard let condition = errors.object(element, conditionPath) else { continue }
            if (errors.string(condition["type"], conditionPath.child("type")) ?? "").isEmpty { errors.required(conditionPath.child("type")) }
            errors.oneOf(condition["status"], conditionPath.child("status"), ["True", "False", "Unknown"], required: true)
        }
    }
}

/// The Kueue part of Job admission: a Job labelled `kueue.x-k8s.io/queue-name` is created
/// suspended, as Kueue's Job webhook makes it, so it waits for the queue manager to admit its
/// Workload; the label must be a valid queue name.
enum JobQueueAdmission {
    static func suspendQueued(_ object: inout JSONValue) {
        guard let queue = object["metadata"]?["labels"]?[Kueue.queueNameLabel]?.string, !queue.isEmpty else { return }
        object.setValue(true, at: ["spec", "suspend"])
    }

    static func validate(_ object: JSONValue, into errors: inout FieldErrors) {
        guard let queue = object["metadata"]?["labels"]?[Kueue.queueNameLabel]?.string, !queue.isEmpty else { return }
        errors.invalid(FieldPath("metadata").child("labels").key(Kueue.queueNameLabel), queue,
                       messages: NameRules.dns1123Subdomain(queue))
    }
}
