/// A Kubernetes `resource.Quantity`: an exact decimal amount such as `500m`, `1.5`, `256Mi` or `1e3`,
/// with the notation it was written in, so it prints back the way upstream prints it.
///
/// The amount is kept as a signed count of nano-units (10⁻⁹), which is upstream's finest precision:
/// finer input is rounded up, away from zero, as upstream does. Equality and ordering compare
/// amounts only, so `1000m == 1`.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The notation a quantity prints in.
    public enum Format: Sendable, Hashable {
        /// Powers of 1024: `Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`.
        case binarySI
        /// Powers of 1000: `n`, `u`, `m`, (none), `k`, `M`, `G`, `T`, `P`, `E`.
        case decimalSI
        /// Scientific notation: `1e3`, `5E-3`.
        case decimalExponent
    }

    /// The amount in nano-units.
    public let nanoValue: Int128
    /// The notation used by `description`.
    public let format: Format

    static let nanosPerUnit: Int128 = 1_000_000_000

    /// A quantity of exactly `nanoValue` nano-units.
    public init(nanoValue: Int128, format: Format = .decimalSI) {
        self.nanoValue = nanoValue
        self.format = format
    }

    /// A whole number of units, e.g. `Quantity(2)` for two CPUs.
    public init(_ units: Int64, format: Format = .decimalSI) {
        self.init(nanoValue: Int128(units) * Self.nanosPerUnit, format: format)
    }

    /// A number of milli-units, e.g. `Quantity(milliValue: 500)` for half a CPU.
    public init(milliValue: Int64, format: Format = .decimalSI) {
        self.init(nanoValue: Int128(milliValue) * 1_000_000, format: format)
    }

    /// Zero.
    public static let zero = Quantity(nanoValue: 0)

    /// True for zero.
    public var isZero: Bool { nanoValue == 0 }

    /// The amount in whole units, rounded up away from zero (upstream `Value()`), e.g. `1` for `100m`.
    /// Amounts beyond 64 bits saturate.
    public var value: Int64 { Self.saturating(Self.divideAwayFromZero(nanoValue, by: Self.nanosPerUnit)) }

    /// The amount in milli-units, rounded up away from zero (upstream `MilliValue()`),
    /// e.g. `1` for `1n`. Amounts beyond 64 bits saturate.
    public var milliValue: Int64 { Self.saturating(Self.divideAwayFromZero(nanoValue, by: 1_000_000)) }

    /// Canonical text as upstream prints it: `1500m`, `2`, `256Mi`, `1G`, `1e3`.
    public var description: String { QuantityFormatter.canonical(self) }

    public static func == (lhs: Quantity, rhs: Quantity) -> Bool { lhs.nanoValue == rhs.nanoValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(nanoValue) }
    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.nanoValue < rhs.nanoValue }

    /// `n / d` rounded away from zero when inexact; `d` is positive.
    static func divideAwayFromZero(_ n: Int128, by d: Int128) -> Int128 {
        let (q, r) = n.quotientAndRemainder(dividingBy: d)
        if r == 0 { return q }
        return n < 0 ? q - 1 : q + 1
    }

    static func saturating(_ v: Int128) -> Int64 {
        if v > Int128(Int64.max) { return .max }
        if v < Int128(Int64.min) { return .min }
        return Int64(v)
    }
}

extension Quantity {
    /// The sum; the format is the left operand's unless it is zero (as upstream `Add`).
    /// Sums beyond the representable range saturate.
    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
        let (sum, overflow) = lhs.nanoValue.addingReportingOverflow(rhs.nanoValue)
        let value = overflow ? (rhs.nanoValue > 0 ? Int128.max : Int128.min) : sum
        return Quantity(nanoValue: value, format: lhs.isZero ? rhs.format : lhs.format)
    }

    /// The difference; the format is the left operand's unless it is zero (as upstream `Sub`).
    public static func - (lhs: Quantity, rhs: Quantity) -> Quantity {
        lhs + (-rhs)
    }

    /// The negated amount.
    public static prefix func - (q: Quantity) -> Quantity {
        Quantity(nanoValue: q.nanoValue == .min ? .max : -q.nanoValue, format: q.format)
    }

    /// The amount multiplied by a whole number (e.g. a per-pod request times replicas); saturates.
    public static func * (lhs: Quantity, rhs: Int64) -> Quantity {
        let (product, overflow) = lhs.nanoValue.multipliedReportingOverflow(by: Int128(rhs))
        let negative = (lhs.nanoValue < 0) != (rhs < 0)
        return Quantity(nanoValue: overflow ? (negative ? .min : .max) : product, format: lhs.format)
    }

    public static func += (lhs: inout Quantity, rhs: Quantity) { lhs = lhs + rhs }
    public static func -= (lhs: inout Quantity, rhs: Quantity) { lhs = lhs - rhs }
}
