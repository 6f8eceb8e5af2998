import CLibPQ

/// The rows of one successful statement, read straight from libpq's result (text format).
/// Immutable once made, so it may be shared across threads.
public final class QueryResult: @unchecked Sendable {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) { self.result = result }

    deinit { PQclear(result) }

    /// Number of rows returned.
    public var rowCount: Int { Int(PQntuples(result)) }

    /// Number of columns per row.
    public var columnCount: Int { Int(PQnfields(result)) }

    /// Rows affected by INSERT/UPDATE/DELETE (or returned by SELECT); 0 when the server did not say.
    public var affectedRows: Int {
        guard let s = PQcmdTuples(result) else { return 0 }
        return Int(String(cString: s)) ?? 0
    }

    /// The name of column `column`.
    public func columnName(_ column: Int) -> String { String(cString: PQfname(result, Int32(column))) }

    /// True when the value at (`row`, `column`) is SQL NULL (or out of range).
    public func isNull(_ row: Int, _ column: Int) -> Bool {
        guard inRange(row, column) else { return true }
        return PQgetisnull(result, Int32(row), Int32(column)) != 0
    }

    /// The value as text; nil for NULL.
    public func string(_ row: Int, _ column: Int) -> String? {
        guard !isNull(row, column) else { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    /// The value's raw text bytes, without going through `String`; nil for NULL.
    public func bytes(_ row: Int, _ column: Int) -> [UInt8]? { withBytes(row, column) { Array($0) } }

    /// Calls `body` with the value's raw text bytes in libpq's buffer (valid only during the call);
    /// nil for NULL.
    public func withBytes<T>(_ row: Int, _ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        guard !isNull(row, column), let p = PQgetvalue(result, Int32(row), Int32(column)) else { return nil }
        let n = Int(PQgetlength(result, Int32(row), Int32(column)))
        return p.withMemoryRebound(to: UInt8.self, capacity: n) { body(UnsafeBufferPointer(start: $0, count: n)) }
    }

    /// The value parsed as a 64-bit integer; nil for NULL or non-integers.
    public func int64(_ row: Int, _ column: Int) -> Int64? {
        guard let s = string(row, column) else { return nil }
        return Int64(s)
    }

    /// The value parsed as a boolean (`t`/`f`); nil for NULL.
    public func bool(_ row: Int, _ column: Int) -> Bool? {
        string(row, column).map { $0 == "t" }
    }

    /// Every row as text values (nil for NULL).
    public var rows: [[String?]] {
        (0..<rowCount).map { r in (0..<columnCount).map { c in string(r, c) } }
    }

    private func inRange(_ row: Int, _ column: Int) -> Bool {
        row >= 0 && row < rowCount && column >= 0 && column < columnCount
    }
}
