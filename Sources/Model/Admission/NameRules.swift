/// Syntax checks that return upstream's error messages (apimachinery `util/validation`), one message
/// per broken rule; an empty result means the value is valid.
public enum NameRules {
    static let dns1123LabelFormat = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let dns1123SubdomainFormat = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let qualifiedNameFormat = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    static let labelValueFormat = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    static let envVarNameFormat = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"

    static func maxLength(_ n: Int) -> String { "must be no more than \(n) characters" }

    /// DNS-1123 label: namespace names, container names, volume names.
    /// apimachinery's IsValidPathSegmentName: not `.` or `..`, no `/` or `%`.
    static func pathSegmentMessages(_ s: String) -> [String] {
        if s == "." || s == ".." { return ["may not be '\(s)'"] }
        var messages: [String] = []
        for bad in ["/", "%"] where s.contains(bad) { messages.append("may not contain '\(bad)'") }
        return messages
    }

    static func dns1123Label(_ s: String) -> [String] {
        var errors: [String] = []
        if s.utf8.count > 63 { errors.append(maxLength(63)) }
        if !isDNSLabelShape(Substring(s)) { errors.append(dns1123LabelFormat) }
        return errors
    }

    /// DNS-1123 subdomain: most object names.
    public static func dns1123Subdomain(_ s: String) -> [String] {
        var errors: [String] = []
        if s.utf8.count > 253 { errors.append(maxLength(253)) }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        if !parts.allSatisfy(isDNSLabelShape) { errors.append(dns1123SubdomainFormat) }
        return errors
    }

    /// Label keys, annotation keys, toleration keys: `[prefix/]name`.
    static func qualifiedName(_ s: String) -> [String] {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        var errors: [String] = []
        let name: Substring
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            name = parts[1]
            if parts[0].isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += dns1123Subdomain(String(parts[0])).map { "prefix part \($0)" }
            }
        default:
            return ["a qualified name " + qualifiedNameFormat + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            errors.append("name part " + maxLength(63))
        }
        if !name.isEmpty && !isNameShape(name) {
            errors.append("name part " + qualifiedNameFormat)
        }
        return errors
    }

    /// Label values: empty, or a name of at most 63 characters.
    static func labelValue(_ s: String) -> [String] {
        var errors: [String] = []
        if s.utf8.count > 63 { errors.append(maxLength(63)) }
        if !s.isEmpty && !isNameShape(Substring(s)) { errors.append(labelValueFormat) }
        return errors
    }

    /// Environment variable names (`[-._a-zA-Z][-._a-zA-Z0-9]*`).
    public static func envVarName(_ s: String) -> [String] {
        let bytes = Array(s.utf8)
        let symbol: (UInt8) -> Bool = { isLetter($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") }
        guard let first = bytes.first, symbol(first), bytes.allSatisfy({ symbol($0) || isDigit($0) }) else {
            return [envVarNameFormat]
        }
        return []
    }

    /// IANA service names, used for port names.
    static func portName(_ s: String) -> [String] {
        var errors: [String] = []
        let bytes = Array(s.utf8)
        if bytes.count > 15 { errors.append("must be no more than 15 characters") }
        if !bytes.allSatisfy({ isLowerAlnum($0) || $0 == UInt8(ascii: "-") }) {
            errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if s.contains("--") { errors.append("must not contain consecutive hyphens") }
        if !bytes.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) {
            errors.append("must contain at least one letter (a-z)")
        }
        if s.hasPrefix("-") || s.hasSuffix("-") { errors.append("must not begin or end with a hyphen") }
        return errors
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?` regardless of length.
    private static func isDNSLabelShape(_ s: Substring) -> Bool {
        let bytes = Array(s.utf8)
        guard let first = bytes.first, let last = bytes.last, isLowerAlnum(first), isLowerAlnum(last) else { return false }
        return bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` regardless of length.
    private static func isNameShape(_ s: Substring) -> Bool {
        let bytes = Array(s.utf8)
        guard let first = bytes.first, let last = bytes.last, isAlnum(first), isAlnum(last) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    private static func isLetter(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }
    private static func isLowerAlnum(_ c: UInt8) -> Bool { isDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) }
    private static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isLetter(c) }
}
