/// Typed reads from the JSON tree that record a type error instead of failing, so a string where an
/// object belongs becomes a 422 cause and validation carries on with the rest of the object.
extension FieldErrors {
    /// The value when it is an object; `nil` when absent or `null` (silently) or of another type (recorded).
    mutating func object(_ value: JSONValue?, _ path: FieldPath) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        if value.object != nil { return value }
        typeInvalid(path, value, expected: "object")
        return nil
    }

    mutating func string(_ value: JSONValue?, _ path: FieldPath) -> String? {
        guard let value, !value.isNull else { return nil }
        if let s = value.string { return s }
        typeInvalid(path, value, expected: "string")
        return nil
    }

    mutating func int(_ value: JSONValue?, _ path: FieldPath) -> Int64? {
        guard let value, !value.isNull else { return nil }
        if let i = value.int { return i }
        typeInvalid(path, value, expected: "integer")
        return nil
    }

    mutating func bool(_ value: JSONValue?, _ path: FieldPath) -> Bool? {
        guard let value, !value.isNull else { return nil }
        if let b = value.bool { return b }
        typeInvalid(path, value, expected: "boolean")
        return nil
    }

    mutating func array(_ value: JSONValue?, _ path: FieldPath) -> [JSONValue]? {
        guard let value, !value.isNull else { return nil }
        if let a = value.array { return a }
        typeInvalid(path, value, expected: "array")
        return nil
    }

    /// An array of strings; non-string elements are recorded at their index and skipped.
    mutating func stringArray(_ value: JSONValue?, _ path: FieldPath) -> [String]? {
        guard let elements = array(value, path) else { return nil }
        return elements.enumerated().compactMap { string($0.element, path.index($0.offset)) }
    }

    /// A string-to-string map (labels, annotations, nodeSelector); non-string values are recorded at
    /// `path[key]` and skipped.
    mutating func stringMap(_ value: JSONValue?, _ path: FieldPath) -> [(key: String, value: String)]? {
        guard let object = object(value, path)?.object else { return nil }
        return object.pairs.compactMap { pair in
            string(pair.value, path.key(pair.key)).map { (pair.key, $0) }
        }
    }

    /// An integer that must be `≥ 0` when present.
    mutating func nonNegativeInt(_ value: JSONValue?, _ path: FieldPath) {
        nonNegative(int(value, path), path)
    }

    /// A string that must be one of `supported` when present.
    mutating func oneOf(_ value: JSONValue?, _ path: FieldPath, _ supported: [String], required: Bool = false) {
        guard let s = string(value, path) else {
            if required, value == nil || value == .null { self.required(path) }
            return
        }
        if s.isEmpty, required {
            self.required(path)
        } else if !supported.contains(s) {
            notSupported(path, .string(s), supported)
        }
    }
}

/// Defaulting helpers: they only ever fill in absent (or `null`) members of objects and never touch
/// values of the wrong type, which validation reports afterwards.
extension JSONValue {
    /// Sets `key` to `value` when this is an object whose `key` is absent or `null`.
    mutating func setDefault(_ key: String, _ value: @autoclosure () -> JSONValue) {
        guard case .object(var members) = self, (members[key] ?? .null).isNull else { return }
        members[key] = value()
        self = .object(members)
    }

    /// Runs `body` on the object at `key`, creating an empty one when absent or `null` (if `create`).
    /// Does nothing when this is not an object or the member is not an object.
    mutating func withChild(_ key: String, create: Bool = true, _ body: (inout JSONValue) -> Void) {
        guard case .object(var members) = self else { return }
        var child = members[key] ?? .null
        if child.isNull {
            guard create else { return }
            child = .emptyObject
        }
        guard child.object != nil else { return }
        // Drop the other references first, so `body` and the write back change the objects in
        // place instead of copying each level on the way down.
        self = .null
        members[key] = .null
        body(&child)
        members[key] = child
        self = .object(members)
    }

    /// Runs `body` on every object element of the array at `key`.
    mutating func withEach(_ key: String, _ body: (inout JSONValue) -> Void) {
        guard case .object(var members) = self, case .array(var elements)? = members[key] else { return }
        self = .null   // as in withChild: no copies of the levels being changed
        members[key] = .null
        for i in elements.indices where elements[i].object != nil {
            body(&elements[i])
        }
        members[key] = .array(elements)
        self = .object(members)
    }
}
