/// Pods: spec defaults and validation, the pod update rule, and status checks.
enum PodAdmission: KindAdmission {
    static let phases = ["Pending", "Running", "Succeeded", "Failed", "Unknown"]
    static let updatableFieldsMessage = "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"

    static func applyDefaults(to object: inout JSONValue, creating: Bool) {
        PodDefaults.applyToPod(&object, creating: creating)
    }

    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        PodSpecValidation.validate(object["spec"], FieldPath("spec"), into: &errors)
    }

    /// Only images, a shrinking activeDeadlineSeconds and added tolerations may change.
    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        guard let new = object["spec"], new.object != nil, var allowed = old["spec"], allowed.object != nil else { return }
        let deadlinePath = path.child("activeDeadlineSeconds")
        let newDeadline = new["activeDeadlineSeconds"]?.int
        if let oldDeadline = allowed["activeDeadlineSeconds"]?.int {
            if newDeadline == nil {
                errors.invalid(deadlinePath, new["activeDeadlineSeconds"] ?? .null, "must not update from a positive integer to nil value")
            } else if let newDeadline, newDeadline > oldDeadline {
                errors.invalid(deadlinePath, .int(newDeadline), "must be less than or equal to previous value")
            }
        }
        // Copy the mutable parts of the new spec over the old one; anything else that differs is forbidden.
        allowed["activeDeadlineSeconds"] = new["activeDeadlineSeconds"]
        for key in ["containers", "initContainers"] {
            copyImages(from: new[key], into: &allowed, key: key)
        }
        let oldTolerations = allowed["tolerations"]?.array ?? []
        let newTolerations = new["tolerations"]?.array ?? []
        if oldTolerations.allSatisfy(newTolerations.contains) {
            allowed["tolerations"] = new["tolerations"]
        }
        if allowed != new {
            errors.forbidden(path, updatableFieldsMessage)
        }
    }

    private static func copyImages(from newList: JSONValue?, into spec: inout JSONValue, key: String) {
        guard let newContainers = newList?.array, case .array(var containers)? = spec[key],
              containers.count == newContainers.count else { return }
        for i in containers.indices where containers[i].object != nil {
            containers[i]["image"] = newContainers[i]["image"]
        }
        spec[key] = .array(containers)
    }

    static func validateStatus(_ status: JSONValue, into errors: inout FieldErrors) {
        let path = FieldPath("status")
        errors.oneOf(status["phase"], path.child("phase"), phases)
        StatusValidation.validateConditions(status["conditions"], path.child("conditions"), into: &errors)
        for key in ["containerStatuses", "initContainerStatuses"] {
            for (i, element) in (errors.array(status[key], path.child(key)) ?? []).enumerated() {
                let itemPath = path.child(key).index(i)
                guard let containerStatus = errors.object(element, itemPath) else { continue }
                if (errors.string(containerStatus["name"], itemPath.child("name")) ?? "").isEmpty {
                    errors.required(itemPath.child("name"))
                }
                errors.nonNegativeInt(containerStatus["restartCount"], itemPath.child("restartCount"))
                _ = errors.bool(containerStatus["ready"], itemPath.child("ready"))
            }
        }
    }
}

/// Checks shared by the status subresources.
enum StatusValidation {
    /// Conditions need a type and a status of True, False or Unknown.
    static func validateConditions(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        for (i, element) in (errors.array(value, path) ?? []).enumerated() {
            let itemPath = path.index(i)
            guard let condition = errors.object(element, itemPath) else { continue }
            if (errors.string(condition["type"], itemPath.child("type")) ?? "").isEmpty {
                errors.required(itemPath.child("type"))
            }
            errors.oneOf(condition["status"], itemPath.child("status"), ["True", "False", "Unknown"], required: true)
        }
    }

    /// Counters that may not be negative, plus the conditions.
    static func validateCounters(_ status: JSONValue, _ keys: [String], into errors: inout FieldErrors) {
        let path = FieldPath("status")
        for key in keys { errors.nonNegativeInt(status[key], path.child(key)) }
        errors.nonNegativeInt(status["observedGeneration"], path.child("observedGeneration"))
        validateConditions(status["conditions"], path.child("conditions"), into: &errors)
    }
}
