import Foundation
import Model

/// Prints a `meta.k8s.io/v1` Table the way kubectl does: upper-case headers, columns aligned with
/// three spaces, `priority > 0` columns only when wide, and an optional NAMESPACE column first taken
/// from each row's `object.metadata.namespace`.
struct TablePrinter {
    var wide = false
    var showNamespace = false

    /// The printed lines (no trailing newline), or an empty array when the table has no rows.
    func render(_ table: JSONValue) -> [String] {
        Self.align(cells(table))
    }

    /// The header and one line of cell texts per row, before alignment; empty without rows.
    func cells(_ table: JSONValue) -> [[String]] {
        let definitions = table["columnDefinitions"]?.array ?? []
        let rows = table["rows"]?.array ?? []
        guard !rows.isEmpty else { return [] }
        let visible = definitions.indices.filter { wide || (definitions[$0]["priority"]?.int ?? 0) == 0 }
        var header = visible.map { (definitions[$0]["name"]?.string ?? "").uppercased() }
        if showNamespace { header.insert("NAMESPACE", at: 0) }
        var lines = [header]
        for row in rows {
            let cells = row["cells"]?.array ?? []
            var line = visible.map { cells.indices.contains($0) ? Self.text(cells[$0]) : "" }
            if showNamespace { line.insert(row.value(at: ["object", "metadata", "namespace"])?.string ?? "", at: 0) }
            lines.append(line)
        }
        return lines
    }

    /// A cell as kubectl shows it.
    static func text(_ cell: JSONValue) -> String {
        switch cell {
        case .null: return "<none>"
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .array, .object: return cell.jsonString()
        }
    }

    /// Pads every column but the last to its widest cell plus three spaces.
    static func align(_ rows: [[String]]) -> [String] {
        var widths: [Int] = []
        return align(rows, widths: &widths)
    }

    /// Aligns `rows` to columns at least `widths` wide, widening `widths` to fit them: a list
    /// printed page by page keeps its columns from moving left.
    static func align(_ rows: [[String]], widths: inout [Int]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        if widths.count < columns { widths += [Int](repeating: 0, count: columns - widths.count) }
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        let widths = widths
        return rows.map { row in
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - cell.count + 3) }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// A two-column NAME/AGE Table for a server that answered with a plain object or list instead of
    /// a Table (what kubectl falls back to).
    static func fallbackTable(for json: JSONValue, now: Date) -> JSONValue {
        let objects = json["items"]?.array ?? (json["metadata"] != nil ? [json] : [])
        let rows: [JSONValue] = objects.map { object in
            let metadata = object["metadata"] ?? .emptyObject
            let age = metadata["creationTimestamp"]?.string.flatMap { Age.parse($0) }.map { Age.format(now.timeIntervalSince($0)) }
            return ["cells": [metadata["name"] ?? "", .string(age ?? "<unknown>")],
                    "object": ["metadata": metadata]]
        }
        return ["kind": "Table", "apiVersion": "meta.k8s.io/v1",
                "columnDefinitions": [["name": "Name", "priority": 0], ["name": "Age", "priority": 0]],
                "rows": .array(rows)]
    }
}

/// Ages as the server's Table cells show them: `5s`, `3m`, `2h`, `4d`.
enum Age {
    static func parse(_ timestamp: String) -> Date? {
        try? Date(timestamp, strategy: .iso8601)
    }

    static func format(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        switch s {
        case ..<120: return "\(s)s"
        case ..<(120 * 60): return "\(s / 60)m"
        case ..<(48 * 3600): return "\(s / 3600)h"
        default: return "\(s / 86400)d"
        }
    }
}
