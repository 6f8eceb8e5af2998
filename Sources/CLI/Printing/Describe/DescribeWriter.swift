import Foundation
import Model

/// Collects `describe` output as kubectl's `PrefixWriter` does: lines with an indentation level
/// and tab-separated cells, aligned at the end by `TabAligner`.
struct DescribeWriter {
    /// The instant ages are measured to.
    var now: Date
    private(set) var lines: [String] = []

    init(now: Date) { self.now = now }

    /// One line at `level` (two spaces per level), its cells joined by tabs.
    mutating func line(_ level: Int, _ cells: String...) {
        lines.append(String(repeating: "  ", count: level) + cells.joined(separator: "\t"))
    }

    /// Appends lines written by someone else, unchanged.
    mutating func append(_ other: [String]) { lines += other }

    /// The aligned text.
    var text: String { TabAligner.render(lines) }

    /// `Labels:  a=b` and one `k=v` per following line, sorted; `<none>` when empty. `skip` leaves
    /// out keys kubectl hides (the last-applied annotation).
    mutating func map(_ level: Int, _ title: String, _ map: [String: String], skip: Set<String> = []) {
        let keys = map.keys.filter { !skip.contains($0) }.sorted()
        let indent = String(repeating: "  ", count: level)
        guard let first = keys.first else {
            lines.append("\(indent)\(title):\t<none>")
            return
        }
        lines.append("\(indent)\(title):\t\(first)=\(map[first] ?? "")")
        for key in keys.dropFirst() { lines.append("\(indent)\t\(key)=\(map[key] ?? "")") }
    }

    /// A string list under a title (`Command:` then one line per element), nothing when empty.
    mutating func list(_ level: Int, _ title: String, _ items: [String]) {
        guard !items.isEmpty else { return }
        line(level, "\(title):")
        for item in items { line(level + 1, item) }
    }

    /// A `resources` map (`cpu: 500m`) under a title, nothing when empty.
    mutating func quantities(_ level: Int, _ title: String, _ value: JSONValue?) {
        guard let pairs = value?.object?.pairs, !pairs.isEmpty else { return }
        line(level, "\(title):")
        for (key, amount) in pairs.sorted(by: { $0.key < $1.key }) {
            line(level + 1, "\(key):", DescribeFormat.scalar(amount))
        }
    }

    /// A condition table: `Type  Status` (plus the given extra columns) and a `----` row.
    mutating func conditions(_ level: Int, _ conditions: [JSONValue], columns: [String]) {
        guard !conditions.isEmpty else {
            line(level, "Conditions:", "<none>")
            return
        }
        line(level, "Conditions:")
        let header = ["Type", "Status"] + columns
        lines.append(String(repeating: "  ", count: level + 1) + header.joined(separator: "\t"))
        lines.append(String(repeating: "  ", count: level + 1)
                     + header.map { String(repeating: "-", count: $0.count) }.joined(separator: "\t"))
        for condition in conditions {
            var cells = [condition["type"]?.string ?? "", condition["status"]?.string ?? ""]
            for column in columns {
                switch column {
                case "LastHeartbeatTime": cells.append(DescribeFormat.time(condition["lastHeartbeatTime"]))
                case "LastTransitionTime": cells.append(DescribeFormat.time(condition["lastTransitionTime"]))
                case "Reason": cells.append(condition["reason"]?.string ?? "")
                default: cells.append(condition["message"]?.string ?? "")
                }
            }
            lines.append(String(repeating: "  ", count: level + 1) + cells.joined(separator: "\t"))
        }
    }

    /// A table with a dashed rule under its header (or the given `rule`), at `level`.
    mutating func table(_ level: Int, header: [String], rule: [String]? = nil, rows: [[String]]) {
        let indent = String(repeating: "  ", count: level)
        lines.append(indent + header.joined(separator: "\t"))
        lines.append(indent + (rule ?? header.map { String(repeating: "-", count: $0.count) }).joined(separator: "\t"))
        for row in rows { lines.append(indent + row.joined(separator: "\t")) }
    }

    /// The common head of every describer: Name, Namespace (namespaced kinds), Labels, Annotations.
    mutating func metadata(_ object: JSONValue, namespaced: Bool) {
        let meta = ObjectMetaView(object["metadata"])
        line(0, "Name:", meta.name)
        if namespaced { line(0, "Namespace:", meta.namespace) }
        map(0, "Labels", meta.labels)
        map(0, "Annotations", meta.annotations, skip: ["kubectl.kubernetes.io/last-applied-configuration"])
    }

    /// `Controlled By:  Job/hello` when the object has a controlling owner.
    mutating func controller(_ object: JSONValue) {
        if let owner = ObjectMetaView(object["metadata"]).controllerReference {
            line(0, "Controlled By:", "\(owner.kind)/\(owner.name)")
        }
    }
}

/// Text forms shared by the describers.
enum DescribeFormat {
    /// Go's `time.RFC1123Z` in UTC, as kubectl prints times: `Thu, 03 Dec 2026 13:00:00 +0000`.
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    /// A timestamp field, or `<unset>`-style empty text when absent or unreadable.
    static func time(_ value: JSONValue?) -> String {
        guard let text = value?.string, let date = RFC3339.parse(text) else { return "" }
        return time(date)
    }

    /// A JSON scalar as kubectl prints it (`true`, `3`, `500m`); objects and arrays as JSON.
    static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .null: return "<nil>"
        case .string(let s): return s
        default: return TablePrinter.text(value)
        }
    }
}
