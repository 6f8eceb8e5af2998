/// scheduling.x-k8s.io/v1alpha1 PodGroup: `minMember` (at least 1), `minResources` (a resource
/// list), `scheduleTimeoutSeconds` (not negative). The coscheduling CRD checks types only; Drover
/// refuses values the scheduler could not honour, so a typo is a 422 rather than a gang that
/// waits for ever.
enum PodGroupAdmission: KindAdmission {
    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let spec = FieldPath("spec")
        guard let body = errors.object(object["spec"], spec) else { return }
        if let minMember = errors.int(body["minMember"], spec.child("minMember")) {
            if minMember < 1 || minMember > Int64(Int32.max) {
                errors.invalid(spec.child("minMember"), .int(minMember), "must be between 1 and \(Int32.max)")
            }
        } else if body["minMember"] == nil {
            errors.required(spec.child("minMember"), "a gang needs at least one member")
        }
        if let timeout = errors.int(body["scheduleTimeoutSeconds"], spec.child("scheduleTimeoutSeconds")), timeout < 0 {
            errors.invalid(spec.child("scheduleTimeoutSeconds"), .int(timeout), "must be greater than or equal to 0")
        }
        ContainerValidation.resourceList(body["minResources"], spec.child("minResources"), into: &errors)
    }
}
