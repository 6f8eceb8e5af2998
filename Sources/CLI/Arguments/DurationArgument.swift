/// A duration flag value: `90` or `90s` seconds, `5m`, `1h`, or a Go-style sum such as `1m30s`.
enum DurationArgument {
    /// Seconds, or a `UsageError` naming the flag.
    static func seconds(_ text: String, flag: String) throws(UsageError) -> Double {
        if let plain = Double(text), plain >= 0 { return plain }
        var total = 0.0
        var number = ""
        for c in text {
            if c.isNumber || c == "." {
                number.append(c)
                continue
            }
            let scale: Double
            switch c {
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: throw UsageError("invalid argument \"\(text)\" for \"--\(flag)\": expected a duration such as 30s, 5m or 1h")
            }
            guard let value = Double(number) else {
                throw UsageError("invalid argument \"\(text)\" for \"--\(flag)\": expected a duration such as 30s, 5m or 1h")
            }
            total += value * scale
            number = ""
        }
        guard number.isEmpty, !text.isEmpty else {
            throw UsageError("invalid argument \"\(text)\" for \"--\(flag)\": expected a duration such as 30s, 5m or 1h")
        }
        return total
    }
}
