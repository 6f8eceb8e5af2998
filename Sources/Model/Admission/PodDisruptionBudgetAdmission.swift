/// policy/v1 PodDisruptionBudgets, as upstream's pkg/apis/policy/validation: at most one of
/// `minAvailable` and `maxUnavailable`, each a non-negative int or a percentage of at most 100%;
/// a valid label selector; `unhealthyPodEvictionPolicy` IfHealthyBudget or AlwaysAllow. The spec
/// may change (upstream allows it since 1.15); the generation counts the changes. Neither budget
/// set is allowed, as upstream: such a budget expects no pods and allows no disruption.
enum PodDisruptionBudgetAdmission: KindAdmission {
    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        guard let spec = errors.object(object["spec"], path) else { return }
        let minAvailable = spec["minAvailable"] ?? .null
        let maxUnavailable = spec["maxUnavailable"] ?? .null
        if !minAvailable.isNull && !maxUnavailable.isNull {
            errors.invalid(path, spec, "minAvailable and maxUnavailable cannot be both set")
        }
        for (key, value) in [("minAvailable", minAvailable), ("maxUnavailable", maxUnavailable)] where !value.isNull {
            WorkloadRules.validateIntOrPercent(value, path.child(key), into: &errors)
            if let text = value.string, text.hasSuffix("%"), let percent = Int64(text.dropLast()), percent > 100 {
                errors.invalid(path.child(key), value, "must not be greater than 100%")
            }
        }
        if let selector = spec["selector"], !selector.isNull {
            MetadataValidation.validateLabelSelector(selector, path.child("selector"), into: &errors)
        }
        errors.oneOf(spec["unhealthyPodEvictionPolicy"], path.child("unhealthyPodEvictionPolicy"),
                     [PodDisruptionBudgetView.alwaysAllow, PodDisruptionBudgetView.ifHealthyBudget])
    }

    static func validateStatus(_ status: JSONValue, into errors: inout FieldErrors) {
        StatusValidation.validateCounters(status, ["disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods"],
                                          into: &errors)
    }
}
