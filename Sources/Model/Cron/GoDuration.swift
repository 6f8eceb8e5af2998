/// Go's duration syntax (`time.ParseDuration`): a sequence of decimal numbers with units, such as
/// `1h30m`, `90s`, `1.5h` or `300ms`; units `ns`, `us`, `µs`, `ms`, `s`, `m`, `h`.
public enum GoDuration {
    private static let units: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// The duration in nanoseconds; the error message has Go's wording (`time: invalid duration "x"`).
    public static func parse(_ text: String) throws(CronParseError) -> Int64 {
        let invalid = CronParseError("time: invalid duration \(text.goQuoted)")
        var rest = Substring(text)
        var sign = 1.0
        if let first = rest.first, first == "+" || first == "-" {
            sign = first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        if rest.isEmpty { throw invalid }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", let value = Double(number.hasPrefix(".") ? "0" + number : String(number)) else {
                throw invalid
            }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard !unitText.isEmpty else {
                throw CronParseError("time: missing unit in duration \(text.goQuoted)")
            }
            guard let unit = units.first(where: { $0.0 == unitText }) else {
                throw CronParseError("time: unknown unit \(String(unitText).goQuoted) in duration \(text.goQuoted)")
            }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        guard total < 9.2e18 else { throw invalid }
        return Int64(sign * total)
    }
}
