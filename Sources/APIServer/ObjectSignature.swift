import Model

/// What selectors look at in an object: namespace, labels and the selectable field values. The watch
/// hub remembers the signature of every object's previous state so a change that makes an object
/// stop (or start) matching a watcher's selectors becomes a DELETED (or ADDED) event, as upstream.
struct ObjectSignature: Sendable, Equatable {
    var namespace: String
    var labels: [String: String]
    var fields: [String: String]

    init(_ object: JSONValue, resource: ResourceInfo) {
        namespace = object.value(at: ["metadata", "namespace"])?.string ?? ""
        labels = object.value(at: ["metadata", "labels"])?.stringMap ?? [:]
        var fields: [String: String] = [:]
        for field in FieldSelector.supportedFields(for: resource) {
            fields[field] = FieldSelector.fieldValue(field, of: object)
        }
        self.fields = fields
    }

    /// Whether this state matches a watcher's namespace and selectors.
    func matches(namespace wanted: String?, labels labelSelector: LabelSelector, fields fieldSelector: FieldSelector) -> Bool {
        if let wanted, wanted != namespace { return false }
        guard labelSelector.matches(labels) else { return false }
        return fieldSelector.requirements.allSatisfy { r in ((fields[r.field] ?? "") == r.value) != r.negated }
    }
}
