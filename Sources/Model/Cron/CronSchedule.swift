import Foundation

/// A parsed CronJob schedule with the semantics Kubernetes uses (robfig/cron v3 `ParseStandard`):
/// five fields `minute hour day-of-month month day-of-week` with `*`, `?`, ranges `a-b`, steps `/n`,
/// lists `a,b`, month names `JAN`–`DEC` and weekday names `SUN`–`SAT` (any case); the descriptors
/// `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly` (lower case, as
/// robfig matches them exactly); `@every <duration>`; and a leading `TZ=<zone> ` or `CRON_TZ=<zone> `,
/// which sets `location` (the API refuses it on new objects; the controller still honours it).
///
/// Day matching follows Vixie cron: when both day-of-month and day-of-week are restricted (neither
/// starts with `*` or `?`), a day matches if either does; otherwise both must.
public struct CronSchedule: Sendable, Equatable {
    /// Allowed minutes, bit n for minute n.
    public var minutes: UInt64
    /// Allowed hours, bit n for hour n.
    public var hours: UInt64
    /// Allowed days of the month, bit n for day n (1–31).
    public var daysOfMonth: UInt64
    /// Allowed months, bit n for month n (1–12).
    public var months: UInt64
    /// Allowed weekdays, bit n for weekday n (0 = Sunday).
    public var daysOfWeek: UInt64
    /// Day-of-month field was `*` or `?` (without a step over 1).
    public var dayOfMonthIsWildcard: Bool
    /// Day-of-week field was `*` or `?` (without a step over 1).
    public var dayOfWeekIsWildcard: Bool
    /// For `@every`: the fixed interval in whole seconds (at least 1); the fields are then unused.
    public var interval: Int64?
    /// The zone of a `TZ=`/`CRON_TZ=` prefix; nil when the schedule has none.
    public var location: TimeZone? = nil

    /// The bounds and names of one field.
    struct Field {
        let min: Int
        let max: Int
        let names: [String: Int]
    }

    static let minuteField = Field(min: 0, max: 59, names: [:])
    static let hourField = Field(min: 0, max: 23, names: [:])
    static let dayOfMonthField = Field(min: 1, max: 31, names: [:])
    static let monthField = Field(min: 1, max: 12, names: [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
        "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    ])
    static let dayOfWeekField = Field(min: 0, max: 6, names: [
        "sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6,
    ])

    static let descriptors: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Parses a schedule; errors carry robfig/cron's wording (`expected exactly 5 fields, found 1: [bad]`).
    public static func parse(_ text: String) throws(CronParseError) -> CronSchedule {
        // robfig checks emptiness before trimming: "  " is a five-field error, not "empty spec string".
        if text.isEmpty { throw CronParseError("empty spec string") }
        var spec = Substring(text)
        var location: TimeZone?
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ=") {
            // robfig slices up to the first space; without one Go would panic, here it is an error.
            guard let space = spec.firstIndex(of: " "), let equals = spec.firstIndex(of: "=") else {
                throw CronParseError("provided bad location \(spec.drop { $0 != "=" }.dropFirst()): missing schedule after the time zone")
            }
            let name = String(spec[spec.index(after: equals)..<space])
            switch ZoneInfo.load(name) {
            case .success(let zone): location = zone
            case .failure(let error): throw CronParseError("provided bad location \(name): \(error.message)")
            }
            spec = spec[space...].trimmingWhitespace
        }
        var schedule: CronSchedule
        if spec.hasPrefix("@") {
            schedule = try parseDescriptor(String(spec))
        } else {
            schedule = try parseFields(spec)
        }
        schedule.location = location
        return schedule
    }

    /// Five whitespace-separated fields, parsed in order; the first bad field is the error.
    private static func parseFields(_ spec: Substring) throws(CronParseError) -> CronSchedule {
        let fields = spec.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw CronParseError("expected exactly 5 fields, found \(fields.count): [\(fields.joined(separator: " "))]")
        }
        let minutes = try parseField(fields[0], minuteField).bits
        let hours = try parseField(fields[1], hourField).bits
        let dom = try parseField(fields[2], dayOfMonthField)
        let months = try parseField(fields[3], monthField).bits
        let dow = try parseField(fields[4], dayOfWeekField)
        return CronSchedule(minutes: minutes, hours: hours, daysOfMonth: dom.bits, months: months,
                            daysOfWeek: dow.bits, dayOfMonthIsWildcard: dom.wildcard,
                            dayOfWeekIsWildcard: dow.wildcard, interval: nil)
    }

