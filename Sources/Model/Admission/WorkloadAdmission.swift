/// Deployments (apps/v1).
enum DeploymentAdmission: KindAdmission {
    static func applyDefaults(to object: inout JSONValue, creating: Bool) {
        object.withChild("spec") { spec in
            spec.setDefault("replicas", 1)
            WorkloadRules.defaultRollingStrategy(in: &spec, key: "strategy", maxUnavailable: "25%", maxSurge: "25%")
            spec.setDefault("revisionHistoryLimit", 10)
            spec.setDefault("progressDeadlineSeconds", 600)
            WorkloadRules.defaultTemplate(in: &spec)
        }
    }

    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        guard let spec = errors.object(object["spec"], path) else { return }
        WorkloadRules.validateReplicatedSpec(spec, path, kindWord: "ReplicaSet", into: &errors)
        errors.nonNegativeInt(spec["revisionHistoryLimit"], path.child("revisionHistoryLimit"))
        _ = errors.bool(spec["paused"], path.child("paused"))
        if let deadline = errors.int(spec["progressDeadlineSeconds"], path.child("progressDeadlineSeconds")) {
            errors.nonNegative(deadline, path.child("progressDeadlineSeconds"))
            if deadline <= (spec["minReadySeconds"]?.int ?? 0) {
                errors.invalid(path.child("progressDeadlineSeconds"), .int(deadline), "must be greater than minReadySeconds")
            }
        }
        let strategyPath = path.child("strategy")
        guard let strategy = errors.object(spec["strategy"], strategyPath) else { return }
        let rolling = strategy["rollingUpdate"].flatMap { $0.isNull ? nil : $0 }
        switch errors.string(strategy["type"], strategyPath.child("type")) ?? "" {
        case "Recreate":
            if rolling != nil {
                errors.forbidden(strategyPath.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'")
            }
        case "RollingUpdate":
            if let rolling = errors.object(rolling, strategyPath.child("rollingUpdate")) {
                WorkloadRules.validateRollingUpdate(rolling, strategyPath.child("rollingUpdate"),
                                                    bothZeroMessage: "may not be 0 when `maxSurge` is 0", into: &errors)
            } else {
                errors.required(strategyPath.child("rollingUpdate"), "this should be defaulted and never be nil")
            }
        case let other:
            errors.notSupported(strategyPath.child("type"), .string(other), ["Recreate", "RollingUpdate"])
        }
    }

    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {
        WorkloadRules.validateSelectorImmutable(object, old: old, into: &errors)
    }

    static func validateStatus(_ status: JSONValue, into errors: inout FieldErrors) {
        StatusValidation.validateCounters(status, ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas",
                                                   "unavailableReplicas", "collisionCount"], into: &errors)
    }
}

/// ReplicaSets (apps/v1).
enum ReplicaSetAdmission: KindAdmission {
    static func applyDefaults(to object: inout JSONValue, creating: Bool) {
        object.withChild("spec") { spec in
            spec.setDefault("replicas", 1)
            WorkloadRules.defaultTemplate(in: &spec)
        }
    }

    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        guard let spec = errors.object(object["spec"], path) else { return }
        WorkloadRules.validateReplicatedSpec(spec, path, kindWord: "ReplicaSet", into: &errors)
    }

    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {
        WorkloadRules.validateSelectorImmutable(object, old: old, into: &errors)
    }

    static func validateStatus(_ status: JSONValue, into errors: inout FieldErrors) {
        StatusValidation.validateCounters(status, ["replicas", "fullyLabeledReplicas", "readyReplicas",
                                                   "availableReplicas", "terminatingReplicas"], into: &errors)
    }
}

/// DaemonSets (apps/v1).
enum DaemonSetAdmission: KindAdmission {
    static func applyDefaults(to object: inout JSONValue, creating: Bool) {
        object.withChild("spec") { spec in
            WorkloadRules.defaultRollingStrategy(in: &spec, key: "updateStrategy", maxUnavailable: 1, maxSurge: 0)
            spec.setDefault("revisionHistoryLimit", 10)
            WorkloadRules.defaultTemplate(in: &spec)
        }
    }

    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        guard let spec = errors.object(object["spec"], path) else { return }
        WorkloadRules.validateSelectorAndTemplate(spec, path, kindWord: "DaemonSet", into: &errors)
        errors.nonNegativeInt(spec["minReadySeconds"], path.child("minReadySeconds"))
        errors.nonNegativeInt(spec["revisionHistoryLimit"], path.child("revisionHistoryLimit"))
        let strategyPath = path.child("updateStrategy")
        guard let strategy = errors.object(spec["updateStrategy"], strategyPath) else { return }
        switch errors.string(strategy["type"], strategyPath.child("type")) ?? "" {
        case "OnDelete":
            break
        case "RollingUpdate":
            if let rolling = errors.object(strategy["rollingUpdate"], strategyPath.child("rollingUpdate")) {
                WorkloadRules.validateRollingUpdate(rolling, strategyPath.child("rollingUpdate"),
                                                    bothZeroMessage: "cannot be 0 when maxSurge is 0", into: &errors)
            }
        case let other:
            errors.notSupported(strategyPath.child("type"), .string(other), ["OnDelete", "RollingUpdate"])
        }
    }

    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {
        WorkloadRules.validateSelectorImmutable(object, old: old, into: &errors)
    }

    static func validateStatus(_ status: JSONValue, into errors: inout FieldErrors) {
        StatusValidation.validateCounters(status, ["currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled",
                                                   "numberReady", "updatedNumberScheduled", "numberAvailable",
                                                   "numberUnavailable", "collisionCount"], into: &errors)
    }
}

