import Foundation

/// RFC 3339 timestamps as Kubernetes writes them (`2026-11-22T00:53:44Z`, UTC, whole seconds) and
/// reads them (fractional seconds and offsets such as `+00:00` accepted, via `RFC3339.parse`).
public enum Timestamp {
    private static let whole = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)

    /// `2026-11-22T00:53:44Z`.
    public static func format(_ date: Date) -> String { whole.format(date) }

    /// A MicroTime (Lease renew and acquire times): `2026-11-22T00:53:44.123456Z`.
    public static func formatMicro(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let micros = min(999_999, Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded()))
        let base = whole.format(Date(timeIntervalSince1970: seconds))
        let digits = String(micros)
        return base.dropLast() + "." + String(repeating: "0", count: 6 - digits.count) + digits + "Z"
    }

    /// Parses an RFC 3339 timestamp; nil if it is not one.
    public static func parse(_ text: String) -> Date? { RFC3339.parse(text) }
}
