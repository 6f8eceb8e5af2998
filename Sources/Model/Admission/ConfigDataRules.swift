import Foundation

/// The rules Secrets and ConfigMaps share (upstream `IsConfigMapKey`, `MaxSecretSize`), also used
/// for the keys and paths pods name in `secretKeyRef`, `configMapKeyRef` and volume items.
enum ConfigDataRules {
    /// Upstream `MaxSecretSize`: the sum of a Secret's or ConfigMap's values may not exceed 1 MiB.
    static let maxSize = 1024 * 1024
    static let keyFormat = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
    /// What a field error shows instead of a Secret's value (upstream's placeholder).
    static let redacted = "<secret contents redacted>"

    /// Upstream `IsConfigMapKey`: `[-._a-zA-Z0-9]+`, at most 253 characters, not `.`, `..` or `..*`
    /// (a key becomes a file name in a volume, beside the `..data` link).
    static func keyMessages(_ key: String) -> [String] {
        var messages: [String] = []
        if key.utf8.count > 253 { messages.append(NameRules.maxLength(253)) }
        let allowed = !key.isEmpty && key.utf8.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
                || c == UInt8(ascii: ".")
        }
        if !allowed { messages.append(keyFormat) }
        if key == "." {
            messages.append("must not be '.'")
        } else if key == ".." {
            messages.append("must not be '..'")
        } else if key.hasPrefix("..") {
            messages.append("must not start with '..'")
        }
        return messages
    }

    /// Checks every key of the map at `path` (an object of strings) and returns the decoded size
    /// of its values; `base64` says the values are base64 (Secret `data`, ConfigMap `binaryData`).
    /// A value that is not valid base64 is reported without showing it.
    static func validateEntries(_ value: JSONValue?, _ path: FieldPath, base64: Bool, into errors: inout FieldErrors) -> Int {
        guard let value, !value.isNull else { return 0 }
        guard let map = value.object else {
            errors.typeInvalid(path, .string(base64 ? redacted : value.typeName), expected: "object")
            return 0
        }
        var size = 0
        for (key, entry) in map.pairs {
            for message in keyMessages(key) { errors.invalid(path.key(key), .string(key), message) }
            guard let text = entry.string else {
                errors.typeInvalid(path.key(key), .string(entry.typeName), expected: "string")
                continue
            }
            if base64 {
                guard let bytes = Data(base64Encoded: text) else {
                    errors.invalid(path.key(key), .string(redacted), "illegal base64 data")
                    continue
                }
                size += bytes.count
            } else {
                size += text.utf8.count
            }
        }
        return size
    }

    /// Upstream's immutability rule: once `immutable` is true it stays true and `fields` keep their values.
    static func validateImmutable(_ object: JSONValue, old: JSONValue, fields: [String], into errors: inout FieldErrors) {
        guard old["immutable"]?.bool == true else { return }
        let message = "field is immutable when `immutable` is set"
        if object["immutable"]?.bool != true { errors.forbidden(FieldPath("immutable"), message) }
        for field in fields where (object[field] ?? .emptyObject).nonEmptyOrNil != (old[field] ?? .emptyObject).nonEmptyOrNil {
            errors.forbidden(FieldPath(field), message)
        }
    }
}

private extension JSONValue {
    /// nil for null and `{}`, which Go's decoder makes the same empty map.
    var nonEmptyOrNil: JSONValue? {
        if isNull { return nil }
        if let object, object.count == 0 { return nil }
        return self
    }
}
