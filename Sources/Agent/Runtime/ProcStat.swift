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
        guard let bytes = SmallFile.readBytes("/proc/\(pid)/stat") else { return nil }
        return parse(bytes, pid: pid)
    }

    /// Parses a stat line. The command name (field 2) is in parentheses and may itself contain spaces
    /// and parentheses, so the fields are counted from the last `)`. Works on bytes: the runtime reads
    /// these lines for every start and for every process on each orphan scan.
    static func parse(_ line: [UInt8], pid: Int32) -> ProcStat? {
        guard let close = line.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        // fields[0] is field 3 (state); field N is fields[N - 3]. Only up to field 22 is needed.
        var fields: [ArraySlice<UInt8>] = []
        fields.reserveCapacity(20)
        var start = close + 1
        for index in (close + 1)..<line.count where line[index] == UInt8(ascii: " ") || line[index] == UInt8(ascii: "\n") {
            if index > start { fields.append(line[start..<index]) }
            start = index + 1
            if fields.count == 20 { break }
        }
        guard fields.count == 20, let state = fields[0].first,
              let ppid = integer(fields[1]), let pgrp = integer(fields[2]), let startTime = integer(fields[19]) else { return nil }
        return ProcStat(pid: pid, state: Character(UnicodeScalar(state)), parentPid: Int32(truncatingIfNeeded: ppid),
                        processGroup: Int32(truncatingIfNeeded: pgrp), startTime: UInt64(startTime))
    }

    private static func integer(_ digits: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        var negative = false
        for (offset, byte) in digits.enumerated() {
            if offset == 0 && byte == UInt8(ascii: "-") { negative = true; continue }
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value &* 10 &+ Int64(byte - 48)
        }
        return negative ? -value : value
    }

    /// Every pid currently listed in /proc.
    static func allPids() -> [Int32] {
        SmallFile.list("/proc").compactMap { Int32($0) }
    }
}
