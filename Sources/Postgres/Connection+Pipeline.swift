import CLibPQ

/// One statement of a pipeline: a prepared statement (prepared on first use) or plain SQL.
public struct PipelinedStatement: Sendable {
    /// Prepared-statement name; nil runs `sql` unnamed.
    public var name: String?
    public var sql: String
    public var params: [String?]

    public init(name: String? = nil, sql: String, params: [String?] = []) {
        self.name = name
        self.sql = sql
        self.params = params
    }
}

extension Connection {
    /// Most statements sent before a Sync, which bounds the data in flight each way (a blocking
    /// libpq connection could otherwise deadlock with the server on full socket buffers).
    static let pipelineChunk = 64

    /// Runs `statements` in order with libpq's pipeline mode: one round trip per chunk of 64
    /// statements instead of one per statement. Inside an explicit transaction the Syncs between
    /// chunks do not commit. At the first failing statement the rest are not run; their results
    /// repeat that error. Throws when the connection breaks, and (sending nothing) when a
    /// parameter holds a NUL character (SQLSTATE 22021, see `refuseNULs`).
    public func pipeline(_ statements: [PipelinedStatement]) throws(PostgresError) -> [Result<QueryResult, PostgresError>] {
        // Checked before anything is sent: a statement refused mid-pipeline would leave the rest half-sent.
        for s in statements { try refuseNULs(s.params) }
        for s in statements { if let name = s.name, !isPrepared(name) { try prepare(name, s.sql) } }
        let c = try handle()
        guard PQenterPipelineMode(c) == 1 else { throw PostgresError.from(connection: c, fallback: "could not enter pipeline mode") }
        defer { PQexitPipelineMode(c) }
        var results: [Result<QueryResult, PostgresError>] = []
        results.reserveCapacity(statements.count)
        var start = 0
        while start < statements.count {
            let chunk = statements[start..<min(start + Self.pipelineChunk, statements.count)]
            for s in chunk {
                let sent = withCStrings(s.params) { values in
                    if let name = s.name { return PQsendQueryPrepared(c, name, Int32(values.count), values, nil, nil, 0) }
                    return PQsendQueryParams(c, s.sql, Int32(values.count), nil, values, nil, nil, 0)
                }
                guard sent == 1 else { throw PostgresError.from(connection: c, fallback: "could not send a pipelined statement") }
            }
            guard PQpipelineSync(c) == 1 else { throw PostgresError.from(connection: c, fallback: "could not send a pipeline sync") }
            try collect(chunk.count, from: c, into: &results)
            start += chunk.count
            if case .failure(let error)? = results.last {
                while results.count < statements.count { results.append(.failure(error)) }
                break
            }
        }
        return results
    }

    /// Reads `count` statement results and the Sync that follows them.
    private func collect(_ count: Int, from c: OpaquePointer, into results: inout [Result<QueryResult, PostgresError>]) throws(PostgresError) {
        var firstError: PostgresError?
        var received = 0
        while true {
            guard let r = PQgetResult(c) else {
                if PQstatus(c) != CONNECTION_OK { throw PostgresError.from(connection: c, fallback: "lost the connection in a pipeline") }
                continue  // the end of one statement's results
            }
            switch PQresultStatus(r) {
            case PGRES_PIPELINE_SYNC:
                PQclear(r)
                return
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                results.append(.success(QueryResult(r)))
            case PGRES_PIPELINE_ABORTED:
                PQclear(r)
                results.append(.failure(firstError ?? PostgresError(message: "statement skipped after an earlier error")))
            default:
                let error = PostgresError.from(result: r, connection: c)
                PQclear(r)
                firstError = firstError ?? error
                results.append(.failure(error))
            }
            received += 1
            if received > count { throw PostgresError(message: "the pipeline returned more results than statements", connectionLost: true) }
        }
    }
}
