/// Syntax rules for names, label keys and label values (Kubernetes apimachinery validation).
public enum LabelSyntax {
    /// A DNS-1123 label: at most 63 characters of `[a-z0-9-]`, starting and ending alphanumeric.
    public static func isDNS1123Label(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard !bytes.isEmpty, bytes.count <= 63 else { return false }
        guard isLowerAlnum(bytes.first!), isLowerAlnum(bytes.last!) else { return false }
        return bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// A DNS-1123 subdomain: at most 253 characters, dot-separated DNS-1123 labels.
    public static func isDNS1123Subdomain(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 253 else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            let bytes = Array(part.utf8)
            guard !bytes.isEmpty, isLowerAlnum(bytes.first!), isLowerAlnum(bytes.last!) else { return false }
            return bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// A qualified name (label or annotation key): optional `prefix/` (a DNS subdomain) and a name of
    /// at most 63 characters of `[A-Za-z0-9-_.]` starting and ending alphanumeric.
    public static func isQualifiedName(_ s: String) -> Bool {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return isName(String(parts[0]))
        case 2: return isDNS1123Subdomain(String(parts[0])) && isName(String(parts[1]))
        default: return false
        }
    }

    /// A label value: empty, or at most 63 characters of `[A-Za-z0-9-_.]` starting and ending alphanumeric.
    public static func isLabelValue(_ s: String) -> Bool { s.isEmpty || isName(s) }

    private static func isName(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard !bytes.isEmpty, bytes.count <= 63, isAlnum(bytes.first!), isAlnum(bytes.last!) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    private static func isLowerAlnum(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        isLowerAlnum(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }
}
