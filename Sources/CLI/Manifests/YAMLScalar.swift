import Model

/// YAML 1.1 plain-scalar typing as Kubernetes applies it (go-yaml v2 under sigs.k8s.io/yaml):
/// `yes/no/on/off/y/n/true/false` in their three spellings are booleans, `~`/`null`/empty is null,
/// integers may be signed, `0x` hex, `0o` or leading-zero octal, `0b` binary and contain `_`, and
/// floats include `.inf`/`.nan`. Quoted scalars are always strings.
enum YAMLScalar {
    static let trueWords: Set<String> = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]
    static let falseWords: Set<String> = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]
    static let nullWords: Set<String> = ["", "~", "null", "Null", "NULL"]

    /// The value of a plain (unquoted) scalar.
    static func resolve(_ text: String) -> JSONValue {
        if nullWords.contains(text) { return .null }
        if trueWords.contains(text) { return .bool(true) }
        if falseWords.contains(text) { return .bool(false) }
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        guard let first = text.first, first.isNumber || first == "+" || first == "-" || first == "." else {
            return .string(text)
        }
        let plain = text.replacingOccurrences(of: "_", with: "")
        if let integer = integer(plain) { return integer }
        if isFloatSyntax(plain), let d = Double(plain) { return .double(d) }
        return .string(text)
    }

    /// Go's `strconv.ParseInt(s, 0, 64)` then `ParseUint`: sign, then `0x`, `0o`, `0b` or a leading
    /// `0` (octal) prefix.
    private static func integer(_ text: String) -> JSONValue? {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        var radix = 10
        let lower = body.lowercased()
        if lower.hasPrefix("0x") { radix = 16; body = body.dropFirst(2) }
        else if lower.hasPrefix("0o") { radix = 8; body = body.dropFirst(2) }
        else if lower.hasPrefix("0b") { radix = 2; body = body.dropFirst(2) }
        else if body.count > 1, body.hasPrefix("0") { radix = 8; body = body.dropFirst() }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isHexDigit }), let magnitude = UInt64(body, radix: radix) else {
            return nil
        }
        if negative {
            if magnitude <= UInt64(Int64.max) { return .int(-Int64(magnitude)) }
            if magnitude == UInt64(Int64.max) + 1 { return .int(Int64.min) }
            return nil
        }
        return magnitude <= UInt64(Int64.max) ? .int(Int64(magnitude)) : .double(Double(magnitude))
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, go-yaml's float pattern.
    static func isFloatSyntax(_ text: String) -> Bool {
        var chars = Substring(text)
        if let sign = chars.first, sign == "+" || sign == "-" { chars = chars.dropFirst() }
        let mantissa = chars.prefix { $0 != "e" && $0 != "E" }
        let exponent = chars.dropFirst(mantissa.count)
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits: (Substring) -> Bool = { $0.allSatisfy { $0.isASCII && $0.isNumber } }
        let mantissaOK: Bool
        if parts.count == 1 {
            mantissaOK = !parts[0].isEmpty && digits(parts[0])
        } else if parts[0].isEmpty {
            mantissaOK = !parts[1].isEmpty && digits(parts[1])
        } else {
            mantissaOK = digits(parts[0]) && digits(parts[1])
        }
        guard mantissaOK else { return false }
        if exponent.isEmpty { return true }
        var e = exponent.dropFirst()
        if let sign = e.first, sign == "+" || sign == "-" { e = e.dropFirst() }
        return !e.isEmpty && digits(e)
    }

    /// A mapping key as JSON needs it: resolved scalars turned back into text (`yes:` → `"true"`).
    static func keyString(_ value: JSONValue, raw: String) -> String {
        switch value {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .null: return "null"
        default: return raw
        }
    }
}
