import Foundation
import Postgres

/// The single writer of a PostgresStore: one thread with its own connection that takes every
/// pending write (up to `maxBatch`), commits them in one transaction under the writer advisory
/// lock with consecutive resourceVersions, and then wakes each caller.
///
/// Expected failures (exists, conflict, not found) are results of single statements and never
/// abort the batch. An unexpected error rolls the batch back and re-runs its writes one per
/// transaction, so only the faulty write fails.
final class GroupCommitWriter: @unchecked Sendable {
    /// One requested write.
    enum Operation {
        case create(ObjectKey, uid: String, json: [UInt8])
        case update(ObjectKey, json: [UInt8], ifResourceVersion: Int64)
        case delete(ObjectKey, ifResourceVersion: Int64?)
    }

    /// A write waiting for its batch to commit.
    private final class Pending: @unchecked Sendable {
        let operation: Operation
        var result: Result<StoredObject, StoreError> = .failure(.unavailable("the write was not run"))
        let done = DispatchSemaphore(value: 0)
        init(_ operation: Operation) { self.operation = operation }
    }

    private let connection: Connection
    private let maxBatch: Int
    private let condition = NSCondition()
    private var queue: [Pending] = []
    private var stopping = false
    private var finished = false

    /// Opens the writer's connection and starts its thread.
    init(conninfo: String, maxBatch: Int = 256) throws(PostgresError) {
        connection = try Connection(conninfo)
        self.maxBatch = maxBatch
        let thread = Thread { [self] in run() }
        thread.name = "drover-store-writer"
        thread.start()
    }

    /// Queues `operation` and blocks until its batch has committed (or failed).
    func perform(_ operation: Operation) throws(StoreError) -> StoredObject {
        let pending = Pending(operation)
        condition.lock()
        if stopping {
            condition.unlock()
            throw .unavailable("the store is closed")
        }
        queue.append(pending)
        condition.signal()
        condition.unlock()
        pending.done.wait()
        return try pending.result.get()
    }

    /// Finishes the queued writes, stops the thread and closes the connection.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty {
                finished = true
                condition.broadcast()
                condition.unlock()
                break
            }
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            condition.unlock()
            commit(batch)
            for pending in batch { pending.done.signal() }
        }
        connection.close()
    }

    /// Runs `batch` in one transaction; on an unexpected error, retries each write alone.
    private func commit(_ batch: [Pending]) {
        do {
            let results = try transaction(batch.map(\.operation))
            for (pending, result) in zip(batch, results) { pending.result = result }
        } catch {
            if connection.isHealthy { _ = try? connection.exec("ROLLBACK") }
            if batch.count > 1 {
                for pending in batch { commit([pending]) }
            } else {
                batch[0].result = .failure(.unavailable(error.description))
            }
        }
    }

    /// One transaction: lock, read the counter, apply each write with the next rv, bump the
    /// counter, notify, commit. A failed write does not consume an rv.
    private func transaction(_ operations: [Operation]) throws(PostgresError) -> [Result<StoredObject, StoreError>] {
        if !connection.isHealthy { try connection.reset() }
        guard let current = try connection.exec(StoreSQL.beginBatch).int64(0, 0) else {
            throw PostgresError(message: "the store_state row is missing; were the migrations applied?")
        }
        var rv = current
        var results: [Result<StoredObject, StoreError>] = []
        results.reserveCapacity(operations.count)
        for operation in operations {
            let result = try apply(operation, rv: rv + 1)
            if case .success = result { rv += 1 }
            results.append(result)
        }
        try connection.exec(rv > current ? StoreSQL.commitBatch(through: rv) : "COMMIT")
        return results
    }

    private func apply(_ operation: Operation, rv: Int64) throws(PostgresError) -> Result<StoredObject, StoreError> {
        switch operation {
        case .create(let key, let uid, let json):
            let r = try connection.execPrepared(StoreSQL.create.name, sql: StoreSQL.create.sql,
                                                key.params + [uid, String(rv), String(decoding: json, as: UTF8.self)])
            guard let body = r.bytes(0, 0) else { return .failure(.alreadyExists(key)) }
            return .success(StoredObject(key: key, uid: uid, resourceVersion: rv, json: body))
        case .update(let key, let json, let expected):
            let r = try connection.execPrepared(StoreSQL.update.name, sql: StoreSQL.update.sql,
                                                key.params + [String(rv), String(decoding: json, as: UTF8.self), String(expected)])
            return Self.casOutcome(r, key: key, rv: rv)
        case .delete(let key, let expected):
            let r = try connection.execPrepared(StoreSQL.delete.name, sql: StoreSQL.delete.sql,
                                                key.params + [String(rv), expected.map { String($0) }])
            return Self.casOutcome(r, key: key, rv: rv)
        }
    }

    /// Reads the (rv before, uid, body) row of an update or delete.
    private static func casOutcome(_ r: QueryResult, key: ObjectKey, rv: Int64) -> Result<StoredObject, StoreError> {
        guard let before = r.int64(0, 0) else { return .failure(.notFound(key)) }
        guard let uid = r.string(0, 1), let body = r.bytes(0, 2) else { return .failure(.conflict(key, current: before)) }
        return .success(StoredObject(key: key, uid: uid, resourceVersion: rv, json: body))
    }
}

extension ObjectKey {
    /// The key as the first three statement parameters.
    var params: [String?] { [resource, namespace, name] }
}
