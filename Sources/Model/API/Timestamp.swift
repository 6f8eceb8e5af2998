import Foundation

/// RFC 3339 timestamps as Kubernetes writes them (`2026-11-22T00:53:44Z`, UTC, whole seconds) and
/// reads them (fractional seconds and offsets such as `+00:00` accepted).
public enum Timestamp {
    private static let whole = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!)

    /// `2026-11-22T00:53:44Z`.
    public static func format(_ date: Date) -> String { whole.format(date) }

    /// Parses an RFC 3339 timestamp; nil if it is not one.
    public static func parse(_ text: String) -> Date? {
        if let d = try? whole.parse(text) { return d }
        if let d = try? fractional.parse(text) { return d }
        // Offsets other than Z: normalise "+HH:MM" by letting Foundation's parser handle it.
        let withOffset = Date.ISO8601FormatStyle().year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .colon)
        if let d = try? withOffset.parse(text) { return d }
        let withOffsetFraction = Date.ISO8601FormatStyle().year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .colon)
        return try? withOffsetFraction.parse(text)
    }
}
