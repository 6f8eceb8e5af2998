/// coordination.k8s.io/v1 Leases: upstream's ValidateLeaseSpec — a positive leaseDurationSeconds,
/// non-negative leaseTransitions, and times that are timestamps.
enum LeaseAdmission: KindAdmission {
    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        guard let spec = errors.object(object["spec"] ?? .emptyObject, path) else { return }
        _ = errors.string(spec["holderIdentity"], path.child("holderIdentity"))
        if let duration = errors.int(spec["leaseDurationSeconds"], path.child("leaseDurationSeconds")), duration <= 0 {
            errors.invalid(path.child("leaseDurationSeconds"), .int(duration), "must be greater than 0")
        }
        errors.nonNegativeInt(spec["leaseTransitions"], path.child("leaseTransitions"))
        for key in ["acquireTime", "renewTime"] {
            guard let text = errors.string(spec[key], path.child(key)), Timestamp.parse(text) == nil else { continue }
            errors.invalid(path.child(key), .string(text), "must be an RFC 3339 time such as 2026-01-02T15:04:05.000000Z")
        }
    }
}
