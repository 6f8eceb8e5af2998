import Foundation
import Model

/// The `Events:` section kubectl ends every description with: `Type Reason Age From Message`,
/// oldest first, `<none>` when there are none.
enum EventsSection {
    /// Appends the section for `events` (core/v1 Events of the described object).
    static func write(_ events: [JSONValue], to writer: inout DescribeWriter) {
        guard !events.isEmpty else {
            writer.line(0, "Events:", "<none>")
            return
        }
        writer.line(0, "Events:")
        // kubectl rules the three-letter Age column with four dashes.
        writer.table(1, header: ["Type", "Reason", "Age", "From", "Message"], rule: ["----", "------", "----", "----", "-------"],
                     rows: sorted(events).map { row($0, now: writer.now) })
    }

    /// Events by last occurrence, as kubectl's `SortableEvents` orders them.
    static func sorted(_ events: [JSONValue]) -> [JSONValue] {
        events.enumerated().sorted { a, b in
            let ta = lastSeen(a.element) ?? .distantPast, tb = lastSeen(b.element) ?? .distantPast
            return ta == tb ? a.offset < b.offset : ta < tb
        }.map(\.element)
    }

    /// When the event last happened: lastTimestamp, else eventTime, else firstTimestamp.
    static func lastSeen(_ event: JSONValue) -> Date? {
        for key in ["lastTimestamp", "eventTime", "firstTimestamp"] {
            if let text = event[key]?.string, let date = RFC3339.parse(text) { return date }
        }
        return nil
    }

    /// One row: the age is `5s`, or `5s (x3 over 2m)` for a repeated event.
    static func row(_ event: JSONValue, now: Date) -> [String] {
        func since(_ key: String) -> String? {
            event[key]?.string.flatMap(RFC3339.parse).map { HumanDuration.format(now.timeIntervalSince($0)) }
        }
        let count = event["count"]?.int ?? 1
        let age: String
        if count > 1 {
            age = "\(since("lastTimestamp") ?? "<unknown>") (x\(count) over \(since("firstTimestamp") ?? "<unknown>"))"
        } else {
            age = since("firstTimestamp") ?? since("eventTime") ?? since("lastTimestamp") ?? "<unknown>"
        }
        let component = event.value(at: ["source", "component"])?.string ?? ""
        let source = component.isEmpty ? (event["reportingComponent"]?.string ?? "") : component
        let message = (event["message"]?.string ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return [event["type"]?.string ?? "", event["reason"]?.string ?? "", age, source, message]
    }
}
