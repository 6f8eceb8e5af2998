/// A small resource-quantity reader for validation only (`500m`, `1.5Gi`, `2e3`). The full Quantity
/// type lives elsewhere; this may be swapped for it.
enum QuantitySyntax {
    /// Upstream's message for a malformed quantity.
    static let format = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

    /// True for `<sign><number><suffix>` with a binary-SI, decimal-SI or exponent suffix.
    static func isValidQuantity(_ text: String) -> Bool { value(of: text) != nil }

    /// The quantity's value as a Double, precise enough to compare requests with limits; `nil` when malformed.
    static func value(of text: String) -> Double? {
        var chars = Substring(text)
        var sign = 1.0
        if let first = chars.first, first == "+" || first == "-" {
            if first == "-" { sign = -1 }
            chars = chars.dropFirst()
        }
        let number = chars.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let suffix = chars.dropFirst(number.count)
        guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1,
              let magnitude = Double(number.hasPrefix(".") ? "0" + number : String(number)),
              let multiplier = multiplier(of: suffix) else { return nil }
        return sign * magnitude * multiplier
    }

    private static func multiplier(of suffix: Substring) -> Double? {
        let table: [Substring: Double] = [
            "": 1, "n": 1e-9, "u": 1e-6, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
            "Ki": 1024, "Mi": 1_048_576, "Gi": 1_073_741_824, "Ti": 1_099_511_627_776,
            "Pi": 1_125_899_906_842_624, "Ei": 1_152_921_504_606_846_976,
        ]
        if let m = table[suffix] { return m }
        guard let first = suffix.first, first == "e" || first == "E" else { return nil }
        var exponent = suffix.dropFirst()
        var negative = false
        if let s = exponent.first, s == "+" || s == "-" {
            negative = s == "-"
            exponent = exponent.dropFirst()
        }
        guard !exponent.isEmpty, exponent.allSatisfy({ $0.isASCII && $0.isNumber }), let e = Double(exponent), e <= 308 else { return nil }
        return pow10(negative ? -e : e)
    }

    private static func pow10(_ e: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(abs(e)) { result *= 10 }
        return e < 0 ? 1 / result : result
    }
}
