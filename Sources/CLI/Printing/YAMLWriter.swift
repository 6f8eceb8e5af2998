import Model

/// Renders JSON as block-style YAML the way kubectl's `-o yaml` looks: two-space indentation,
/// sequences at their key's indentation, strings quoted only when a YAML 1.1 reader would otherwise
/// read something else.
enum YAMLWriter {
    /// The YAML document for `value`, ending in a newline.
    static func render(_ value: JSONValue) -> String {
        var out = ""
        switch value {
        case .object(let o) where !o.isEmpty: writeObject(o, indent: 0, into: &out)
        case .array(let a) where !a.isEmpty: writeArray(a, indent: 0, into: &out)
        default: out = inline(value, indent: 0) + "\n"
        }
        return out
    }

    private static func writeObject(_ object: JSONObject, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for (key, value) in object.pairs {
            out += pad + scalar(key) + ":"
            switch value {
            case .object(let o) where !o.isEmpty:
                out += "\n"
                writeObject(o, indent: indent + 2, into: &out)
            case .array(let a) where !a.isEmpty:
                out += "\n"
                writeArray(a, indent: indent, into: &out)
            default:
                out += " " + inline(value, indent: indent + 2) + "\n"
            }
        }
    }

    private static func writeArray(_ array: [JSONValue], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for element in array {
            switch element {
            case .object(let o) where !o.isEmpty:
                // The first key goes on the dash line; the rest align under it.
                var rendered = ""
                writeObject(o, indent: indent + 2, into: &rendered)
                out += pad + "- " + rendered.dropFirst(indent + 2)
            case .array(let a) where !a.isEmpty:
                out += pad + "-\n"
                writeArray(a, indent: indent + 2, into: &out)
            default:
                out += pad + "- " + inline(element, indent: indent + 2) + "\n"
            }
        }
    }

    /// A value that fits after `key: ` or `- ` (block scalars continue on following lines).
    private static func inline(_ value: JSONValue, indent: Int) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int, .double: return value.jsonString()
        case .string(let s):
            if let block = blockScalar(s, indent: indent) { return block }
            return scalar(s)
        case .array: return "[]"
        case .object: return "{}"
        }
    }

    /// A multi-line string as a literal block (`|`, `|-`, `|+`), when it can be one.
    private static func blockScalar(_ s: String, indent: Int) -> String? {
        guard s.contains("\n"), !s.hasPrefix(" "), !s.hasPrefix("\n"),
              s.unicodeScalars.allSatisfy({ $0 == "\n" || $0 == "\t" || $0.value >= 0x20 && $0.value != 0x7F }) else {
            return nil
        }
        var body = Substring(s)
        var chomping = "-"
        if body.hasSuffix("\n") {
            body = body.dropLast()
            chomping = body.hasSuffix("\n") ? "+" : ""
        }
        let pad = String(repeating: " ", count: indent)
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        return "|" + chomping + lines.map { $0.isEmpty ? "\n" : "\n" + pad + $0 }.joined()
    }

    /// A string as a plain, single-quoted or double-quoted scalar.
    static func scalar(_ s: String) -> String {
        if s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return JSONValue.string(s).jsonString()
        }
        return needsQuotes(s) ? "'" + s.replacingOccurrences(of: "'", with: "''") + "'" : s
    }

    private static let indicators: Set<Character> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">",
                                                     "'", "\"", "%", "@", "`"]

    /// Whether a plain scalar would be misread: typed as non-string, parsed as syntax, or trimmed.
    static func needsQuotes(_ s: String) -> Bool {
        guard let first = s.first, let last = s.last else { return true }
        if YAMLScalar.resolve(s) != .string(s) { return true }
        if indicators.contains(first) || first == " " || last == " " || last == ":" { return true }
        if s.contains(": ") || s.contains(" #") || s == "<<" { return true }
        // Timestamps and sexagesimal numbers are typed by YAML 1.1 readers too.
        if first.isNumber, s.contains("-") || s.contains(":") { return true }
        return false
    }
}
