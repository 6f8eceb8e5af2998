import Foundation
import Model
import Postgres

/// The ObjectStore on PostgreSQL (schema: migrations/). Writes go through one group-commit writer
/// thread (see `GroupCommitWriter`); reads use a pool of connections with prepared statements and
/// hand the stored `body::text` bytes straight through. A `Listener` on `drover_changes` wakes
/// subscribers. Several stores (servers) may share one database.
public final class PostgresStore: ObjectStore, @unchecked Sendable {
    private let writer: GroupCommitWriter
    let pool: Pool
    private var listener: Listener?
    private let subscribers = Subscribers()

    /// Connects to a migrated database: `readConnections` pooled read connections plus one writer
    /// and one listener connection.
    public init(conninfo: String, readConnections: Int = 4) throws(StoreError) {
        let conninfo = SessionSettings.apply(to: conninfo)
        do {
            writer = try GroupCommitWriter(conninfo: conninfo)
            pool = Pool(conninfo: conninfo, capacity: readConnections)
            StoreMetrics.observe(pool)
            let subscribers = self.subscribers
            listener = try Listener(conninfo: conninfo, channels: [StoreSQL.channel],
                                    onNotification: { _, _ in subscribers.notifyAll() },
                                    onReconnect: { subscribers.notifyAll() })
        } catch {
            throw .unavailable(error.description)
        }
    }

    deinit { close() }

    public func get(_ key: ObjectKey) throws(StoreError) -> StoredObject {
        let r = try read { c throws(PostgresError) in try c.execPrepared(StoreSQL.get.name, sql: StoreSQL.get.sql, key.params) }
        guard let uid = r.string(0, 0), let rv = r.int64(0, 1), let body = r.json(0, 2) else { throw .notFound(key) }
        return StoredObject(key: key, uid: uid, resourceVersion: rv, json: body)
    }

    public func create(_ key: ObjectKey, uid: String, json: [UInt8]) throws(StoreError) -> StoredObject {
        try writer.perform(.create(key, uid: uid, json: json))
    }

    public func update(_ key: ObjectKey, json: [UInt8], ifResourceVersion: Int64) throws(StoreError) -> StoredObject {
        try writer.perform(.update(key, json: json, ifResourceVersion: ifResourceVersion))
    }

    public func updateAll(_ updates: [ObjectUpdate]) -> [Result<StoredObject, StoreError>] {
        writer.performAll(updates.map { .update($0.key, json: $0.json, ifResourceVersion: $0.ifResourceVersion) })
    }

    public func getAll(_ keys: [ObjectKey]) -> [Result<StoredObject, StoreError>] {
        guard keys.count > 1 else { return getEach(keys) }
        let params = [\ObjectKey.resource, \.namespace, \.name].map { field in PostgresArray.literal(keys.map { $0[keyPath: field] }) }
        let rows: QueryResult
        do {
            rows = try read { c throws(PostgresError) in try c.execPrepared(StoreSQL.getAll.name, sql: StoreSQL.getAll.sql, params) }
        } catch {
            return keys.map { _ in .failure(error) }
        }
        var results = keys.map { Result<StoredObject, StoreError>.failure(.notFound($0)) }
        for row in 0..<rows.rowCount {
            guard let ordinal = rows.int64(row, 0), ordinal >= 1, Int(ordinal) <= keys.count,
                  let uid = rows.string(row, 1), let rv = rows.int64(row, 2), let body = rows.json(row, 3) else { continue }
            let index = Int(ordinal) - 1
            results[index] = .success(StoredObject(key: keys[index], uid: uid, resourceVersion: rv, json: body))
        }
        return results
    }

    public func delete(_ key: ObjectKey, ifResourceVersion: Int64?) throws(StoreError) -> StoredObject {
        try writer.perform(.delete(key, ifResourceVersion: ifResourceVersion))
    }

    public func changes(after: Int64, resource: String?, limit: Int) throws(StoreError) -> [Change] {
        // Not prepared on purpose: a cached generic plan cannot see that `after` is near the end
        // of the log, and PostgreSQL settled on a sequential scan plus sort of the whole table for
        // every call (measured: 3,600 rows read per call at 3,000 pods, growing with the log).
        let r = try read { c throws(PostgresError) in
            try c.exec(StoreSQL.changes, [String(after), resource, String(max(0, limit))])
        }
        let compacted = r.int64(0, 0) ?? 0
        if after < compacted { throw .expired(requested: after, oldest: compacted) }
        var out: [Change] = []
        out.reserveCapacity(r.rowCount)
        for row in 0..<r.rowCount {
            guard let rv = r.int64(row, 1), let type = r.string(row, 2).flatMap(ChangeType.init(rawValue:)),
                  let resource = r.string(row, 3), let namespace = r.string(row, 4), let name = r.string(row, 5),
                  let uid = r.string(row, 6), let body = r.json(row, 7) else { continue }
            let key = ObjectKey(resource: resource, namespace: namespace, name: name)
            out.append(Change(type: type, object: StoredObject(key: key, uid: uid, resourceVersion: rv, json: body)))
        }
        return out
    }

    public func currentResourceVersion() throws(StoreError) -> Int64 { try state().current }

    public func oldestResourceVersion() throws(StoreError) -> Int64 { try state().compacted }

    public func compact(through resourceVersion: Int64) throws(StoreError) {
        try read { c throws(PostgresError) in
            // Two statements, two commits: readers see the new compaction point before any row goes.
            guard let point = try c.exec(StoreSQL.advanceCompaction, [String(resourceVersion)]).int64(0, 0) else { return }
            try c.exec(StoreSQL.deleteCompacted, [String(point)])
        }
    }

    public func subscribe(_ handler: @escaping @Sendable () -> Void) -> Int { subscribers.add(handler) }

    public func unsubscribe(_ token: Int) { subscribers.remove(token) }

    public func close() {
        writer.stop()
        listener?.stop()
        listener = nil
        pool.close()
    }

    private func state() throws(StoreError) -> (current: Int64, compacted: Int64) {
        let r = try read { c throws(PostgresError) in try c.execPrepared(StoreSQL.state.name, sql: StoreSQL.state.sql, []) }
        guard let current = r.int64(0, 0), let compacted = r.int64(0, 1) else {
            throw .unavailable("the store_state row is missing; were the migrations applied?")
        }
        return (current, compacted)
    }

    /// Runs `body` on a pooled connection; retries once on a fresh session when the connection
    /// broke (e.g. the server restarted), and maps database failures to `.unavailable` (`.rejected` for bad values).
    func read<T>(_ body: (Connection) throws(PostgresError) -> T) throws(StoreError) -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let c = try pool.checkout()
                defer { pool.checkin(c) }
                return try body(c)
            } catch where error.connectionLost && attempt == 1 {
                continue
            } catch {
                throw StoreError(error)
            }
        }
    }
}

/// Handlers to call when new changes may be readable.
final class Subscribers: @unchecked Sendable {
    private let lock = NSLock()
    private var handlers: [Int: @Sendable () -> Void] = [:]
    private var next = 0

    func add(_ handler: @escaping @Sendable () -> Void) -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        handlers[next] = handler
        return next
    }

    func remove(_ token: Int) {
        lock.lock()
        handlers[token] = nil
        lock.unlock()
    }

    func notifyAll() {
        lock.lock()
        let all = Array(handlers.values)
        lock.unlock()
        for handler in all { handler() }
    }
}
