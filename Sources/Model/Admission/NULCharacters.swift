/// Finds U+0000 in the strings of an object, keys included.
///
/// JSON allows `\u0000` and Go strings hold it, but PostgreSQL's jsonb refuses it (SQLSTATE 22P05
/// "unsupported Unicode escape sequence"), so a body carrying one can never be stored. It is bad
/// input, answered before anything reaches the store, with the field path of every offender.
enum NULCharacters {
    /// Shown values are cut to this many characters (a huge string must not fill the message).
    static let shownLength = 64

    static let valueDetail = "NUL characters (\\u0000) are not allowed"
    static let keyDetail = "NUL characters (\\u0000) are not allowed in field names or map keys"

    /// One `FieldValueInvalid` cause per string (value or key) holding a NUL, in document order.
    /// Paths are dotted for members and indexed for list elements (`metadata.annotations.x`,
    /// `spec.foo[2]`), the form `Schema.unknownFields` prints too; a NUL inside a key is printed
    /// as `\u0000` so the path stays readable.
    /// `redactValues` (Secrets) shows `<secret contents redacted>` instead of any value.
    static func find(in value: JSONValue, redactValues: Bool = false) -> FieldErrors {
        var errors = FieldErrors()
        walk(value, path: FieldPath(""), redact: redactValues, into: &errors)
        return errors
    }

    private static func walk(_ value: JSONValue, path: FieldPath, redact: Bool, into errors: inout FieldErrors) {
        switch value {
        case .string(let s):
            if containsNUL(s) { errors.invalid(path, .string(redact ? ConfigDataRules.redacted : shown(s)), valueDetail) }
        case .array(let elements):
            for (i, element) in elements.enumerated() { walk(element, path: path.index(i), redact: redact, into: &errors) }
        case .object(let members):
            for (key, member) in members.pairs {
                let child = path.child(containsNUL(key) ? escaped(key) : key)
                if containsNUL(key) { errors.invalid(child, .string(shown(key)), keyDetail) }
                walk(member, path: child, redact: redact, into: &errors)
            }
        case .int, .double, .bool, .null:
            break
        }
    }

    /// Byte scan of the UTF-8 view: no allocation for native strings.
    static func containsNUL(_ s: String) -> Bool {
        s.utf8.contains(0)
    }

    private static func escaped(_ key: String) -> String {
        key.replacingNULs(with: "\\u0000")
    }

    private static func shown(_ s: String) -> String {
        s.count <= shownLength ? s : String(s.prefix(shownLength)) + "..."
    }
}

extension String {
    /// The string with every U+0000 replaced by `replacement`.
    fileprivate func replacingNULs(with replacement: String) -> String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar.value == 0 { out += replacement } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
