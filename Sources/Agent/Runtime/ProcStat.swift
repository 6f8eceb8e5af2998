import Foundation

/// The few fields of `/proc/<pid>/stat` the runtime needs: state, parent, process group and start time.
struct ProcStat: Equatable {
    var pid: Int32
    /// One letter: R, S, D, Z (zombie), T, ...
    var state: Character
    var parentPid: Int32
    var processGroup: Int32
    /// Clock ticks since boot; together with the pid it names one process even across pid reuse.
    var startTime: UInt64

    /// Reads the stat line of `pid`; nil when the process does not exist (or the line is unreadable).
    static func read(pid: Int32) -> ProcStat? {
        guard let text = SmallFile.read("/proc/\(pid)/stat") else { return nil }
        return parse(text, pid: pid)
    }

    /// Parses a stat line. The command name (field 2) is in parentheses and may itself contain spaces
    /// and parentheses, so the fields are counted from the last `)`.
    static func parse(_ line: String, pid: Int32) -> ProcStat? {
        guard let close = line.lastIndex(of: ")") else { return nil }
        let rest = line[line.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // rest[0] is field 3 (state); field N is rest[N - 3].
        guard rest.count > 19, let state = rest[0].first,
              let ppid = Int32(rest[1]), let pgrp = Int32(rest[2]), let start = UInt64(rest[19]) else { return nil }
        return ProcStat(pid: pid, state: state, parentPid: ppid, processGroup: pgrp, startTime: start)
    }

    /// Every pid currently listed in /proc.
    static func allPids() -> [Int32] {
        SmallFile.list("/proc").compactMap { Int32($0) }
    }
}
