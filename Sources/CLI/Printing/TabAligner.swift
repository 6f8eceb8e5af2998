/// Aligns tab-separated lines the way Go's `text/tabwriter` does with kubectl's settings
/// (minwidth 0, padding 2, pad character ' '), so `describe` lines up exactly as kubectl's.
///
/// A cell is text ended by a tab; the text after a line's last tab is not a cell and is never
/// padded. Column `c` is aligned over each run of consecutive lines that have a cell in column `c`;
/// a line with fewer cells ends the run. That is why sections such as `Containers:` (a line without
/// tabs) restart the alignment of what follows them.
enum TabAligner {
    /// Gap after the widest cell of a column.
    static let padding = 2

    /// The aligned text of `lines` (each without its newline).
    static func align(_ lines: [String]) -> [String] {
        let cells = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        var widths = cells.map { [Int](repeating: 0, count: max(0, $0.count - 1)) }
        assignWidths(cells, &widths, column: 0, range: 0..<cells.count)
        return cells.indices.map { row in
            var line = ""
            for (column, cell) in cells[row].enumerated() {
                line += cell
                if column < cells[row].count - 1 {
                    line += String(repeating: " ", count: max(0, widths[row][column] - cell.count))
                }
            }
            return line
        }
    }

    /// The text of `lines` aligned, joined with newlines and ending in one.
    static func render(_ lines: [String]) -> String {
        lines.isEmpty ? "" : align(lines).joined(separator: "\n") + "\n"
    }

    /// Width of column `column` for each block of consecutive lines in `range` that have a cell
    /// there, then the next column within each block (Go's `format` recursion).
    private static func assignWidths(_ cells: [[String]], _ widths: inout [[Int]], column: Int, range: Range<Int>) {
        var row = range.lowerBound
        while row < range.upperBound {
            guard cells[row].count - 1 > column else {
                row += 1
                continue
            }
            let start = row
            var width = 0
            while row < range.upperBound, cells[row].count - 1 > column {
                width = max(width, cells[row][column].count + padding)
                row += 1
            }
            for block in start..<row { widths[block][column] = width }
            assignWidths(cells, &widths, column: column + 1, range: start..<row)
        }
    }
}
