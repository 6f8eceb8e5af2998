import Client
import Foundation
import Model

extension GetCommand {
    /// `-w`: watches from the list's resourceVersion and prints one row (or object) per change
    /// until the server ends the stream, which — as for kubectl — exits 0.
    ///
    /// Table output asks the server for Table events (each object a one-row Table, as kubectl's
    /// `get -w`); a client or server that sends plain objects instead gets its rows rendered with
    /// Model's `TableRenderer`, the server's own renderer, so the columns are the same. Cells are
    /// padded to the widths the list printed with, growing when a wider cell arrives.
    func watchChanges(_ client: any APIClient, _ context: CommandContext, after listed: ListResult) async throws {
        var fields = fieldSelector.map { [$0] } ?? []
        if let name = names.first { fields.append("metadata.name=\(name)") }
        let options = WatchOptions(resourceVersion: listed.resourceVersion, labelSelector: labelSelector,
                                   fieldSelector: fields.isEmpty ? nil : fields.joined(separator: ","),
                                   accept: output.isTable ? Self.tableAccept : nil)
        // Later Table events may leave out the column definitions: keep the first ones.
        var definitions = TableRenderer.columns(for: resource).map(\.json)
        var rows = WatchRowPrinter(printer: TablePrinter(wide: output == .wide, showNamespace: allNamespaces && resource.namespaced),
                                   headers: !noHeaders, eventColumn: watchEvents)
        rows.start(after: listed.printed, headerPrinted: !noHeaders)
        var documents = 0
        for try await event in client.watch(resource, namespace: effectiveNamespace, options: options) {
            guard event.type != .bookmark else { continue }
            if output.isTable {
                var table = event.object
                if table["kind"]?.string == "Table" {
                    if let given = table["columnDefinitions"]?.array, !given.isEmpty { definitions = given }
                    table["columnDefinitions"] = .array(definitions)
                } else {
                    table = TableRenderer(now: context.now()).table(for: resource, object: withTypeMeta(event.object))
                }
                context.out(rows.lines(for: table, event: event.type.rawValue).joined(separator: "\n") + "\n")
                continue
            }
            let object = withTypeMeta(event.object)
            switch output {
            case .table, .wide:
                break
            case .name:
                context.print(nameLine(object))
            case .json, .yaml:
                if output == .yaml && documents > 0 { context.print("---") }
                printDocument(object, context)
                documents += 1
            case .jsonpath(let template):
                context.out(template.render(object))
            case .customColumns(let columns):
                context.out(columns.render([object], headers: false).joined(separator: "\n") + "\n")
            }
        }
    }
}

/// Prints watch rows one at a time in columns as wide as the widest cell seen so far (kubectl
/// flushes each row on its own, which misaligns them).
struct WatchRowPrinter {
    var printer: TablePrinter
    /// Print the header before the first row (when no list printed one).
    var headers: Bool
    /// Prefix an EVENT column.
    var eventColumn: Bool
    /// True once a header was printed, by the list or by this printer.
    var primed = false
    var widths: [Int] = []

    init(printer: TablePrinter, headers: Bool, eventColumn: Bool) {
        self.printer = printer
        self.headers = headers
        self.eventColumn = eventColumn
    }

    /// Continues the columns of the list already printed (`printed` includes its header unless
    /// `--no-headers`).
    mutating func start(after printed: [[String]], headerPrinted: Bool) {
        guard !printed.isEmpty else { return }
        primed = headerPrinted
        var rows = printed
        if eventColumn { rows = rows.map { [""] + $0 } }
        widths = rows[0].map(\.count)
        if eventColumn { widths[0] = "MODIFIED".count }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
    }

    /// The lines for one event's one-row table: the header first when none was printed yet.
    mutating func lines(for table: JSONValue, event: String) -> [String] {
        var cells = printer.cells(table)
        guard cells.count >= 2 else { return [] }
        if eventColumn {
            cells[0].insert("EVENT", at: 0)
            cells[1].insert(event, at: 0)
        }
        var out: [[String]] = []
        if !primed && headers { out.append(cells[0]) }
        if widths.isEmpty {
            widths = cells[0].map(\.count)
            // Room for the longest event type, so MODIFIED does not shift the columns.
            if eventColumn { widths[0] = max(widths[0], "MODIFIED".count) }
        }
        primed = true
        out.append(cells[1])
        for row in out {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        return out.map { row in
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < row.count - 1 { line += String(repeating: " ", count: (i < widths.count ? widths[i] : cell.count) - cell.count + 3) }
            }
            return line
        }
    }
}
