/// Namespaces: DNS-label names, the `kubernetes.io/metadata.name` label and phase `Active`.
enum NamespaceAdmission: KindAdmission {
    static let nameLabel = "kubernetes.io/metadata.name"

    static var nameRule: NameRule { .dnsLabel }

    static func applyDefaults(to object: inout JSONValue, creating: Bool) {
        if let name = object["metadata"]?["name"]?.string {
            object.withChild("metadata") { $0.withChild("labels") { $0[nameLabel] = .string(name) } }
        }
        if creating {
            object.withChild("status") { $0.setDefault("phase", "Active") }
        }
    }

    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        guard let spec = errors.object(object["spec"], path) else { return }
        for (i, finalizer) in (errors.stringArray(spec["finalizers"], path.child("finalizers")) ?? []).enumerated() {
            errors.invalid(path.child("finalizers").index(i), finalizer, messages: NameRules.qualifiedName(finalizer))
        }
    }

    static func validateStatus(_ status: JSONValue, into errors: inout FieldErrors) {
        errors.oneOf(status["phase"], FieldPath("status").child("phase"), ["Active", "Terminating"])
        StatusValidation.validateConditions(status["conditions"], FieldPath("status").child("conditions"), into: &errors)
    }
}

/// Nodes: taints in the spec; capacity, allocatable and addresses in the status.
enum NodeAdmission: KindAdmission {
    static func applyDefaults(to object: inout JSONValue, creating: Bool) {
        object.withChild("status", create: false) { status in
            if let capacity = status["capacity"], capacity.object != nil { status.setDefault("allocatable", capacity) }
        }
    }

    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        if let spec = errors.object(object["spec"], path) {
            _ = errors.bool(spec["unschedulable"], path.child("unschedulable"))
            validateTaints(spec["taints"], path.child("taints"), into: &errors)
        }
        if let status = errors.object(object["status"], FieldPath("status")) {
            validateStatus(status, into: &errors)
        }
    }

    static func validateTaints(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        var seen = Set<String>()
        for (i, element) in (errors.array(value, path) ?? []).enumerated() {
            let itemPath = path.index(i)
            guard let taint = errors.object(element, itemPath) else { continue }
            let key = errors.string(taint["key"], itemPath.child("key")) ?? ""
            errors.invalid(itemPath.child("key"), key, messages: NameRules.qualifiedName(key))
            let taintValue = errors.string(taint["value"], itemPath.child("value")) ?? ""
            errors.invalid(itemPath.child("value"), taintValue, messages: NameRules.labelValue(taintValue))
            let effect = errors.string(taint["effect"], itemPath.child("effect")) ?? ""
            if effect.isEmpty {
                errors.required(itemPath.child("effect"))
            } else if !SchedulingValidation.taintEffects.contains(effect) {
                errors.notSupported(itemPath.child("effect"), .string(effect), SchedulingValidation.taintEffects)
            }
            if !seen.insert("\(key):\(effect)").inserted {
                errors.duplicate(itemPath, element)
            }
        }
    }

    static func validateStatus(_ status: JSONValue, into errors: inout FieldErrors) {
        let path = FieldPath("status")
        for key in ["capacity", "allocatable"] {
            for (name, raw) in errors.object(status[key], path.child(key))?.object?.pairs ?? [] {
                let entryPath = path.child(key).key(name)
                guard let amount = PodDefaults.quantityValue(raw) else {
                    errors.invalid(entryPath, raw, QuantitySyntax.format)
                    continue
                }
                if amount < 0 { errors.invalid(entryPath, raw, "must be greater than or equal to 0") }
            }
        }
        for (i, element) in (errors.array(status["addresses"], path.child("addresses")) ?? []).enumerated() {
            let itemPath = path.child("addresses").index(i)
            guard let address = errors.object(element, itemPath) else { continue }
            for key in ["type", "address"] where (errors.string(address[key], itemPath.child(key)) ?? "").isEmpty {
                errors.required(itemPath.child(key))
            }
        }
        StatusValidation.validateConditions(status["conditions"], path.child("conditions"), into: &errors)
    }
}

/// Events (core/v1): the involved object, its namespace, and bounded reason and message.
enum EventAdmission: KindAdmission {
    static let reasonLengthLimit = 128
    /// Upstream bounds the events.k8s.io note at 1 KiB; core/v1 messages from Drover's own components
    /// (scheduler summaries) can be longer, so Drover allows 4 KiB.
    static let messageLengthLimit = 4096

    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let involvedPath = FieldPath("involvedObject")
        if let involved = errors.object(object["involvedObject"], involvedPath) {
            let eventNamespace = object["metadata"]?["namespace"]?.string ?? ""
            let namespace = errors.string(involved["namespace"], involvedPath.child("namespace")) ?? ""
            let matches = namespace.isEmpty ? (eventNamespace.isEmpty || eventNamespace == "default") : namespace == eventNamespace
            if !matches {
                errors.invalid(involvedPath.child("namespace"), .string(namespace), "does not match event.namespace")
            }
            for key in ["kind", "name", "uid", "apiVersion", "fieldPath", "resourceVersion"] {
                _ = errors.string(involved[key], involvedPath.child(key))
            }
        } else {
            errors.required(involvedPath)
        }
        if let reason = errors.string(object["reason"], FieldPath("reason")), reason.utf8.count > reasonLengthLimit {
            errors.tooLong(FieldPath("reason"), max: reasonLengthLimit)
        }
        if let message = errors.string(object["message"], FieldPath("message")), message.utf8.count > messageLengthLimit {
            errors.tooLong(FieldPath("message"), max: messageLengthLimit)
        }
        if let type = errors.string(object["type"], FieldPath("type")), !type.isEmpty, type != "Normal", type != "Warning" {
            errors.notSupported(FieldPath("type"), .string(type), ["Normal", "Warning"])
        }
        errors.nonNegativeInt(object["count"], FieldPath("count"))
        _ = errors.object(object["source"], FieldPath("source"))
    }
}
