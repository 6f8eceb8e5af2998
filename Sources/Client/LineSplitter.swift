/// Splits a byte stream that arrives in arbitrary chunks into newline-terminated lines.
struct LineSplitter {
    private var pending: [UInt8] = []

    /// Adds a chunk and returns the lines it completes, without their `\n` (or `\r\n`); blank lines
    /// (heartbeats) are dropped.
    mutating func append<Bytes: Sequence>(_ chunk: Bytes) -> [[UInt8]] where Bytes.Element == UInt8 {
        var lines: [[UInt8]] = []
        for byte in chunk {
            if byte == UInt8(ascii: "\n") {
                if let line = takeLine() { lines.append(line) }
            } else {
                pending.append(byte)
            }
        }
        return lines
    }

    /// The unterminated remainder at the end of the stream, if it is not blank.
    mutating func finish() -> [UInt8]? { takeLine() }

    private mutating func takeLine() -> [UInt8]? {
        var line = pending
        pending.removeAll(keepingCapacity: true)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) ? nil : line
    }
}
