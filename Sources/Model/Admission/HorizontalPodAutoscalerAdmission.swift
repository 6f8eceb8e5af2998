/// autoscaling/v2 HorizontalPodAutoscalers (the stored version; v1 bodies are converted before
/// admission), as upstream's pkg/apis/autoscaling/v2/defaults.go and validation.go: minReplicas
/// defaults to 1, no metrics to cpu at 80% of requests, a given behavior is completed from the
/// defaults; minReplicas ≥ 1, maxReplicas ≥ 1 and ≥ minReplicas, a scale target kind and name,
/// each metric exactly the source its type names with a well-formed target, behavior policies of
/// type Pods or Percent with positive values and periods of at most 1800 s, windows of 0–3600 s.
enum HorizontalPodAutoscalerAdmission: KindAdmission {
    static let metricSourceTypes = ["Object", "Pods", "Resource", "External", "ContainerResource"]
    static let targetTypes = ["Utilization", "Value", "AverageValue"]
    static let selectPolicies = ["Disabled", "Max", "Min"]
    static let maxPeriodSeconds: Int64 = 1800
    static let maxStabilizationWindowSeconds: Int64 = 3600

    static func applyDefaults(to object: inout JSONValue, creating: Bool) {
        object.withChild("spec") { spec in
            spec.setDefault("minReplicas", 1)
            let metrics = spec["metrics"] ?? .null
            if metrics.isNull || metrics.array?.isEmpty == true {   // another type is left for validation to report
                spec["metrics"] = [HorizontalPodAutoscalerConversion.cpuMetric(utilization: HorizontalPodAutoscalerView.defaultCPUUtilization)]
            }
            if let behavior = spec["behavior"], behavior.object != nil {
                var filled = behavior
                for (key, defaults) in [("scaleUp", HPAScalingRules.defaultScaleUp), ("scaleDown", HPAScalingRules.defaultScaleDown)] {
                    if let rules = filled[key], !rules.isNull, rules.object == nil { continue }  // validation reports the type
                    var rules = filled[key].flatMap { $0.isNull ? nil : $0 } ?? .emptyObject
                    rules.setDefault("selectPolicy", .string(defaults.selectPolicy))
                    if let window = defaults.stabilizationWindowSeconds { rules.setDefault("stabilizationWindowSeconds", .int(Int64(window))) }
                    rules.setDefault("policies", defaults.json["policies"] ?? [])
                    filled[key] = rules
                }
                spec["behavior"] = filled
            }
        }
    }

    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        guard let spec = errors.object(object["spec"], path) else {
            errors.required(path.child("maxReplicas"))
            return
        }
        validateReference(spec["scaleTargetRef"], path.child("scaleTargetRef"), into: &errors)
        let minReplicas = errors.int(spec["minReplicas"], path.child("minReplicas"))
        if let minReplicas, minReplicas < 1 {
            errors.invalid(path.child("minReplicas"), .int(minReplicas), "must be greater than or equal to 1")
        }
        let maxReplicas = errors.int(spec["maxReplicas"], path.child("maxReplicas")) ?? 0
        if maxReplicas < 1 {
            errors.invalid(path.child("maxReplicas"), .int(maxReplicas), "must be greater than 0")
        }
        if let minReplicas, maxReplicas < minReplicas {
            errors.invalid(path.child("maxReplicas"), .int(maxReplicas), "must be greater than or equal to `minReplicas`")
        }
        for (i, metric) in (errors.array(spec["metrics"], path.child("metrics")) ?? []).enumerated() {
            validateMetric(metric, path.child("metrics").index(i), into: &errors)
        }
        if let behavior = errors.object(spec["behavior"], path.child("behavior")) {
            for key in ["scaleUp", "scaleDown"] {
                if let rules = errors.object(behavior[key], path.child("behavior", key)) {
                    validateRules(rules, path.child("behavior", key), into: &errors)
                }
            }
        }
    }

    static func validateStatus(_ status: JSONValue, into errors: inout FieldErrors) {
        StatusValidation.validateCounters(status, ["currentReplicas", "desiredReplicas"], into: &errors)
    }

    /// CrossVersionObjectReference: kind and name required, each a valid path segment.
    static func validateReference(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        let ref = errors.object(value, path) ?? .emptyObject
        for key in ["kind", "name"] {
            let text = errors.string(ref[key], path.child(key)) ?? ""
            if text.isEmpty {
                errors.required(path.child(key))
            } else {
                errors.invalid(path.child(key), text, messages: NameRules.pathSegmentMessages(text))
            }
        }
    }

    private static func validateMetric(_ value: JSONValue, _ path: FieldPath, into errors: inout FieldErrors) {
        guard let metric = errors.object(value, path) else { return }
        let type = errors.string(metric["type"], path.child("type")) ?? ""
        if type.isEmpty {
            errors.required(path.child("type"), "must specify a metric source type")
        }
        if !metricSourceTypes.contains(type) {
            errors.notSupported(path.child("type"), .string(type), metricSourceTypes)
        }
        let present = metricSourceTypes.map(MetricSpecView.sourceKey).filter { metric[$0].map { !$0.isNull } ?? false }
        if let first = present.first, let source = errors.object(metric[first], path.child(first)) {
            validateSource(source, kind: first, path.child(first), into: &errors)
        }
        guard metricSourceTypes.contains(type) else { return }
        let expected = MetricSpecView.sourceKey(type)
        if !present.contains(expected) {
            errors.required(path.child(expected), "must populate information for the given metric source")
        }
        for other in present where other != expected {
            errors.forbidden(path.child(other), "must populate the given metric source only")
        }
    }

    private static func validateSource(_ source: JSONValue, kind: String, _ path: FieldPath, into errors: inout FieldErrors) {
        switch kind {
        case "resource", "containerResource":
            if (errors.string(source["name"], path.child("name")) ?? "").isEmpty {
                errors.required(path.child("name"), "must specify a resource name")
            }
            if kind == "containerResource", (errors.string(source["container"], path.child("container")) ?? "").isEmpty {
                errors.required(path.child("container"), "must specify a container")
            }
            let target = validateTarget(source["target"], path.child("target"), into: &errors)
            if target["averageUtilization"] == nil && target["averageValue"] == nil {
                errors.required(path.child("target", "averageUtilization"), "must set either a target raw value or a target utilization")
            }
            if target["averageUtilization"] != nil && target["averageValue"] != nil {
                errors.forbidden(path.child("target", "averageValue"), "may not set both a target raw value and a target utilization")
            }
        case "object":
            validateReference(source["describedObject"], path.child("describedObject"), into: &errors)
            validateIdentifier(source["metric"], path.child("metric"), into: &errors)
            let target = validateTarget(source["target"], path.child("target"), into: &errors)
            if target["value"] == nil && target["averageValue"] == nil {
                errors.required(path.child("target", "averageValue"), "must set either a target value or averageValue")
            }
        case "pods":
            validateIdentifier(source["metric"], path.child("metric"), into: &errors)
            let target = validateTarget(source["target"], path.child("target"), into: &errors)
            if target["averageValue"] == nil {
                errors.required(path.child("target", "averageValue"), "must specify a positive target averageValue")
            }
        default:  // external
            validateIdentifier(source["metric"], path.child("metric"), into: &errors)
            let target = validateTarget(source["target"], path.child("target"), into: &errors)
            if target["value"] == nil && target["averageValue"] == nil {
                errors.required(path.child("target", "averageValue"), "must set either a target value for metric or a per-pod target")
            }
            if target["value"] != nil && target["averageValue"] != nil {
                errors.forbidden(path.child("target", "value"), "may not set both a target value for metric and a per-pod target")
            }
        }
    }

    private static func validateIdentifier(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        let metric = errors.object(value, path) ?? .emptyObject
        if (errors.string(metric["name"], path.child("name")) ?? "").isEmpty {
            errors.required(path.child("name"), "must specify a metric name")
        }
        if let selector = metric["selector"], !selector.isNull {
            MetadataValidation.validateLabelSelector(selector, path.child("selector"), into: &errors)
        }
    }

    /// validateMetricTarget; returns the target's members that are set (for the per-source checks).
    private static func validateTarget(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) -> JSONValue {
        let target = errors.object(value, path) ?? .emptyObject
        let type = errors.string(target["type"], path.child("type")) ?? ""
        if type.isEmpty { errors.required(path.child("type"), "must specify a metric target type") }
        if !targetTypes.contains(type) {
            errors.invalid(path.child("type"), .string(type), "must be either Utilization, Value, or AverageValue")
        }
        var set = JSONObject()
        for key in ["value", "averageValue"] {
            guard let raw = target[key], !raw.isNull else { continue }
            set[key] = raw
            guard let quantity = try? Quantity(json: raw) else {
                errors.invalid(path.child(key), raw, QuantitySyntax.format)
                continue
            }
            if quantity.nanoValue <= 0 { errors.invalid(path.child(key), raw, "must be positive") }
        }
        if let utilization = errors.int(target["averageUtilization"], path.child("averageUtilization")) {
            set["averageUtilization"] = .int(utilization)
            if utilization < 1 { errors.invalid(path.child("averageUtilization"), .int(utilization), "must be greater than 0") }
        }
        return .object(set)
    }

    private static func validateRules(_ rules: JSONValue, _ path: FieldPath, into errors: inout FieldErrors) {
        errors.oneOf(rules["selectPolicy"], path.child("selectPolicy"), selectPolicies)
        if let window = errors.int(rules["stabilizationWindowSeconds"], path.child("stabilizationWindowSeconds")) {
            if window < 0 {
                errors.invalid(path.child("stabilizationWindowSeconds"), .int(window), "must be greater than or equal to zero")
            } else if window > maxStabilizationWindowSeconds {
                errors.invalid(path.child("stabilizationWindowSeconds"), .int(window),
                               "must be less than or equal to \(maxStabilizationWindowSeconds)")
            }
        }
        let policies = errors.array(rules["policies"], path.child("policies")) ?? []
        if policies.isEmpty { errors.required(path.child("policies"), "must specify at least one Policy") }
        for (i, element) in policies.enumerated() {
            let policyPath = path.child("policies").index(i)
            guard let policy = errors.object(element, policyPath) else { continue }
            errors.oneOf(policy["type"], policyPath.child("type"), ["Percent", "Pods"], required: true)
            let value = errors.int(policy["value"], policyPath.child("value")) ?? 0
            if value <= 0 { errors.invalid(policyPath.child("value"), .int(value), "must be greater than zero") }
            let period = errors.int(policy["periodSeconds"], policyPath.child("periodSeconds")) ?? 0
            if period <= 0 {
                errors.invalid(policyPath.child("periodSeconds"), .int(period), "must be greater than zero")
            } else if period > maxPeriodSeconds {
                errors.invalid(policyPath.child("periodSeconds"), .int(period), "must be less than or equal to \(maxPeriodSeconds)")
            }
        }
    }
}