    private static func parseDescriptor(_ text: String) throws(CronParseError) -> CronSchedule {
        if let expansion = descriptors[text] { return try parseFields(Substring(expansion)) }
        let every = "@every "
        if text.hasPrefix(every) {
            let durationText = String(text.dropFirst(every.count))
            let nanoseconds: Int64
            do {
                nanoseconds = try GoDuration.parse(durationText)
            } catch {
                throw CronParseError("failed to parse duration \(text): \(error.message)")
            }
            // Whole seconds, at least one, as robfig/cron's constant-delay schedule does.
            let seconds = max(1, nanoseconds / 1_000_000_000)
            return CronSchedule(minutes: 0, hours: 0, daysOfMonth: 0, months: 0, daysOfWeek: 0,
                                dayOfMonthIsWildcard: true, dayOfWeekIsWildcard: true, interval: seconds)
        }
        throw CronParseError("unrecognized descriptor: \(text)")
    }

    /// A comma-separated list of ranges; `wildcard` when any range is `*`/`?` without a step over 1.
    private static func parseField(_ text: String, _ field: Field) throws(CronParseError) -> (bits: UInt64, wildcard: Bool) {
        var bits: UInt64 = 0
        var wildcard = false
        // Go's strings.FieldsFunc: empty list items ("1,,2") are skipped, not errors.
        for range in text.split(separator: ",") {
            let parsed = try parseRange(String(range), field)
            bits |= parsed.bits
            wildcard = wildcard || parsed.wildcard
        }
        return (bits, wildcard)
    }

    private static func parseRange(_ text: String, _ field: Field) throws(CronParseError) -> (bits: UInt64, wildcard: Bool) {
        let rangeAndStep = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        var start: Int
        var end: Int
        var wildcard = false
        if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
            start = field.min
            end = field.max
            wildcard = true
        } else {
            start = try parseIntOrName(lowAndHigh[0], field)
            switch lowAndHigh.count {
            case 1: end = start
            case 2: end = try parseIntOrName(lowAndHigh[1], field)
            default: throw CronParseError("too many hyphens: \(text)")
            }
        }
        var step = 1
        switch rangeAndStep.count {
        case 1: break
        case 2:
            step = try parseNumber(rangeAndStep[1])
            if lowAndHigh.count == 1 { end = field.max }
            if step > 1 { wildcard = false }
        default:
            throw CronParseError("too many slashes: \(text)")
        }
        if start < field.min { throw CronParseError("beginning of range (\(start)) below minimum (\(field.min)): \(text)") }
        if end > field.max { throw CronParseError("end of range (\(end)) above maximum (\(field.max)): \(text)") }
        if start > end { throw CronParseError("beginning of range (\(start)) beyond end of range (\(end)): \(text)") }
        if step == 0 { throw CronParseError("step of range should be a positive number: \(text)") }
        var bits: UInt64 = 0
        for value in stride(from: start, through: end, by: step) { bits |= 1 << UInt64(value) }
        return (bits, wildcard)
    }

    private static func parseIntOrName(_ text: String, _ field: Field) throws(CronParseError) -> Int {
        if let value = field.names[text.lowercased()] { return value }
        return try parseNumber(text)
    }

    private static func parseNumber(_ text: String) throws(CronParseError) -> Int {
        guard let number = Int(text) else {
            let digits = text.drop { $0 == "+" || $0 == "-" }
            let reason = text.count - digits.count <= 1 && !digits.isEmpty && digits.allSatisfy(\.isASCIIDigit)
                ? "value out of range" : "invalid syntax"
            throw CronParseError("failed to parse int from \(text): strconv.Atoi: parsing \(text.goQuoted): \(reason)")
        }
        if number < 0 { throw CronParseError("negative number (\(number)) not allowed: \(text)") }
        return number
    }
}

/// A schedule that could not be parsed; `message` is what validation reports.
public struct CronParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Substring {
    /// Without leading and trailing whitespace (Go's strings.TrimSpace).
    var trimmingWhitespace: Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return self[endIndex...] }
        return self[first...last]
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
