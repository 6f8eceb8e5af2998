/// Upstream's `duration.HumanDuration`: about two significant figures, e.g. `45s`, `3m20s`, `15m`,
/// `2h30m`, `20h`, `4d5h`, `30d`, `2y30d`, `10y`. Used for ages and job durations.
public enum HumanDuration {
    /// The text for an interval in seconds. Slightly negative intervals (clock skew under two
    /// seconds) read `0s`; more negative ones read `<invalid>`, as upstream.
    public static func format(_ interval: Double) -> String {
        guard interval.isFinite, abs(interval) < 9.0e15 else { return "<invalid>" }
        let seconds = Int(interval)  // truncates toward zero, like Go's int(d.Seconds())
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return compound(minutes, "m", seconds % 60, "s") }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 { return compound(hours, "h", minutes % 60, "m") }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return compound(hours / 24, "d", hours % 24, "h") }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 { return compound(hours / 24 / 365, "y", (hours / 24) % 365, "d") }
        return "\(hours / 24 / 365)y"
    }

    /// `3m20s`, or just `3m` when the smaller unit is zero.
    private static func compound(_ big: Int, _ bigUnit: String, _ small: Int, _ smallUnit: String) -> String {
        small == 0 ? "\(big)\(bigUnit)" : "\(big)\(bigUnit)\(small)\(smallUnit)"
    }
}
