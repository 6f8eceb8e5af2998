import Postgres

/// jsonb's text output (`{"a": 1, "b": [1, 2]}`) made compact (`{"a":1,"b":[1,2]}`) in one pass
/// over the bytes — far cheaper than parsing and re-encoding. jsonb never emits whitespace outside
/// strings other than those separators, so dropping it all is exact.
enum JSONBText {
    static func compacted(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(text.count)
        var inString = false
        var escaped = false
        for byte in text {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                continue
            }
            out.append(byte)
        }
        return out
    }
}

extension QueryResult {
    /// A `jsonb::text` column as compact JSON bytes; nil for NULL.
    func json(_ row: Int, _ column: Int) -> [UInt8]? { withBytes(row, column, JSONBText.compacted) }
}
