/// A parsed field selector: `metadata.name=x,status.phase!=Running`.
public struct FieldSelector: Sendable, Equatable {
    /// One `field=value` or `field!=value` requirement.
    public struct Requirement: Sendable, Equatable {
        public var field: String
        public var value: String
        /// True for `!=`.
        public var negated: Bool

        public init(field: String, value: String, negated: Bool = false) {
            self.field = field
            self.value = value
            self.negated = negated
        }
    }

    public var requirements: [Requirement]

    public init(requirements: [Requirement] = []) { self.requirements = requirements }

    /// True when the selector has no requirements.
    public var isEmpty: Bool { requirements.isEmpty }

    /// Parses `f=v`, `f==v`, `f!=v` joined by commas; `resource` decides which fields are supported
    /// (unsupported → error, which the API answers with 400 BadRequest).
    public static func parse(_ text: String, for resource: ResourceInfo) throws(SelectorError) -> FieldSelector {
        var requirements: [Requirement] = []
        for raw in text.split(separator: ",", omittingEmptySubsequences: true) {
            let part = String(raw).trimmingSpaces
            var requirement: Requirement?
            for (token, negated) in [("!=", true), ("==", false), ("=", false)] {
                if let range = part.range(of: token) {
                    requirement = Requirement(field: String(part[..<range.lowerBound]).trimmingSpaces,
                                              value: String(part[range.upperBound...]).trimmingSpaces, negated: negated)
                    break
                }
            }
            guard let requirement else { throw SelectorError("invalid field selector: \"\(part)\": expected field=value") }
            guard supportedFields(for: resource).contains(requirement.field) else {
                throw SelectorError("field label not supported: \(requirement.field)")
            }
            requirements.append(requirement)
        }
        return FieldSelector(requirements: requirements)
    }

    /// Whether `object` satisfies every requirement. A missing field reads as `""` (so
    /// `spec.nodeName=` selects unbound pods) and a missing boolean as `false`.
    public func matches(_ object: JSONValue) -> Bool {
        requirements.allSatisfy { r in
            (FieldSelector.fieldValue(r.field, of: object) == r.value) != r.negated
        }
    }

    /// The string form of a selectable field of `object`.
    public static func fieldValue(_ field: String, of object: JSONValue) -> String {
        // Upstream names these two after something other than the JSON path they read.
        switch field {
        case "status.successful":
            return String(object.value(at: ["status", "succeeded"])?.int ?? 0)
        case "source":
            let component = fieldValue("source.component", of: object)
            return component.isEmpty ? fieldValue("reportingComponent", of: object) : component
        default: break
        }
        let value = object.value(at: Self.paths[field] ?? field.split(separator: ".").map(String.init))
        switch value {
        case .string(let s)?: return s
        case .bool(let b)?: return b ? "true" : "false"
        case .int(let i)?: return String(i)
        case nil where booleanFields.contains(field): return "false"
        default: return ""
        }
    }

    private static let booleanFields: Set<String> = ["spec.unschedulable"]

    /// The fields a resource can be selected by, as upstream supports them.
    public static func supportedFields(for resource: ResourceInfo) -> Set<String> {
        // The watch hub asks for every change it sees, so the sets are built once.
        switch (resource.group, resource.plural, resource.namespaced) {
        case ("", "pods", _): return podFields
        case ("", "events", _): return eventFields
        case ("", "nodes", _): return nodeFields
        case ("", "namespaces", _): return namespaceFields
        case ("batch", "jobs", _): return jobFields
        case (_, _, true): return namespacedFields
        case (_, _, false): return clusterFields
        }
    }

    private static let clusterFields: Set<String> = ["metadata.name"]
    private static let namespacedFields: Set<String> = ["metadata.name", "metadata.namespace"]
    private static let podFields = namespacedFields.union([
        "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP",
        "status.nominatedNodeName"])
    private static let eventFields = namespacedFields.union([
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
        "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"])
    private static let nodeFields = clusterFields.union(["spec.unschedulable"])
    private static let namespaceFields = clusterFields.union(["status.phase"])
    private static let jobFields = namespacedFields.union(["status.successful"])

    /// The JSON path of every supported field, split once.
    private static let paths: [String: [String]] = Dictionary(uniqueKeysWithValues: [
        podFields, eventFields, nodeFields, namespaceFields, jobFields,
    ].reduce(Set<String>()) { $0.union($1) }.map { ($0, $0.split(separator: ".").map(String.init)) })
}
