/// A text that is not a valid Kubernetes quantity.
public struct QuantityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text that was rejected.
    public var text: String
    /// Full-sentence explanation.
    public var message: String

    public var description: String { message }

    static func formatWrong(_ text: String) -> QuantityError {
        QuantityError(text: text, message: "quantity \"\(text)\" is not valid: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'.")
    }

    static func unknownSuffix(_ text: String, _ suffix: String) -> QuantityError {
        QuantityError(text: text, message: "quantity \"\(text)\" has the unknown suffix \"\(suffix)\": use Ki, Mi, Gi, Ti, Pi, Ei, n, u, m, k, M, G, T, P, E or an exponent such as e3.")
    }

    static func tooLarge(_ text: String) -> QuantityError {
        QuantityError(text: text, message: "quantity \"\(text)\" is too large to represent.")
    }
}

extension Quantity {
    private static let binaryPowers: [String: Int] = ["Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6]
    private static let decimalPowers: [String: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    /// Exponents beyond this magnitude overflow (or round to one nano-unit) anyway.
    private static let exponentLimit = 100

    /// Parses `500m`, `1.5`, `256Mi`, `1e3`, `-0.5Ki` and the rest of upstream's grammar.
    public init(parsing text: String) throws(QuantityError) {
        let bytes = Array(text.utf8)
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        let whole = Self.digits(bytes, from: &index)
        var fraction: [UInt8] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fraction = Self.digits(bytes, from: &index)
        }
        guard !whole.isEmpty || !fraction.isEmpty else { throw .formatWrong(text) }
        let suffix = String(decoding: bytes[index...], as: UTF8.self)

        var digits = whole + fraction
        var nanoScale: Int  // value = digits × 10^nanoScale nano-units (× 1024^binaryPower)
        var binaryPower = 0
        let format: Format
        if let power = Self.binaryPowers[suffix] {
            binaryPower = power
            nanoScale = 9 - fraction.count
            format = .binarySI
        } else if let power = Self.decimalPowers[suffix] {
            nanoScale = 9 + power - fraction.count
            format = .decimalSI
        } else if let exponent = Self.exponent(suffix) {
            nanoScale = 9 + max(-Self.exponentLimit, min(Self.exponentLimit, exponent)) - fraction.count
            format = .decimalExponent
        } else if Self.looksLikeSuffix(suffix) {
            throw .unknownSuffix(text, suffix)
        } else {
            throw .formatWrong(text)
        }

        while let last = digits.last, last == UInt8(ascii: "0") {
            digits.removeLast()
            nanoScale += 1
        }
        while let first = digits.first, first == UInt8(ascii: "0") { digits.removeFirst() }
        guard !digits.isEmpty else {
            self.init(nanoValue: 0, format: format)
            return
        }
        guard let magnitude = Self.magnitude(digits: digits, nanoScale: nanoScale, binaryPower: binaryPower) else {
            throw .tooLarge(text)
        }
        self.init(nanoValue: negative ? -magnitude : magnitude, format: format)
    }

    /// A quantity from JSON: a string (`"500m"`) or a plain number (`2`, `0.5`), as manifests carry both.
    public init(json: JSONValue) throws(QuantityError) {
        switch json {
        case .string(let s): try self.init(parsing: s)
        case .int(let i): self.init(i)
        case .double(let d): try self.init(parsing: "\(d)")
        default: throw QuantityError(text: json.jsonString(), message: "a quantity must be a string or a number, not \(json.typeName).")
        }
    }

    private static func digits(_ bytes: [UInt8], from index: inout Int) -> [UInt8] {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        return Array(bytes[start..<index])
    }

    /// The power of ten in an `e3` / `E-3` suffix.
    private static func exponent(_ suffix: String) -> Int? {
        guard let first = suffix.first, first == "e" || first == "E" else { return nil }
        var rest = Substring(suffix.dropFirst())
        var sign = 1
        if let s = rest.first, s == "+" || s == "-" {
            sign = s == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        // Long digit strings are clamped: they overflow or round to one nano-unit either way.
        return sign * (Int(rest.prefix(6)) ?? exponentLimit)
    }

    /// Suffix-shaped text (upstream's `[eEinumkKMGTP]*[-+]?[0-9]*`) that is still not a known suffix.
    private static func looksLikeSuffix(_ suffix: String) -> Bool {
        var rest = Substring(suffix)
        while let c = rest.first, "eEinumkKMGTP".contains(c) { rest = rest.dropFirst() }
        if let c = rest.first, c == "+" || c == "-" { rest = rest.dropFirst() }
        return rest.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `digits × 1024^binaryPower × 10^nanoScale`, rounded up when the scale drops digits;
    /// nil on overflow. `digits` has no leading or trailing zeros.
    private static func magnitude(digits: [UInt8], nanoScale: Int, binaryPower: Int) -> Int128? {
        var kept = digits
        var dropped = false
        // Decimal values can drop sub-nano digits before converting, which keeps long inputs exact.
        if binaryPower == 0, nanoScale < 0 {
            let drop = min(-nanoScale, kept.count)
            kept.removeLast(drop)
            dropped = true
        }
        guard kept.count <= 38 else { return nil }
        var n: Int128 = 0
        for d in kept { n = n * 10 + Int128(d - UInt8(ascii: "0")) }
        if binaryPower == 0 {
            if dropped { return n + 1 }
            return multiply(n, byPowerOf: 10, nanoScale)
        }
        guard let scaled = multiply(n, byPowerOf: 1024, binaryPower) else { return nil }
        if nanoScale >= 0 { return multiply(scaled, byPowerOf: 10, nanoScale) }
        guard -nanoScale <= 38 else { return 1 }
        return divideAwayFromZero(scaled, by: power(10, -nanoScale))
    }

    private static func multiply(_ n: Int128, byPowerOf base: Int128, _ exponent: Int) -> Int128? {
        var result = n
        for _ in 0..<exponent {
            let (product, overflow) = result.multipliedReportingOverflow(by: base)
            if overflow { return nil }
            result = product
        }
        return result
    }

    private static func power(_ base: Int128, _ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= base }
        return result
    }
}
