/// Go's `%q` verb, for messages that must read exactly as upstream's (field errors, cron and
/// duration parse errors, controller events).
extension String {
    /// The string in double quotes with Go's escapes: `\"`, `\\`, `\n`, `\t`, `\r`, and `\xNN` for
    /// other control characters.
    public var goQuoted: String {
        var out = "\""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
