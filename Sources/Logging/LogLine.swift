import Foundation

/// One event, rendered as logfmt or JSON with the keys ts, level, component, msg, then the fields
/// in order (`object` first when there is one).
struct LogLine {
    var time: Date
    var level: LogLevel
    var component: String
    var message: String
    var fields: [(String, String)]

    private var pairs: [(String, String)] {
        [("ts", Self.timestamp(time)), ("level", level.name), ("component", component), ("msg", message)] + fields
    }

    var json: String {
        "{" + pairs.map { Self.quoted($0.0) + ":" + Self.quoted($0.1) }.joined(separator: ",") + "}"
    }

    var logfmt: String {
        pairs.map { $0.0 + "=" + Self.logfmtValue($0.1) }.joined(separator: " ")
    }

    /// RFC 3339 in UTC with milliseconds.
    static func timestamp(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var time = time_t(millis / 1000)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, Int(millis % 1000))
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A bare value when it has no space, quote, `=` or control character; else a quoted one.
    static func logfmtValue(_ text: String) -> String {
        let bare = !text.isEmpty && !text.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.value < 0x20 || $0 == "\\" }
        return bare ? text : quoted(text)
    }
}
