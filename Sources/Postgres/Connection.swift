import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// One libpq connection. Not thread-safe: use it from one thread at a time (a `Pool` hands
/// connections out one per caller). Parameters and results travel in text format.
public final class Connection: @unchecked Sendable {
    /// The conninfo string or `postgresql://` URL the connection was opened with.
    public let conninfo: String
    private var conn: OpaquePointer?
    /// Names of statements prepared on the current server session (cleared by `reset`).
    private var prepared: Set<String> = []

    /// Opens a connection; `conninfo` is a `key=value` string or a `postgresql://` URL.
    public init(_ conninfo: String) throws(PostgresError) {
        self.conninfo = conninfo
        let c = PQconnectdb(conninfo)
        guard let c, PQstatus(c) == CONNECTION_OK else {
            let error = PostgresError.from(connection: c, fallback: "could not connect to PostgreSQL")
            PQfinish(c)
            throw error
        }
        conn = c
        silenceNotices()
    }

    deinit { PQfinish(conn) }

    /// Whether the server can be reached and accepts connections (`PQping`), without logging in.
    public static func ping(_ conninfo: String) -> Bool { PQping(conninfo) == PQPING_OK }

    /// True while the connection is open and not broken.
    public var isHealthy: Bool { conn.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// True when the session is idle outside a transaction.
    public var isIdle: Bool { conn.map { PQtransactionStatus($0) == PQTRANS_IDLE } ?? false }

    /// The socket file descriptor, for `poll()`; -1 when closed.
    public var socket: Int32 { conn.map { PQsocket($0) } ?? -1 }

    /// Re-opens a broken connection. Prepared statements are forgotten and re-prepared on demand.
    public func reset() throws(PostgresError) {
        prepared.removeAll()
        guard let conn else { throw PostgresError(message: "the connection is closed", connectionLost: true) }
        PQreset(conn)
        guard PQstatus(conn) == CONNECTION_OK else {
            throw PostgresError.from(connection: conn, fallback: "could not reconnect to PostgreSQL")
        }
        silenceNotices()
    }

    /// Closes the connection; later calls fail.
    public func close() {
        PQfinish(conn)
        conn = nil
        prepared.removeAll()
    }

    /// Runs one or more SQL statements without parameters (simple query protocol); returns the
    /// last statement's result.
    @discardableResult
    public func exec(_ sql: String) throws(PostgresError) -> QueryResult {
        let c = try open()
        return try check(PQexec(c, sql), c)
    }

    /// Runs one statement with text parameters `$1...` (nil is SQL NULL).
    @discardableResult
    public func exec(_ sql: String, _ params: [String?]) throws(PostgresError) -> QueryResult {
        try refuseNULs(params)
        let c = try open()
        let r = withCStrings(params) { values in
            PQexecParams(c, sql, Int32(values.count), nil, values, nil, nil, 0)
        }
        return try check(r, c)
    }

    /// Prepares `sql` under `name` on this session.
    public func prepare(_ name: String, _ sql: String) throws(PostgresError) {
        let c = try open()
        _ = try check(PQprepare(c, name, sql, 0, nil), c)
        prepared.insert(name)
    }

    /// Runs the prepared statement `name` with text parameters.
    @discardableResult
    public func execPrepared(_ name: String, _ params: [String?]) throws(PostgresError) -> QueryResult {
        try refuseNULs(params)
        let c = try open()
        let r = withCStrings(params) { values in
            PQexecPrepared(c, name, Int32(values.count), values, nil, nil, 0)
        }
        return try check(r, c)
    }

    /// Runs `sql` as a prepared statement named `name`, preparing it on first use on this session.
    /// Roughly doubles throughput over `exec(_:_:)` for statements run many times.
    @discardableResult
    public func execPrepared(_ name: String, sql: String, _ params: [String?]) throws(PostgresError) -> QueryResult {
        if !prepared.contains(name) { try prepare(name, sql) }
        return try execPrepared(name, params)
    }

    /// Reads pending input and returns the notifications that arrived (channel, payload).
    /// Used by `Listener`; throws when the connection broke.
    func consumeNotifications() throws(PostgresError) -> [(channel: String, payload: String)] {
        let c = try open()
        guard PQconsumeInput(c) == 1 else {
            throw PostgresError.from(connection: c, fallback: "lost the connection to PostgreSQL")
        }
        var out: [(String, String)] = []
        while let n = PQnotifies(c) {
            out.append((String(cString: n.pointee.relname), String(cString: n.pointee.extra)))
            PQfreemem(n)
        }
        return out
    }

    /// True when `name` is prepared on the current session.
    func isPrepared(_ name: String) -> Bool { prepared.contains(name) }

    /// The libpq handle, or an error when closed.
    func handle() throws(PostgresError) -> OpaquePointer { try open() }

    private func open() throws(PostgresError) -> OpaquePointer {
        guard let conn else { throw PostgresError(message: "the connection is closed", connectionLost: true) }
        return conn
    }

    private func check(_ result: OpaquePointer?, _ c: OpaquePointer) throws(PostgresError) -> QueryResult {
        guard let result else { throw PostgresError.from(connection: c, fallback: "PostgreSQL returned no result") }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return QueryResult(result)
        default:
            let error = PostgresError.from(result: result, connection: c)
            PQclear(result)
            throw error
        }
    }

    private func silenceNotices() {
        // NOTICEs (e.g. from IF NOT EXISTS) would otherwise be printed to stderr.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
    }
}

/// Refuses parameters holding U+0000 the way the server refuses such text (SQLSTATE 22021). libpq
/// takes parameters as C strings, so it would silently cut the value at the NUL: a key parameter
/// `foo\0bar` would address the object `foo`, and a cut body would be other JSON.
func refuseNULs(_ params: [String?]) throws(PostgresError) {
    for case let param? in params where containsNUL(param) {
        throw PostgresError(sqlState: "22021", message: "invalid byte sequence for encoding \"UTF8\": 0x00 (a parameter holds a NUL character)")
    }
}

/// A byte search (memchr) for 0 in the string's UTF-8 storage.
func containsNUL(_ s: String) -> Bool {
    var copy = s
    return copy.withUTF8 { bytes in
        guard let base = bytes.baseAddress else { return false }
        return memchr(base, 0, bytes.count) != nil
    }
}

/// Calls `body` with `params` as NUL-terminated C strings (NULL pointers for nil).
func withCStrings<R>(_ params: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = params.map { $0.flatMap { strdup($0) } }
    defer { for p in copies { free(p) } }
    return body(copies.map { $0.map { UnsafePointer($0) } })
}
