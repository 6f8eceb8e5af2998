/// Validation of the scheduling constraints in a PodSpec: tolerations and node affinity.
enum SchedulingValidation {
    static let taintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]

    static func validateTolerations(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        for (i, element) in (errors.array(value, path) ?? []).enumerated() {
            let itemPath = path.index(i)
            guard let toleration = errors.object(element, itemPath) else { continue }
            let key = errors.string(toleration["key"], itemPath.child("key")) ?? ""
            if !key.isEmpty { errors.invalid(itemPath.child("key"), key, messages: NameRules.qualifiedName(key)) }
            let op = errors.string(toleration["operator"], itemPath.child("operator")) ?? ""
            let tolerationValue = errors.string(toleration["value"], itemPath.child("value")) ?? ""
            if key.isEmpty && op != "Exists" {
                errors.invalid(itemPath.child("operator"), .string(op),
                               "operator must be Exists when `key` is empty, which means \"match all values and all keys\"")
            }
            switch op {
            case "", "Equal":
                errors.invalid(itemPath.child("value"), tolerationValue, messages: NameRules.labelValue(tolerationValue))
            case "Exists":
                if !tolerationValue.isEmpty {
                    errors.invalid(itemPath.child("operator"), toleration["value"] ?? .null,
                                   "value must be empty when `operator` is 'Exists'")
                }
            default:
                errors.notSupported(itemPath.child("operator"), .string(op), ["Equal", "Exists"])
            }
            let effect = errors.string(toleration["effect"], itemPath.child("effect")) ?? ""
            if !effect.isEmpty && !taintEffects.contains(effect) {
                errors.notSupported(itemPath.child("effect"), .string(effect), taintEffects)
            }
            if errors.int(toleration["tolerationSeconds"], itemPath.child("tolerationSeconds")) != nil, effect != "NoExecute" {
                errors.invalid(itemPath.child("effect"), .string(effect), "effect must be 'NoExecute' when `tolerationSeconds` is set")
            }
        }
    }

    static func validateAffinity(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        guard let affinity = errors.object(value, path) else { return }
        _ = errors.object(affinity["podAffinity"], path.child("podAffinity"))
        _ = errors.object(affinity["podAntiAffinity"], path.child("podAntiAffinity"))
        let nodePath = path.child("nodeAffinity")
        guard let node = errors.object(affinity["nodeAffinity"], nodePath) else { return }
        let requiredPath = nodePath.child("requiredDuringSchedulingIgnoredDuringExecution")
        if let required = errors.object(node["requiredDuringSchedulingIgnoredDuringExecution"], requiredPath) {
            let termsPath = requiredPath.child("nodeSelectorTerms")
            let terms = errors.array(required["nodeSelectorTerms"], termsPath) ?? []
            if terms.isEmpty { errors.required(termsPath, "must have at least one node selector term") }
            for (i, term) in terms.enumerated() {
                validateTerm(term, termsPath.index(i), into: &errors)
            }
        }
        let preferredPath = nodePath.child("preferredDuringSchedulingIgnoredDuringExecution")
        for (i, element) in (errors.array(node["preferredDuringSchedulingIgnoredDuringExecution"], preferredPath) ?? []).enumerated() {
            guard let preferred = errors.object(element, preferredPath.index(i)) else { continue }
            let weight = errors.int(preferred["weight"], preferredPath.index(i).child("weight")) ?? 0
            if weight < 1 || weight > 100 {
                errors.invalid(preferredPath.index(i).child("weight"), .int(weight), "must be in the range 1-100")
            }
            validateTerm(preferred["preference"] ?? .emptyObject, preferredPath.index(i).child("preference"), into: &errors)
        }
    }

    private static func validateTerm(_ value: JSONValue, _ path: FieldPath, into errors: inout FieldErrors) {
        guard let term = errors.object(value, path) else { return }
        for (i, element) in (errors.array(term["matchExpressions"], path.child("matchExpressions")) ?? []).enumerated() {
            let itemPath = path.child("matchExpressions").index(i)
            guard let requirement = errors.object(element, itemPath) else { continue }
            let key = errors.string(requirement["key"], itemPath.child("key")) ?? ""
            errors.invalid(itemPath.child("key"), key, messages: NameRules.qualifiedName(key))
            validateOperator(requirement, itemPath, into: &errors)
        }
        for (i, element) in (errors.array(term["matchFields"], path.child("matchFields")) ?? []).enumerated() {
            let itemPath = path.child("matchFields").index(i)
            guard let requirement = errors.object(element, itemPath) else { continue }
            let key = errors.string(requirement["key"], itemPath.child("key")) ?? ""
            if key != "metadata.name" {
                errors.invalid(itemPath.child("key"), .string(key), "not a valid field selector key")
            }
            validateOperator(requirement, itemPath, into: &errors)
        }
    }

    private static func validateOperator(_ requirement: JSONValue, _ path: FieldPath, into errors: inout FieldErrors) {
        let values = errors.stringArray(requirement["values"], path.child("values")) ?? []
        let op = errors.string(requirement["operator"], path.child("operator")) ?? ""
        MetadataValidation.validateOperator(op, values: values, path, allowComparisons: true, into: &errors)
    }
}
