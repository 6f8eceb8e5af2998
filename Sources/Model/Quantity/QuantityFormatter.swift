/// Upstream's canonical quantity text (`CanonicalizeBytes`): the largest suffix that keeps the
/// number whole, with decimal exponents in steps of three.
enum QuantityFormatter {
    private static let decimalSuffixes: [Int: String] = [
        -9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E",
    ]
    private static let binarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]

    static func canonical(_ q: Quantity) -> String {
        if q.isZero { return "0" }
        let sign = q.nanoValue < 0 ? "-" : ""
        let magnitude = q.nanoValue.magnitude
        if q.format == .binarySI, let binary = binaryText(magnitude) {
            return sign + binary
        }
        return sign + decimalText(magnitude, exponentOnly: q.format == .decimalExponent)
    }

    /// Whole amounts of at least 1024 in powers of 1024; nil for the rest, which upstream prints
    /// in decimal so nothing is rounded.
    private static func binaryText(_ nanos: UInt128) -> String? {
        let (units, remainder) = nanos.quotientAndRemainder(dividingBy: 1_000_000_000)
        guard remainder == 0, units >= 1024 else { return nil }
        var amount = units
        var power = 0
        while power < binarySuffixes.count - 1, amount % 1024 == 0 {
            amount /= 1024
            power += 1
        }
        return "\(amount)\(binarySuffixes[power])"
    }

    private static func decimalText(_ nanos: UInt128, exponentOnly: Bool) -> String {
        var amount = nanos
        var exponent = -9
        while amount % 10 == 0 {
            amount /= 10
            exponent += 1
        }
        // Bring the exponent down to a multiple of three, as upstream does.
        let shift = (exponent % 3 + 3) % 3
        let (shifted, overflow) = amount.multipliedReportingOverflow(by: [1, 10, 100][shift])
        if overflow {
            // Only the very largest amounts get here; print them exactly rather than in steps of three.
            return "\(amount)e\(exponent)"
        }
        amount = shifted
        exponent -= shift
        if !exponentOnly, let suffix = decimalSuffixes[exponent] {
            return "\(amount)\(suffix)"
        }
        return exponent == 0 ? "\(amount)" : "\(amount)e\(exponent)"
    }
}
