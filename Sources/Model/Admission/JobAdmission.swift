/// Jobs (batch/v1): defaults, the generated selector and pod labels, spec validation and immutability.
enum JobAdmission: KindAdmission {
    static let controllerUIDLabel = "batch.kubernetes.io/controller-uid"
    static let jobNameLabel = "batch.kubernetes.io/job-name"
    static let legacyControllerUIDLabel = "controller-uid"
    static let legacyJobNameLabel = "job-name"

    static func applyDefaults(to object: inout JSONValue, creating: Bool) {
        let name = object["metadata"]?["name"]?.string ?? ""
        let uid = object["metadata"]?["uid"]?.string ?? ""
        object.withChild("spec") { spec in
            if (spec["completions"] ?? .null).isNull && (spec["parallelism"] ?? .null).isNull {
                spec["completions"] = 1
                spec["parallelism"] = 1
            }
            spec.setDefault("parallelism", 1)
            let perIndex = !(spec["backoffLimitPerIndex"] ?? .null).isNull
            spec.setDefault("backoffLimit", .int(perIndex ? Int64(Int32.max) : 6))
            spec.setDefault("completionMode", "NonIndexed")
            spec.setDefault("suspend", false)
            let hasFailurePolicy = !(spec["podFailurePolicy"] ?? .null).isNull
            spec.setDefault("podReplacementPolicy", hasFailurePolicy ? "Failed" : "TerminatingOrFailed")
            spec.withChild("template") { template in
                template.withChild("spec", PodDefaults.applyToSpec)
            }
            if creating && spec["manualSelector"]?.bool != true {
                generateSelector(in: &spec, name: name, uid: uid)
            }
        }
        if creating {
            JobDependencyAdmission.hold(&object)
            // After the dependency hold, so a queued Job with dependencies is still held by them.
            JobQueueAdmission.suspendQueued(&object)
        }
    }

