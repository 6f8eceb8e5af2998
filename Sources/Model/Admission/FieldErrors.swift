/// Collects every field error found while validating one object, worded as Kubernetes words them
/// (apimachinery `field.Error`): `Required value`, `Invalid value: "x": detail`,
/// `Unsupported value: "x": supported values: "a", "b"`, `Forbidden: detail`, `Duplicate value: "x"`.
struct FieldErrors {
    private(set) var causes: [StatusCause] = []

    var isEmpty: Bool { causes.isEmpty }

    mutating func required(_ path: FieldPath, _ detail: String = "") {
        add("FieldValueRequired", path, "Required value", detail: detail)
    }

    mutating func invalid(_ path: FieldPath, _ value: JSONValue, _ detail: String) {
        add("FieldValueInvalid", path, "Invalid value: \(Self.render(value))", detail: detail)
    }

    mutating func notSupported(_ path: FieldPath, _ value: JSONValue, _ supported: [String]) {
        let detail = supported.isEmpty ? "" : "supported values: " + supported.map(\.goQuoted).joined(separator: ", ")
        add("FieldValueNotSupported", path, "Unsupported value: \(Self.render(value))", detail: detail)
    }

    mutating func forbidden(_ path: FieldPath, _ detail: String) {
        add("FieldValueForbidden", path, "Forbidden", detail: detail)
    }

    mutating func duplicate(_ path: FieldPath, _ value: JSONValue) {
        add("FieldValueDuplicate", path, "Duplicate value: \(Self.render(value))", detail: "")
    }

    mutating func notFound(_ path: FieldPath, _ value: JSONValue) {
        add("FieldValueNotFound", path, "Not found: \(Self.render(value))", detail: "")
    }

    mutating func tooLong(_ path: FieldPath, max: Int) {
        add("FieldValueTooLong", path, "Too long", detail: "may not be more than \(max) bytes")
    }

    /// A list with more items than allowed (upstream's `TooMany`).
    mutating func tooMany(_ path: FieldPath, max: Int) {
        add("FieldValueTooMany", path, "Too many", detail: "must have at most \(max) items")
    }

    /// A value of the wrong JSON type, e.g. a string where an object belongs.
    mutating func typeInvalid(_ path: FieldPath, _ value: JSONValue, expected: String) {
        add("FieldValueTypeInvalid", path, "Invalid value: \(Self.render(value))", detail: "must be of type \(expected)")
    }

    /// Adds every message of a syntax check as its own `Invalid value` cause, as upstream does.
    mutating func invalid(_ path: FieldPath, _ value: String, messages: [String]) {
        for message in messages { invalid(path, .string(value), message) }
    }

    /// `must be greater than or equal to 0` for a negative number.
    mutating func nonNegative(_ value: Int64?, _ path: FieldPath) {
        if let value, value < 0 { invalid(path, .int(value), "must be greater than or equal to 0") }
    }

    /// Appends causes collected elsewhere.
    mutating func append(_ other: FieldErrors) { causes += other.causes }

    private mutating func add(_ reason: String, _ path: FieldPath, _ head: String, detail: String) {
        let message = detail.isEmpty ? head : "\(head): \(detail)"
        causes.append(StatusCause(reason: reason, message: message, field: path.description))
    }

    /// Renders a bad value as Go's field errors do: strings quoted, numbers and booleans bare,
    /// anything else as compact JSON.
    static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s.goQuoted
        case .int(let i): return String(i)
        case .double(let d): return d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .bool(let b): return String(b)
        case .null: return "null"
        case .array, .object: return value.jsonString()
        }
    }
}