/// Rules the apps kinds share: selector versus template, restartPolicy Always, rolling-update bounds.
enum WorkloadRules {
    static let percentFormat = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"

    /// Strategy type RollingUpdate unless set, and the rolling-update bounds when the type is RollingUpdate.
    static func defaultRollingStrategy(in spec: inout JSONValue, key: String, maxUnavailable: JSONValue, maxSurge: JSONValue) {
        spec.withChild(key) { strategy in
            strategy.setDefault("type", "RollingUpdate")
            guard strategy["type"] == "RollingUpdate" else { return }
            strategy.withChild("rollingUpdate") { rolling in
                rolling.setDefault("maxUnavailable", maxUnavailable)
                rolling.setDefault("maxSurge", maxSurge)
            }
        }
    }

    static func defaultTemplate(in spec: inout JSONValue) {
        spec.withChild("template") { template in
            template.withChild("spec", PodDefaults.applyToSpec)
        }
    }

    /// Deployment and ReplicaSet: replicas and minReadySeconds, then selector and template.
    static func validateReplicatedSpec(_ spec: JSONValue, _ path: FieldPath, kindWord: String, into errors: inout FieldErrors) {
        errors.nonNegativeInt(spec["replicas"], path.child("replicas"))
        errors.nonNegativeInt(spec["minReadySeconds"], path.child("minReadySeconds"))
        validateSelectorAndTemplate(spec, path, kindWord: kindWord, into: &errors)
    }

    static func validateSelectorAndTemplate(_ spec: JSONValue, _ path: FieldPath, kindWord: String, into errors: inout FieldErrors) {
        let selectorPath = path.child("selector")
        let templatePath = path.child("template")
        let labels = spec["template"]?["metadata"]?["labels"]
        if let selector = spec["selector"], !selector.isNull {
            MetadataValidation.validateLabelSelector(selector, selectorPath, into: &errors)
            if selector.object != nil {
                if MetadataValidation.isEmptySelector(selector) {
                    // Upstream says "deployment" for every apps kind.
                    errors.invalid(selectorPath, selector, "empty selector is invalid for deployment")
                } else if MetadataValidation.selector(selector, matches: labels) == false {
                    errors.invalid(templatePath.child("metadata", "labels"), labels ?? .null, "`selector` does not match template `labels`")
                }
            }
        } else {
            errors.required(selectorPath)
        }
        PodSpecValidation.validateTemplate(spec["template"], templatePath, into: &errors)
        let restartPolicy = spec["template"]?["spec"]?["restartPolicy"] ?? .string("")
        if restartPolicy != "Always" {
            errors.notSupported(templatePath.child("spec", "restartPolicy"), restartPolicy, ["Always"])
        }
        if let deadline = spec["template"]?["spec"]?["activeDeadlineSeconds"], !deadline.isNull {
            errors.forbidden(templatePath.child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in \(kindWord) is not Supported")
        }
    }

    static func validateRollingUpdate(_ rolling: JSONValue, _ path: FieldPath, bothZeroMessage: String, into errors: inout FieldErrors) {
        let maxUnavailable = rolling["maxUnavailable"] ?? .null
        let maxSurge = rolling["maxSurge"] ?? .null
        validateIntOrPercent(maxUnavailable, path.child("maxUnavailable"), into: &errors)
        validateIntOrPercent(maxSurge, path.child("maxSurge"), into: &errors)
        if intOrPercentValue(maxUnavailable) == 0 && intOrPercentValue(maxSurge) == 0 {
            errors.invalid(path.child("maxUnavailable"), maxUnavailable, bothZeroMessage)
        }
        if maxUnavailable.string != nil, let percent = intOrPercentValue(maxUnavailable), percent > 100 {
            errors.invalid(path.child("maxUnavailable"), maxUnavailable, "must not be greater than 100%")
        }
    }

    /// A non-negative integer or a `N%` string.
    static func validateIntOrPercent(_ value: JSONValue, _ path: FieldPath, into errors: inout FieldErrors) {
        switch value {
        case .null: break
        case .string(let s):
            if !isPercent(s) { errors.invalid(path, value, percentFormat) }
        default:
            if let n = value.int { errors.nonNegative(n, path) } else { errors.typeInvalid(path, value, expected: "integer or string") }
        }
    }

    /// The number of an int or a percent string; `nil` when absent or malformed (0 for absent, as upstream).
    private static func intOrPercentValue(_ value: JSONValue) -> Int64? {
        switch value {
        case .null: return 0
        case .string(let s): return isPercent(s) ? Int64(s.dropLast()) : nil
        default: return value.int
        }
    }

    private static func isPercent(_ s: String) -> Bool {
        s.count > 1 && s.hasSuffix("%") && s.dropLast().allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func validateSelectorImmutable(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {
        let new = object["spec"]?["selector"] ?? .null
        if new != (old["spec"]?["selector"] ?? .null) {
            errors.invalid(FieldPath("spec").child("selector"), new, "field is immutable")
        }
    }
}
