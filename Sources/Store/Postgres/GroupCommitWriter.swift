import Foundation
import Postgres

/// The single writer of a PostgresStore: one thread with its own connection that takes every
/// pending write (up to `maxBatch`), commits them in one transaction under the writer advisory
/// lock with consecutive resourceVersions, and then wakes each caller.
///
/// Expected failures (exists, conflict, not found) are results of single statements and never
/// abort the batch. An unexpected statement error rolls the batch back and re-runs its writes one
/// per transaction, so only the faulty write fails; a lost connection fails the whole batch.
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
        try performAll([operation])[0].get()
    }

    /// Queues all `operations` at once (so they share batches) and blocks until every one has
    /// committed or failed; results in order.
    func performAll(_ operations: [Operation]) -> [Result<StoredObject, StoreError>] {
        let pending = operations.map(Pending.init)
        condition.lock()
        if stopping {
            condition.unlock()
            return operations.map { _ in .failure(.unavailable("the store is closed")) }
        }
        queue.append(contentsOf: pending)
        condition.signal()
        condition.unlock()
        for p in pending { p.done.wait() }
        return pending.map(\.result)
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
            let started = ProcessInfo.processInfo.systemUptime
            let results = try transaction(batch.map(\.operation))
            StoreMetrics.batchSize.observe(Double(batch.count))
            StoreMetrics.commitSeconds.observe(ProcessInfo.processInfo.systemUptime - started)
            for (pending, result) in zip(batch, results) { pending.result = result }
        } catch {
            if connection.isHealthy && !connection.isIdle { _ = try? connection.exec("ROLLBACK") }
            // A lost connection leaves the COMMIT's outcome unknown: re-running the writes could
            // report "already exists" for a create that did commit, so the whole batch fails.
            if error.connectionLost || batch.count == 1 {
                for pending in batch { pending.result = .failure(StoreError(error)) }
                return
            }
            for pending in batch { commit([pending]) }
        }
    }

    /// One transaction, pipelined in one round trip per 64 statements: BEGIN, the writer lock, the
    /// batch's rv counter, each write (taking the next rv), storing the counter, NOTIFY,
    /// COMMIT. Expected failures are rows, not errors; any error means the batch did not commit.
    private func transaction(_ operations: [Operation]) throws(PostgresError) -> [Result<StoredObject, StoreError>] {
        if !connection.isHealthy { try connection.reset() }
        var statements = [PipelinedStatement(sql: "BEGIN"), PipelinedStatement(name: StoreSQL.lock.name, sql: StoreSQL.lock.sql),
                          PipelinedStatement(name: StoreSQL.beginBatch.name, sql: StoreSQL.beginBatch.sql)]
        statements += operations.map(Self.statement)
        statements.append(PipelinedStatement(name: StoreSQL.endBatch.name, sql: StoreSQL.endBatch.sql))
        statements.append(PipelinedStatement(name: StoreSQL.notify.name, sql: StoreSQL.notify.sql))
        statements.append(PipelinedStatement(sql: "COMMIT"))
        let results = try connection.pipeline(statements)
        for case .failure(let error) in results { throw error }
        var outcomes: [Result<StoredObject, StoreError>] = []
        outcomes.reserveCapacity(operations.count)
        for (operation, result) in zip(operations, results.dropFirst(3)) {
            guard case .success(let r) = result else { continue }
            outcomes.append(Self.outcome(of: operation, r))
        }
        return outcomes
    }

    private static func statement(_ operation: Operation) -> PipelinedStatement {
        switch operation {
        case .create(let key, let uid, let json):
            return PipelinedStatement(name: StoreSQL.create.name, sql: StoreSQL.create.sql,
                                      params: key.params + [uid, String(decoding: json, as: UTF8.self)])
        case .update(let key, let json, let expected):
            return PipelinedStatement(name: StoreSQL.update.name, sql: StoreSQL.update.sql,
                                      params: key.params + [String(decoding: json, as: UTF8.self), String(expected)])
        case .delete(let key, let expected):
            return PipelinedStatement(name: StoreSQL.delete.name, sql: StoreSQL.delete.sql,
                                      params: key.params + [expected.map { String($0) }])
        }
    }

    private static func outcome(of operation: Operation, _ r: QueryResult) -> Result<StoredObject, StoreError> {
        switch operation {
        case .create(let key, let uid, _):
            guard let rv = r.int64(0, 0), let body = r.json(0, 1) else { return .failure(.alreadyExists(key)) }
            return .success(StoredObject(key: key, uid: uid, resourceVersion: rv, json: body))
        case .update(let key, _, _), .delete(let key, _):
            // One row: (rv before, new rv, uid, stored body).
            guard let before = r.int64(0, 0) else { return .failure(.notFound(key)) }
            guard let rv = r.int64(0, 1), let uid = r.string(0, 2), let body = r.json(0, 3) else {
                return .failure(.conflict(key, current: before))
            }
            return .success(StoredObject(key: key, uid: uid, resourceVersion: rv, json: body))
        }
    }
}

extension ObjectKey {
    /// The key as the first three statement parameters.
    var params: [String?] { [resource, namespace, name] }
}
