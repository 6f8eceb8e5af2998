import Foundation

/// What `drover watch` writes. On a terminal a status line is redrawn in place (`\r` + erase line)
/// with pod changes and log lines scrolling above it; in plain mode every line is a line of its own
/// and the counts are printed only when they change; quiet mode prints the final line alone, and
/// logs-only mode the pods' log lines alone.
struct WatchDisplay {
    let mode: JobWatch.Mode
    let context: CommandContext
    /// The status line on screen (live mode), for redrawing it under a new line.
    private var shownStatus: String?
    /// The counts last printed (plain mode).
    private var printedCounts: String?

    private static let clearLine = "\r\u{1B}[K"

    init(mode: JobWatch.Mode, context: CommandContext) {
        self.mode = mode
        self.context = context
    }

    /// Shows where the Job stands; `redraw` refreshes the clock even when the counts are the same.
    mutating func status(_ progress: JobProgress, redraw: Bool = false) {
        let now = context.now()
        switch mode {
        case .live:
            let line = fit(progress.statusLine(now: now, withBar: true))
            guard redraw || line != shownStatus else { return }
            context.out(Self.clearLine + line)
            shownStatus = line
        case .plain:
            // The clock is left out of the comparison: a line per change of counts, not per second.
            let counts = progress.statusLine(now: now, withBar: false)
                .components(separatedBy: ", ").filter { !$0.hasPrefix("elapsed ") && !$0.hasPrefix("~") }.joined(separator: ", ")
            guard counts != printedCounts else { return }
            printedCounts = counts
            context.print(progress.statusLine(now: now, withBar: false))
        case .quiet, .logsOnly:
            break
        }
    }

    /// Pod changes.
    mutating func events(_ lines: [String]) {
        if mode != .logsOnly { write(lines) }
    }

    /// Log lines of the pods.
    mutating func log(_ line: String) {
        write([line])
    }

    private mutating func write(_ lines: [String]) {
        guard mode != .quiet, !lines.isEmpty else { return }
        if mode == .live {
            context.out(Self.clearLine + lines.joined(separator: "\n") + "\n" + (shownStatus ?? ""))
        } else {
            context.out(lines.joined(separator: "\n") + "\n")
        }
    }

    /// A line explaining a failure: to standard error in quiet mode, so scripts still see why.
    mutating func detail(_ line: String) {
        switch mode {
        case .quiet: context.printError(line)
        case .logsOnly: break
        case .live, .plain: write([line])
        }
    }

    /// Removes the status line (before an error is printed).
    mutating func clearStatus() {
        if mode == .live, shownStatus != nil { context.out(Self.clearLine) }
        shownStatus = nil
    }

    /// The last line; the status line goes.
    mutating func finish(_ line: String) {
        clearStatus()
        if mode != .logsOnly { context.print(line) }
    }

    /// A status line cut to the terminal's width, so `\r` redraws one row.
    private func fit(_ line: String) -> String {
        guard let width = context.terminalWidth, width > 1, line.count >= width else { return line }
        return String(line.prefix(width - 2)) + "…"
    }
}
