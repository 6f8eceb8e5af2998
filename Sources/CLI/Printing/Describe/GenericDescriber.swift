import Foundation
import Model

/// `describe` for kinds without their own describer (kubectl's generic describer): the common
/// head, then `API Version`, `Kind`, the rest of metadata, spec and status as indented
/// `Title Case Key:  value` lines, and events.
enum GenericDescriber {
    /// Metadata fields already printed in the head, or noise.
    static let skippedMetadata: Set<String> = ["name", "namespace", "labels", "annotations", "managedFields"]

    static func describe(_ object: JSONValue, namespaced: Bool, events: [JSONValue], now: Date) -> String {
        var w = DescribeWriter(now: now)
        w.metadata(object, namespaced: namespaced)
        w.line(0, "API Version:", object["apiVersion"]?.string ?? "")
        w.line(0, "Kind:", object["kind"]?.string ?? "")
        for (key, value) in object.object?.pairs ?? [] where !["apiVersion", "kind"].contains(key) {
            var value = value
            if key == "metadata", var meta = value.object {
                for skipped in skippedMetadata { meta[skipped] = nil }
                value = .object(meta)
            }
            content(title(key), value, level: 0, to: &w)
        }
        EventsSection.write(events, to: &w)
        return w.text
    }

    /// Writes one field: scalars on their line, objects and arrays as indented blocks.
    static func content(_ label: String, _ value: JSONValue, level: Int, to w: inout DescribeWriter) {
        switch value {
        case .object(let members):
            guard !members.isEmpty else { return }
            w.line(level, "\(label):")
            for (key, child) in members.pairs { content(title(key), child, level: level + 1, to: &w) }
        case .array(let items):
            guard !items.isEmpty else { return }
            w.line(level, "\(label):")
            for item in items {
                if let members = item.object {
                    for (key, child) in members.pairs { content(title(key), child, level: level + 1, to: &w) }
                } else {
                    w.line(level + 1, DescribeFormat.scalar(item))
                }
            }
        default:
            w.line(level, "\(label):", DescribeFormat.scalar(value))
        }
    }

    /// kubectl's `smartLabelFor`: `apiVersion` → `API Version`, `podIP` → `Pod IP`; keys with
    /// characters other than letters and `-` (label keys such as `app.kubernetes.io/name`) stay.
    static func title(_ field: String) -> String {
        guard !field.isEmpty, field.allSatisfy({ $0.isLetter || $0 == "-" }) else { return field }
        let acronyms: Set<String> = ["API", "URL", "UID", "OSB", "GUID"]
        return camelWords(field).map { part in
            acronyms.contains(part.uppercased()) ? part.uppercased() : part.prefix(1).uppercased() + part.dropFirst()
        }.joined(separator: " ")
    }

    /// Splits `machineID` into `machine`, `ID` and `URLPath` into `URL`, `Path`.
    static func camelWords(_ text: String) -> [String] {
        let characters = Array(text)
        var words: [String] = []
        var current = ""
        for (i, c) in characters.enumerated() {
            let startsWord: Bool
            if current.isEmpty {
                startsWord = false
            } else if c.isUppercase {
                let previousLower = characters[i - 1].isLowercase
                let nextLower = i + 1 < characters.count && characters[i + 1].isLowercase
                startsWord = previousLower || (characters[i - 1].isUppercase && nextLower)
            } else {
                startsWord = !c.isLetter != !characters[i - 1].isLetter
            }
            if startsWord {
                words.append(current)
                current = ""
            }
            current.append(c)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