    /// Labels the pod template with the job's uid and name and selects on the uid, keeping labels the
    /// user already set (validation then reports any mismatch).
    private static func generateSelector(in spec: inout JSONValue, name: String, uid: String) {
        spec.withChild("template") { template in
            template.withChild("metadata") { metadata in
                metadata.withChild("labels") { labels in
                    labels.setDefault(controllerUIDLabel, .string(uid))
                    labels.setDefault(jobNameLabel, .string(name))
                    labels.setDefault(legacyControllerUIDLabel, .string(uid))
                    labels.setDefault(legacyJobNameLabel, .string(name))
                }
            }
        }
        spec.withChild("selector") { selector in
            selector.withChild("matchLabels") { $0.setDefault(controllerUIDLabel, .string(uid)) }
        }
    }

    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        JobDependencyAdmission.validate(object, into: &errors)
        JobQueueAdmission.validate(object, into: &errors)
        guard let spec = errors.object(object["spec"], path) else { return }
        validateSpec(spec, path, isTemplate: false, into: &errors)
        // Upstream checks the generated labels on create; afterwards the template is immutable anyway.
        if creating && spec["manualSelector"]?.bool != true {
            validateGeneratedSelector(spec, metadata: object["metadata"] ?? .emptyObject, into: &errors)
        }
    }

    /// The generated labels must be on the template with the job's values, and the selector must select them.
    private static func validateGeneratedSelector(_ spec: JSONValue, metadata: JSONValue, into errors: inout FieldErrors) {
        let uid = metadata["uid"]?.string ?? ""
        let name = metadata["name"]?.string ?? ""
        if uid.isEmpty { errors.required(FieldPath("metadata").child("uid")) }
        let labelsPath = FieldPath("spec").child("template", "metadata", "labels")
        let labels = spec["template"]?["metadata"]?["labels"]
        let expected = [(legacyControllerUIDLabel, uid), (legacyJobNameLabel, name), (controllerUIDLabel, uid), (jobNameLabel, name)]
        for (key, value) in expected {
            switch labels?[key]?.string {
            case nil: errors.required(labelsPath.key(key), "must be '\(value)'")
            case let actual? where actual != value: errors.invalid(labelsPath.key(key), .string(actual), "must be '\(value)'")
            default: break
            }
        }
        if let selector = spec["selector"], selector.object != nil,
           MetadataValidation.selector(selector, matches: .stringMap(Dictionary(uniqueKeysWithValues: expected))) == false {
            errors.invalid(FieldPath("spec").child("selector"), selector, "`selector` not auto-generated")
        }
    }

    /// JobSpec rules shared with CronJob's jobTemplate; templates must not carry a selector.
    static func validateSpec(_ spec: JSONValue, _ path: FieldPath, isTemplate: Bool, into errors: inout FieldErrors) {
        for key in ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished",
                    "backoffLimitPerIndex", "maxFailedIndexes"] {
            errors.nonNegativeInt(spec[key], path.child(key))
        }
        _ = errors.bool(spec["suspend"], path.child("suspend"))
        let manual = errors.bool(spec["manualSelector"], path.child("manualSelector"))
        errors.oneOf(spec["completionMode"], path.child("completionMode"), ["NonIndexed", "Indexed"])
        if spec["completionMode"]?.string == "Indexed", (spec["completions"] ?? .null).isNull {
            errors.required(path.child("completions"), "when completion mode is Indexed")
        }
        errors.oneOf(spec["podReplacementPolicy"], path.child("podReplacementPolicy"), ["TerminatingOrFailed", "Failed"])
        _ = errors.object(spec["podFailurePolicy"], path.child("podFailurePolicy"))

        let templatePath = path.child("template")
        PodSpecValidation.validateTemplate(spec["template"], templatePath, into: &errors)
        let restartPolicy = spec["template"]?["spec"]?["restartPolicy"] ?? .string("")
        if restartPolicy != "OnFailure" && restartPolicy != "Never" {
            errors.notSupported(templatePath.child("spec", "restartPolicy"), restartPolicy, ["OnFailure", "Never"])
        }

        if isTemplate {
            if let selector = spec["selector"], !selector.isNull {
                errors.invalid(path.child("selector"), selector, "`selector` will be auto-generated")
            }
            if manual == true {
                errors.notSupported(path.child("manualSelector"), .bool(true), ["nil", "false"])
            }
            return
        }
        let selectorPath = path.child("selector")
        guard let selector = spec["selector"], !selector.isNull else {
            errors.required(selectorPath)
            return
        }
        MetadataValidation.validateLabelSelector(selector, selectorPath, into: &errors)
        let labels = spec["template"]?["metadata"]?["labels"]
        if selector.object != nil, MetadataValidation.selector(selector, matches: labels) == false {
            errors.invalid(templatePath.child("metadata", "labels"), labels ?? .null, "`selector` does not match template `labels`")
        }
    }

    /// completions, completionMode, selector and template are immutable.
    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        for key in ["completions", "completionMode", "selector", "template"] {
            let new = object["spec"]?[key] ?? .null
            if new != (old["spec"]?[key] ?? .null) {
                if key == "template", schedulingDirectivesMayChange(old),
                   withoutSchedulingDirectives(new) == withoutSchedulingDirectives(old["spec"]?[key] ?? .null) {
                    continue
                }
                errors.invalid(path.child(key), new, "field is immutable")
            }
        }
        JobDependencyAdmission.validateUpdate(object, old: old, into: &errors)
    }

    /// Upstream's mutable scheduling directives (KEP-2926, what Kueue relies on): while a Job is
    /// suspended its template's node selector, affinity, tolerations, scheduling gates, labels and
    /// annotations may change. Upstream requires that it never started (it resets startTime on
    /// suspension); Drover keeps startTime, so it requires that no pod of it is active instead.
    private static func schedulingDirectivesMayChange(_ old: JSONValue) -> Bool {
        old["spec"]?["suspend"]?.bool == true && (old["status"]?["active"]?.int ?? 0) == 0
    }

    private static func withoutSchedulingDirectives(_ template: JSONValue) -> JSONValue {
        var stripped = template
        for key in ["nodeSelector", "affinity", "tolerations", "schedulingGates"] { stripped.setValue(nil, at: ["spec", key]) }
        for key in ["labels", "annotations"] { stripped.setValue(nil, at: ["metadata", key]) }
        return stripped
    }

    static func validateStatus(_ status: JSONValue, into errors: inout FieldErrors) {
        StatusValidation.validateCounters(status, ["active", "succeeded", "failed", "ready", "terminating"], into: &errors)
    }
}
