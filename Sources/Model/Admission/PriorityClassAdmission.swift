/// scheduling.k8s.io/v1 PriorityClass: `value` (int32), `globalDefault`, `preemptionPolicy`
/// (PreemptLowerPriority by default, or Never), `description`. Names starting `system-` and values
/// above one billion are reserved for the built-in classes, as upstream; value and preemption
/// policy cannot change once set. (That only one class is the global default is checked by the API
/// server, which sees the others.)
enum PriorityClassAdmission: KindAdmission {
    static func applyDefaults(to object: inout JSONValue, creating: Bool) {
        object.setDefault("preemptionPolicy", .string(PriorityClasses.preemptLowerPriority))
    }

    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let name = object["metadata"]?["name"]?.string ?? ""
        let value = errors.int(object["value"], FieldPath("value")) ?? 0
        if value < Int64(Int32.min) || value > Int64(Int32.max) {
            errors.invalid(FieldPath("value"), .int(value), "must be a 32-bit integer")
        }
        if name.hasPrefix(PriorityClasses.systemPrefix) {
            if !PriorityClasses.builtIn.contains(where: { $0.name == name }) {
                errors.forbidden(FieldPath("metadata").child("name"),
                                 "priority class names with '\(PriorityClasses.systemPrefix)' prefix are reserved for system use only")
            }
        } else if value > PriorityClasses.highestUserDefinable {
            errors.forbidden(FieldPath("value"), "maximum allowed value of a user defined priority is \(PriorityClasses.highestUserDefinable)")
        }
        _ = errors.bool(object["globalDefault"], FieldPath("globalDefault"))
        _ = errors.string(object["description"], FieldPath("description"))
        errors.oneOf(object["preemptionPolicy"], FieldPath("preemptionPolicy"),
                     [PriorityClasses.preemptLowerPriority, PriorityClasses.never])
    }

    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {
        if (object["value"]?.int ?? 0) != (old["value"]?.int ?? 0) {
            errors.forbidden(FieldPath("value"), "may not be changed in an update.")
        }
        if let new = object["preemptionPolicy"], let before = old["preemptionPolicy"], new != before {
            errors.invalid(FieldPath("preemptionPolicy"), new, "field is immutable")
        }
    }
}
