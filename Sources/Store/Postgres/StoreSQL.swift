/// The SQL PostgresStore runs, by statement name (names double as prepared-statement names).
/// Tables are defined in migrations/0001_init.sql.
enum StoreSQL {
    /// Advisory lock key every Drover writer takes before assigning resourceVersions ("drover" + 2),
    /// so servers sharing a database commit in resourceVersion order.
    static let writerLockKey: Int64 = 0x64_72_6f_76_65_72_02

    /// The NOTIFY channel; the payload is the newest committed resourceVersion.
    static let channel = "drover_changes"

    /// Waits for the writer lock. Statements after it take new snapshots, so they see the commits
    /// of the previous holder (in this or another server).
    static let lock = (name: "drover_lock", sql: "SELECT pg_advisory_xact_lock(\(writerLockKey))")

    /// Tells listeners the newest rv (delivered at COMMIT).
    static let notify = (name: "drover_notify", sql: "SELECT pg_notify('\(channel)', current_rv::text) FROM store_state")

    // The batch keeps its newest rv in the transaction-local setting `drover.rv`: `beginBatch`
    // reads it from store_state once, each write takes the next one and bumps the setting only
    // when it succeeds (a failed write consumes no rv), and `endBatch` stores it back. Updating the
    // store_state row once per write instead left one dead row version per write on its page, and
    // every later read of the row in the batch walked them all: quadratic in the batch size.

    /// Starts the batch's rv counter at the committed rv (after `lock`, so it is the newest).
    static let beginBatch = (name: "drover_begin_batch",
                             sql: "SELECT set_config('drover.rv', current_rv::text, true) FROM store_state")

    /// Stores the batch's newest rv (before `notify`).
    static let endBatch = (name: "drover_end_batch", sql: """
        UPDATE store_state SET current_rv = current_setting('drover.rv')::bigint
        WHERE current_rv <> current_setting('drover.rv')::bigint
        """)

    /// The next rv of the batch.
    private static let next = "next AS (SELECT current_setting('drover.rv')::bigint + 1 AS rv)"

    /// $1-3 key, $4 uid, $5 body → (rv, stored body) on success, no row if the key exists.
    static let create = (name: "drover_create", sql: """
        WITH \(next),
        ins AS (
            INSERT INTO objects (resource, namespace, name, uid, rv, body)
            SELECT $1, $2, $3, $4, next.rv, drover_stamp($5::jsonb, next.rv) FROM next
            ON CONFLICT DO NOTHING
            RETURNING rv, uid, body),
        log AS (
            INSERT INTO changes (rv, type, resource, namespace, name, uid, body)
            SELECT rv, 'ADDED', $1, $2, $3, uid, body FROM ins)
        SELECT rv, body::text, set_config('drover.rv', rv::text, true) FROM ins
        """)

    /// $1-3 key, $4 body, $5 expected rv → one row (rv before, new rv, uid, stored body); the last
    /// three are NULL when the compare-and-swap failed, all four when the key is absent.
    static let update = (name: "drover_update", sql: """
        WITH \(next),
        cur AS (SELECT rv FROM objects WHERE resource = $1 AND namespace = $2 AND name = $3),
        upd AS (
            UPDATE objects AS o SET rv = next.rv, body = drover_stamp($4::jsonb, next.rv) FROM next
            WHERE o.resource = $1 AND o.namespace = $2 AND o.name = $3 AND o.rv = $5::bigint
            RETURNING o.rv, o.uid, o.body),
        log AS (
            INSERT INTO changes (rv, type, resource, namespace, name, uid, body)
            SELECT rv, 'MODIFIED', $1, $2, $3, uid, body FROM upd)
        SELECT (SELECT rv FROM cur), upd.rv, upd.uid, upd.body::text,
               CASE WHEN upd.rv IS NOT NULL THEN set_config('drover.rv', upd.rv::text, true) END
        FROM (SELECT 1) AS one LEFT JOIN upd ON true
        """)

    /// $1-3 key, $4 expected rv or NULL → one row like `update`; the body is the last state
    /// stamped with the deletion's rv.
    static let delete = (name: "drover_delete", sql: """
        WITH \(next),
        cur AS (SELECT rv FROM objects WHERE resource = $1 AND namespace = $2 AND name = $3),
        del AS (
            DELETE FROM objects AS o USING next
            WHERE o.resource = $1 AND o.namespace = $2 AND o.name = $3 AND ($4::bigint IS NULL OR o.rv = $4::bigint)
            RETURNING next.rv, o.uid, drover_stamp(o.body, next.rv) AS body),
        log AS (
            INSERT INTO changes (rv, type, resource, namespace, name, uid, body)
            SELECT rv, 'DELETED', $1, $2, $3, uid, body FROM del)
        SELECT (SELECT rv FROM cur), del.rv, del.uid, del.body::text,
               CASE WHEN del.rv IS NOT NULL THEN set_config('drover.rv', del.rv::text, true) END
        FROM (SELECT 1) AS one LEFT JOIN del ON true
        """)

    /// $1-3 key → (uid, rv, body).
    static let get = (name: "drover_get", sql: """
        SELECT uid, rv, body::text FROM objects WHERE resource = $1 AND namespace = $2 AND name = $3
        """)

    /// $1-3 arrays of resources, namespaces, names → (1-based position in the arrays, uid, rv,
    /// body) of each key that exists.
    static let getAll = (name: "drover_get_all", sql: """
        SELECT k.i, o.uid, o.rv, o.body::text
        FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(resource, namespace, name, i)
        JOIN objects AS o ON o.resource = k.resource AND o.namespace = k.namespace AND o.name = k.name
        """)

    /// → (current rv, compacted rv).
    static let state = (name: "drover_state", sql: "SELECT current_rv, compacted_rv FROM store_state")

    /// $1 after, $2 resource or NULL, $3 limit → (compacted rv, then per change: rv, type, resource,
    /// namespace, name, uid, body); one row of NULL changes when there are none. One snapshot, so the
    /// compaction point and the rows agree.
    static let changes = """
        SELECT s.compacted_rv, c.rv, c.type, c.resource, c.namespace, c.name, c.uid, c.body::text
        FROM store_state AS s LEFT JOIN LATERAL (
            SELECT * FROM changes WHERE rv > $1::bigint AND ($2::text IS NULL OR resource = $2::text)
            ORDER BY rv LIMIT $3::bigint) AS c ON true
        ORDER BY c.rv
        """

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
