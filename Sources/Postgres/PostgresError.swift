import CLibPQ

/// A failure reported by libpq or the server: the server's SQLSTATE when there is one, and its message.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Five-character SQLSTATE (e.g. `23505` unique violation); nil for client-side failures such as a
    /// refused connection.
    public var sqlState: String?
    /// The message, without libpq's trailing newline.
    public var message: String
    /// True when the connection itself broke (rather than the statement failing), so it must be reset.
    public var connectionLost: Bool

    public init(sqlState: String? = nil, message: String, connectionLost: Bool = false) {
        self.sqlState = sqlState
        self.message = message
        self.connectionLost = connectionLost
    }

    public var description: String {
        if let sqlState { return "\(message) (SQLSTATE \(sqlState))" }
        return message
    }

    /// Serialization failures and deadlocks: the statement may succeed when retried.
    public var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }

    /// The error of a failed result on `conn`. `PG_DIAG_SQLSTATE` is a char macro Swift does not import.
    static func from(result: OpaquePointer?, connection conn: OpaquePointer?) -> PostgresError {
        var sqlState: String?
        var message = ""
        if let result {
            if let s = PQresultErrorField(result, Int32(UInt8(ascii: "C"))) { sqlState = String(cString: s) }
            if let m = PQresultErrorMessage(result) { message = String(cString: m) }
        }
        if message.isEmpty, let conn, let m = PQerrorMessage(conn) { message = String(cString: m) }
        let lost = conn.map { PQstatus($0) != CONNECTION_OK } ?? true
        return PostgresError(sqlState: sqlState, message: trimmed(message, fallback: "PostgreSQL request failed"),
                             connectionLost: lost || (sqlState?.hasPrefix("08") ?? false))
    }

    /// The connection-level error message of `conn`.
    static func from(connection conn: OpaquePointer?, fallback: String) -> PostgresError {
        let message = conn.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? ""
        return PostgresError(message: trimmed(message, fallback: fallback), connectionLost: true)
    }

    private static func trimmed(_ message: String, fallback: String) -> String {
        var m = Substring(message)
        while let last = m.last, last == "\n" || last == " " { m = m.dropLast() }
        return m.isEmpty ? fallback : String(m)
    }
}
