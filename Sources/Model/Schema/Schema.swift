/// Known field names of the Kubernetes types Drover serves, for strict field validation
/// (`fieldValidation=Strict`): which fields of a request body no type declares.
///
/// The table is generated from the Kubernetes v0.32 protobuf definitions by `scripts/gen-schema.py`.
public enum Schema {
    /// One type: field name → child type name (`nil` for leaves) and whether the field is a list.
    struct TypeFields: Sendable {
        var fields: [String: (child: String?, isList: Bool)]
    }

    /// The parsed table, built once on first use.
    static let types: [String: TypeFields] = parse(SchemaTable.text)

    /// Paths of the fields in `object` that the schema of `kind` does not know, in document order,
    /// e.g. `["spec.foo", "spec.template.spec.containers[0].bar"]`. `apiVersion` and `kind` are known
    /// at the top; an unknown kind yields no paths (nothing to check against).
    public static func unknownFields(in object: JSONValue, kind: String) -> [String] {
        guard let root = SchemaTable.roots[kind], let fields = object.object else { return [] }
        var found: [String] = []
        for (key, value) in fields.pairs where key != "apiVersion" && key != "kind" {
            walk(key: key, value: value, typeName: root, prefix: "", into: &found)
        }
        return found
    }

    /// The 400 BadRequest a strict request gets when `object` has unknown fields, or `nil` when it has none.
    /// The message has upstream's form: `strict decoding error: unknown field "spec.foo", unknown field "..."`.
    public static func strictDecodingError(in object: JSONValue, kind: String) -> StatusError? {
        let unknown = unknownFields(in: object, kind: kind)
        if unknown.isEmpty { return nil }
        let list = unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
        return .badRequest("strict decoding error: \(list)")
    }

    /// True when `kind` has a schema.
    public static func knows(kind: String) -> Bool { SchemaTable.roots[kind] != nil }

    private static func walk(key: String, value: JSONValue, typeName: String, prefix: String, into found: inout [String]) {
        let path = prefix.isEmpty ? key : "\(prefix).\(key)"
        guard let field = types[typeName]?.fields[key] else {
            found.append(path)
            return
        }
        guard let child = field.child else { return }
        if field.isList, let elements = value.array {
            for (index, element) in elements.enumerated() {
                walkObject(element, typeName: child, prefix: "\(path)[\(index)]", into: &found)
            }
        } else if !field.isList {
            walkObject(value, typeName: child, prefix: path, into: &found)
        }
    }

    /// Values of the wrong JSON type are left to validation, which reports them with their own reason.
    private static func walkObject(_ value: JSONValue, typeName: String, prefix: String, into found: inout [String]) {
        guard let object = value.object else { return }
        for (key, child) in object.pairs {
            walk(key: key, value: child, typeName: typeName, prefix: prefix, into: &found)
        }
    }

    /// Parses lines of `type field field:child field:child*`.
    static func parse(_ text: String) -> [String: TypeFields] {
        var table: [String: TypeFields] = [:]
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard let name = words.first else { continue }
            var fields: [String: (child: String?, isList: Bool)] = [:]
            for word in words.dropFirst() {
                let parts = word.split(separator: ":", maxSplits: 1)
                let fieldName = String(parts[0])
                if parts.count == 2 {
                    let isList = parts[1].hasSuffix("*")
                    fields[fieldName] = (String(isList ? parts[1].dropLast() : parts[1]), isList)
                } else {
                    fields[fieldName] = (nil, false)
                }
            }
            table[String(name)] = TypeFields(fields: fields)
        }
        return table
    }
}
