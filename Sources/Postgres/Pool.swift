import Foundation

/// A fixed-capacity pool of connections to one database. `checkout` blocks while all `capacity`
/// connections are in use; connections are opened lazily and `setup` runs once on each new one.
public final class Pool: @unchecked Sendable {
    /// The conninfo string or URL connections are opened with.
    public let conninfo: String
    /// Most connections the pool opens at once.
    public let capacity: Int
    private let setup: @Sendable (Connection) throws(PostgresError) -> Void
    private let condition = NSCondition()
    private var idle: [Connection] = []
    private var opened = 0
    private var closed = false

    /// A pool of at most `capacity` connections (at least one).
    public init(conninfo: String, capacity: Int,
                setup: @escaping @Sendable (Connection) throws(PostgresError) -> Void = { _ in }) {
        self.conninfo = conninfo
        self.capacity = max(1, capacity)
        self.setup = setup
    }

    deinit { close() }

    /// Connections open (idle or checked out) and checked out right now.
    public var usage: (open: Int, inUse: Int) { condition.withLock { (opened, opened - idle.count) } }

    /// Takes a connection, waiting for one to come back when all are in use. Return it with `checkin`.
    public func checkout() throws(PostgresError) -> Connection {
        condition.lock()
        while true {
            if closed {
                condition.unlock()
                throw PostgresError(message: "the connection pool is closed")
            }
            if let c = idle.popLast() {
                condition.unlock()
                return c
            }
            if opened < capacity { break }
            condition.wait()
        }
        opened += 1
        condition.unlock()
        do {
            let c = try Connection(conninfo)
            try setup(c)
            return c
        } catch {
            release(nil)
            throw error
        }
    }

    /// Returns a connection. A broken one is reset (or dropped if that fails); one left inside a
    /// transaction is rolled back first, so the next user always gets a clean, idle session.
    public func checkin(_ connection: Connection) {
        if connection.isHealthy && !connection.isIdle { _ = try? connection.exec("ROLLBACK") }
        if !connection.isHealthy {
            do { try connection.reset(); try setup(connection) } catch {
                connection.close()
                release(nil)
                return
            }
        }
        release(connection)
    }

    /// Runs `body` with a checked-out connection and returns it afterwards.
    public func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        let c = try checkout()
        defer { checkin(c) }
        return try body(c)
    }

    /// Closes idle connections and makes later checkouts fail; connections still out are closed
    /// when they come back.
    public func close() {
        condition.lock()
        closed = true
        let toClose = idle
        idle.removeAll()
        opened -= toClose.count
        condition.broadcast()
        condition.unlock()
        for c in toClose { c.close() }
    }

    /// Puts `connection` back (or, with nil, gives up its slot) and wakes one waiter.
    private func release(_ connection: Connection?) {
        condition.lock()
        if let connection, !closed {
            idle.append(connection)
        } else {
            opened -= 1
            connection?.close()
        }
        condition.signal()
        condition.unlock()
    }
}
