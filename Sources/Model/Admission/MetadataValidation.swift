/// How an object's name is checked.
enum NameRule {
    /// Most kinds: a DNS-1123 subdomain.
    case dnsSubdomain
    /// Namespaces: a DNS-1123 label.
    case dnsLabel

    func messages(_ name: String) -> [String] {
        switch self {
        case .dnsSubdomain: return NameRules.dns1123Subdomain(name)
        case .dnsLabel: return NameRules.dns1123Label(name)
        }
    }
}

/// ObjectMeta validation (upstream `ValidateObjectMeta` / `ValidateObjectMetaUpdate`) and the
/// label, annotation and label-selector checks other kinds reuse.
enum MetadataValidation {
    /// Upstream's limit on the total size of all annotation keys and values.
    static let totalAnnotationSizeLimit = 256 * 1024

    /// Validates `metadata` of a top-level object.
    /// `old`: the metadata being replaced; labels, annotations and owner references equal to its
    /// were validated when they were written and are not walked again.
    static func validate(_ metadata: JSONValue?, namespaced: Bool, nameRule: NameRule, old: JSONValue? = nil,
                         into errors: inout FieldErrors) {
        let path = FieldPath("metadata")
        let meta = errors.object(metadata, path) ?? .emptyObject
        let name = errors.string(meta["name"], path.child("name")) ?? ""
        let generateName = errors.string(meta["generateName"], path.child("generateName")) ?? ""
        if name.isEmpty {
            if generateName.isEmpty { errors.required(path.child("name"), "name or generateName is required") }
        } else {
            errors.invalid(path.child("name"), name, messages: nameRule.messages(name))
        }
        let namespace = errors.string(meta["namespace"], path.child("namespace")) ?? ""
        if namespaced {
            if namespace.isEmpty {
                errors.required(path.child("namespace"))
            } else {
                errors.invalid(path.child("namespace"), namespace, messages: NameRules.dns1123Label(namespace))
            }
        } else if !namespace.isEmpty {
            errors.forbidden(path.child("namespace"), "not allowed on this type")
        }
        errors.nonNegativeInt(meta["generation"], path.child("generation"))
        let unchanged = { (key: String) in old.map { $0[key] == meta[key] } ?? false }
        if !unchanged("labels") { validateLabels(meta["labels"], path.child("labels"), into: &errors) }
        if !unchanged("annotations") { validateAnnotations(meta["annotations"], path.child("annotations"), into: &errors) }
        if !unchanged("ownerReferences") { validateOwnerReferences(meta["ownerReferences"], path.child("ownerReferences"), into: &errors) }
        _ = errors.stringArray(meta["finalizers"], path.child("finalizers"))
    }

    /// On update: name, namespace, uid and creationTimestamp may not change.
    static func validateUpdate(_ metadata: JSONValue?, old: JSONValue?, into errors: inout FieldErrors) {
        let path = FieldPath("metadata")
        for key in ["name", "namespace", "uid", "creationTimestamp"] {
            let new = metadata?[key] ?? .null
            let before = old?[key] ?? .null
            if new != before { errors.invalid(path.child(key), new, "field is immutable") }
        }
    }

    /// Label keys must be qualified names and values valid label values; errors are reported on the map's path.
    static func validateLabels(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        for (key, labelValue) in errors.stringMap(value, path) ?? [] {
            errors.invalid(path, key, messages: NameRules.qualifiedName(key))
            errors.invalid(path, labelValue, messages: NameRules.labelValue(labelValue))
        }
    }

    static func validateAnnotations(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        var total = 0
        for (key, annotation) in errors.stringMap(value, path) ?? [] {
            errors.invalid(path, key, messages: NameRules.qualifiedName(key.lowercased()))
            total += key.utf8.count + annotation.utf8.count
        }
        if total > totalAnnotationSizeLimit { errors.tooLong(path, max: totalAnnotationSizeLimit) }
    }

    static func validateOwnerReferences(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        var controllers: [String] = []
        for (i, element) in (errors.array(value, path) ?? []).enumerated() {
            guard let ref = errors.object(element, path.index(i)) else { continue }
            for (key, word) in [("apiVersion", "version"), ("kind", "kind"), ("name", "name"), ("uid", "uid")] {
                let text = errors.string(ref[key], path.child(key)) ?? ""
                if text.isEmpty { errors.invalid(path.child(key), .string(text), "\(word) must not be empty") }
            }
            if errors.bool(ref["controller"], path.index(i).child("controller")) == true {
                controllers.append("\(ref["kind"]?.string ?? "")/\(ref["name"]?.string ?? "")")
            }
            _ = errors.bool(ref["blockOwnerDeletion"], path.index(i).child("blockOwnerDeletion"))
        }
        if controllers.count > 1, let value {
            errors.invalid(path, value, "Only one reference can have Controller set to true. Found \"true\" in references for \(controllers.joined(separator: " and "))")
        }
    }

    /// A `metav1.LabelSelector`: matchLabels valid labels, matchExpressions with valid operators and values.
    static func validateLabelSelector(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        guard let selector = errors.object(value, path) else { return }
        validateLabels(selector["matchLabels"], path.child("matchLabels"), into: &errors)
        for (i, element) in (errors.array(selector["matchExpressions"], path.child("matchExpressions")) ?? []).enumerated() {
            let itemPath = path.child("matchExpressions").index(i)
            guard let expression = errors.object(element, itemPath) else { continue }
            let key = errors.string(expression["key"], itemPath.child("key")) ?? ""
            errors.invalid(itemPath.child("key"), key, messages: NameRules.qualifiedName(key))
            let values = errors.stringArray(expression["values"], itemPath.child("values")) ?? []
            let op = errors.string(expression["operator"], itemPath.child("operator")) ?? ""
            validateOperator(op, values: values, itemPath, allowComparisons: false, into: &errors)
            for (j, v) in values.enumerated() {
                errors.invalid(itemPath.child("values").index(j), v, messages: NameRules.labelValue(v))
            }
        }
    }

    /// The operator and value-count rules of a selector requirement; `Gt`/`Lt` (node selectors only)
    /// take exactly one integer.
    static func validateOperator(_ op: String, values: [String], _ path: FieldPath, allowComparisons: Bool,
                                 into errors: inout FieldErrors) {
        switch op {
        case "In", "NotIn":
            if values.isEmpty {
                errors.required(path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'")
            }
        case "Exists", "DoesNotExist":
            if !values.isEmpty {
                errors.forbidden(path.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
            }
        case "Gt" where allowComparisons, "Lt" where allowComparisons:
            if values.count != 1 {
                errors.required(path.child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'")
            } else if Int64(values[0]) == nil {
                errors.invalid(path.child("values").index(0), .string(values[0]), "must be an integer")
            }
        default:
            errors.invalid(path.child("operator"), .string(op), "not a valid selector operator")
        }
    }

    /// True when the selector object has neither matchLabels nor matchExpressions.
    static func isEmptySelector(_ selector: JSONValue) -> Bool {
        (selector["matchLabels"]?.object?.isEmpty ?? true) && (selector["matchExpressions"]?.array?.isEmpty ?? true)
    }

    /// Whether `selector` selects `labels`; `nil` when the selector cannot be evaluated (already reported).
    static func selector(_ selector: JSONValue, matches labels: JSONValue?) -> Bool? {
        guard let parsed = try? LabelSelector.from(selector) else { return nil }
        return parsed.matches(labels?.stringMap ?? [:])
    }
}
