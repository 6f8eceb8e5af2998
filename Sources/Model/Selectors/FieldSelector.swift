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
        let value = object.value(at: field.split(separator: ".").map(String.init))
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
        var fields: Set<String> = ["metadata.name"]
        if resource.namespaced { fields.insert("metadata.namespace") }
        switch (resource.group, resource.plural) {
        case ("", "pods"):
            fields.formUnion(["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                              "status.phase", "status.podIP", "status.nominatedNodeName"])
        case ("", "events"):
            fields.formUnion(["involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                              "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                              "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"])
        case ("", "nodes"): fields.insert("spec.unschedulable")
        case ("", "namespaces"): fields.insert("status.phase")
        case ("batch", "jobs"): fields.insert("status.successful")
        default: break
        }
        return fields
    }
}
