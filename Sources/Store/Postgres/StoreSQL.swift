/// The SQL PostgresStore runs, by statement name (names double as prepared-statement names).
/// Tables are defined in migrations/0001_init.sql.
enum StoreSQL {
    /// Advisory lock key every Drover writer takes before assigning resourceVersions ("drover" + 2),
    /// so servers sharing a database commit in resourceVersion order.
    static let writerLockKey: Int64 = 0x64_72_6f_76_65_72_02

    /// The NOTIFY channel; the payload is the newest committed resourceVersion.
    static let channel = "drover_changes"

    /// Starts a write batch: opens the transaction, waits for the writer lock, then (in a new
    /// statement, so a new snapshot that sees the previous holder's commit) reads the counter.
    static let beginBatch = """
        BEGIN; SELECT pg_advisory_xact_lock(\(writerLockKey)); SELECT current_rv FROM store_state
        """

    /// Ends a batch that wrote up to `rv`.
    static func commitBatch(through rv: Int64) -> String {
        "UPDATE store_state SET current_rv = \(rv); NOTIFY \(channel), '\(rv)'; COMMIT"
    }

    /// $1-3 key, $4 uid, $5 rv, $6 body. One row (the stored body) on success, none if the key exists.
    static let create = (name: "drover_create", sql: """
        WITH ins AS (
            INSERT INTO objects (resource, namespace, name, uid, rv, body)
            VALUES ($1, $2, $3, $4, $5::bigint, drover_stamp($6::jsonb, $5::bigint))
            ON CONFLICT DO NOTHING
            RETURNING uid, body),
        log AS (
            INSERT INTO changes (rv, type, resource, namespace, name, uid, body)
            SELECT $5::bigint, 'ADDED', $1, $2, $3, uid, body FROM ins)
        SELECT body::text FROM ins
        """)

    /// $1-3 key, $4 new rv, $5 body, $6 expected rv. One row: (rv before, uid, stored body); the
    /// last two are NULL when the compare-and-swap failed, all three when the key is absent.
    static let update = (name: "drover_update", sql: """
        WITH cur AS (
            SELECT rv FROM objects WHERE resource = $1 AND namespace = $2 AND name = $3),
        upd AS (
            UPDATE objects SET rv = $4::bigint, body = drover_stamp($5::jsonb, $4::bigint)
            WHERE resource = $1 AND namespace = $2 AND name = $3 AND rv = $6::bigint
            RETURNING uid, body),
        log AS (
            INSERT INTO changes (rv, type, resource, namespace, name, uid, body)
            SELECT $4::bigint, 'MODIFIED', $1, $2, $3, uid, body FROM upd)
        SELECT (SELECT rv FROM cur), upd.uid, upd.body::text FROM (SELECT 1) AS one LEFT JOIN upd ON true
        """)

    /// $1-3 key, $4 new rv, $5 expected rv or NULL. One row like `update`; the body is the last
    /// state stamped with the deletion's rv.
    static let delete = (name: "drover_delete", sql: """
        WITH cur AS (
            SELECT rv FROM objects WHERE resource = $1 AND namespace = $2 AND name = $3),
        del AS (
            DELETE FROM objects
            WHERE resource = $1 AND namespace = $2 AND name = $3 AND ($5::bigint IS NULL OR rv = $5::bigint)
            RETURNING uid, drover_stamp(body, $4::bigint) AS body),
        log AS (
            INSERT INTO changes (rv, type, resource, namespace, name, uid, body)
            SELECT $4::bigint, 'DELETED', $1, $2, $3, uid, body FROM del)
        SELECT (SELECT rv FROM cur), del.uid, del.body::text FROM (SELECT 1) AS one LEFT JOIN del ON true
        """)

    /// $1-3 key → (uid, rv, body).
    static let get = (name: "drover_get", sql: """
        SELECT uid, rv, body::text FROM objects WHERE resource = $1 AND namespace = $2 AND name = $3
        """)

    /// → (current rv, compacted rv).
    static let state = (name: "drover_state", sql: "SELECT current_rv, compacted_rv FROM store_state")

    /// $1 after, $2 resource or NULL, $3 limit → (compacted rv, then per change: rv, type, resource,
    /// namespace, name, uid, body); one row of NULL changes when there are none. One snapshot, so the
    /// compaction point and the rows agree.
    static let changes = (name: "drover_changes", sql: """
        SELECT s.compacted_rv, c.rv, c.type, c.resource, c.namespace, c.name, c.uid, c.body::text
        FROM store_state AS s LEFT JOIN LATERAL (
            SELECT * FROM changes WHERE rv > $1::bigint AND ($2::text IS NULL OR resource = $2::text)
            ORDER BY rv LIMIT $3::bigint) AS c ON true
        ORDER BY c.rv
        """)

    /// $1 through → the new compaction point (never beyond the current rv, never backwards).
    static let advanceCompaction = """
        UPDATE store_state SET compacted_rv = GREATEST(compacted_rv, LEAST($1::bigint, current_rv))
        RETURNING compacted_rv
        """

    /// $1 compaction point. Deletes changes at or below it except each key's newest one there,
    /// unless that is a deletion: the log keeps every live key's state at any rv ≥ the point.
    static let deleteCompacted = """
        DELETE FROM changes AS c WHERE c.rv <= $1::bigint AND (c.type = 'DELETED' OR EXISTS (
            SELECT 1 FROM changes AS n
            WHERE n.resource = c.resource AND n.namespace = c.namespace AND n.name = c.name
              AND n.rv > c.rv AND n.rv <= $1::bigint))
        """
}
