/// Admission of Kueue's small kinds (kueue.x-k8s.io/v1beta1): ResourceFlavor, LocalQueue and
/// WorkloadPriorityClass, with the rules of Kueue's CRD schemas and webhooks. ClusterQueue and
/// Workload have files of their own.
enum KueueValidation {
    /// A quantity field (`nominalQuota: 9`, `36Gi`); returns it when valid and not negative.
    static func quantity(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) -> Quantity? {
        guard let value, !value.isNull else { return nil }
        switch value {
        case .string, .int, .double: break
        default:
            errors.typeInvalid(path, value, expected: "string")
            return nil
        }
        let text = value.string ?? FieldErrors.render(value)
        guard let quantity = try? Quantity(json: value) else {
            errors.invalid(path, .string(text), QuantitySyntax.format)
            return nil
        }
        if quantity < .zero {
            errors.invalid(path, .string(text), "must be greater than or equal to 0")
            return nil
        }
        return quantity
    }

    /// A name that must be a DNS-1123 subdomain (the references between Kueue objects).
    static func reference(_ value: JSONValue?, _ path: FieldPath, required: Bool, into errors: inout FieldErrors) -> String? {
        guard let name = errors.string(value, path) else {
            if required { errors.required(path) }
            return nil
        }
        if name.isEmpty {
            if required { errors.required(path) }
            return nil
        }
        errors.invalid(path, name, messages: NameRules.dns1123Subdomain(name))
        return name
    }

    /// Kueue's CRDs refuse unknown enum values.
    static func stopPolicy(_ spec: JSONValue, _ path: FieldPath, into errors: inout FieldErrors) {
        errors.oneOf(spec["stopPolicy"], path.child("stopPolicy"), Kueue.stopPolicies)
    }
}

/// ResourceFlavor: `nodeLabels` (a label map), `nodeTaints` (taints with an effect) and
/// `tolerations`; Kueue's CRD allows at most 8 labels, 8 taints and 8 tolerations.
enum ResourceFlavorAdmission: KindAdmission {
    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        guard let spec = object["spec"], !spec.isNull else { return }
        guard let body = errors.object(spec, path) else { return }
        if let labels = body["nodeLabels"], !labels.isNull {
            MetadataValidation.validateLabels(labels, path.child("nodeLabels"), into: &errors)
            if (labels.object?.count ?? 0) > 8 { errors.tooMany(path.child("nodeLabels"), max: 8) }
        }
        NodeAdmission.validateTaints(body["nodeTaints"], path.child("nodeTaints"), into: &errors)
        if (body["nodeTaints"]?.array?.count ?? 0) > 8 { errors.tooMany(path.child("nodeTaints"), max: 8) }
        SchedulingValidation.validateTolerations(body["tolerations"], path.child("tolerations"), into: &errors)
        if (body["tolerations"]?.array?.count ?? 0) > 8 { errors.tooMany(path.child("tolerations"), max: 8) }
        _ = errors.string(body["topologyName"], path.child("topologyName"))
    }
}

/// LocalQueue: `clusterQueue` names the ClusterQueue it feeds and cannot change (Kueue's webhook).
enum LocalQueueAdmission: KindAdmission {
    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        guard let spec = errors.object(object["spec"], path) else {
            if object["spec"] == nil { errors.required(path) }
            return
        }
        _ = KueueValidation.reference(spec["clusterQueue"], path.child("clusterQueue"), required: true, into: &errors)
        KueueValidation.stopPolicy(spec, path, into: &errors)
    }

    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {
        let new = object["spec"]?["clusterQueue"] ?? .null
        if new != (old["spec"]?["clusterQueue"] ?? .null) {
            errors.invalid(FieldPath("spec").child("clusterQueue"), new, "field is immutable")
        }
    }
}

/// WorkloadPriorityClass: an int32 `value` (required) and an optional `description`.
enum WorkloadPriorityClassAdmission: KindAdmission {
    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        if let value = errors.int(object["value"], FieldPath("value")) {
            if value < Int64(Int32.min) || value > Int64(Int32.max) {
                errors.invalid(FieldPath("value"), .int(value), "must be a 32-bit integer")
            }
        } else if object["value"] == nil || object["value"] == .null {
            errors.required(FieldPath("value"))
        }
        _ = errors.string(object["description"], FieldPath("description"))
    }
}
