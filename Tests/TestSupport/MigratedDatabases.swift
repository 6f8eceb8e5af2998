import Foundation
import Postgres
import Store

/// Keeps a few migrated databases ready on the shared test cluster: a thread copies them from a
/// migrated template while tests run, and `take()` hands one out (waiting only when none is ready).
final class MigratedDatabases: @unchecked Sendable {
    private let server: EmbeddedPostgres
    private let condition = NSCondition()
    private var ready: [String] = []
    private var failure: (any Error)?
    /// Databases kept ready ahead of demand.
    private let depth = 8

    /// Makes the template, then keeps copying it on two threads: WAL_LOG copies need no
    /// checkpoint, so two run side by side (FILE_COPY ones queue behind each other's).
    init(server: EmbeddedPostgres, migrationsDirectory: String) {
        self.server = server
        let thread = Thread { [self] in
            do {
                let name = TemporaryPostgres.nextDatabaseName()
                try Connection(server.conninfo()).exec("CREATE DATABASE \(name) STRATEGY = WAL_LOG")
                try Migrator(directory: migrationsDirectory).migrate(conninfo: server.conninfo(database: name))
                let second = Thread { [self] in fill(from: name) }
                second.name = "test-databases"
                second.start()
                fill(from: name)
            } catch {
                fail(error)
            }
        }
        thread.name = "test-databases"
        thread.start()
    }

    /// A migrated database nobody else uses; its conninfo.
    func take() throws -> String {
        try condition.withLock { () throws -> String in
            while ready.isEmpty && failure == nil { condition.wait() }
            if let failure { throw failure }
            let name = ready.removeFirst()
            condition.broadcast()
            return server.conninfo(database: name)
        }
    }

    private func fill(from template: String) {
        do {
            let admin = try Connection(server.conninfo())
            while true {
                condition.withLock { while ready.count >= depth { condition.wait() } }
                let name = TemporaryPostgres.nextDatabaseName()
                try admin.exec("CREATE DATABASE \(name) TEMPLATE \(template) STRATEGY = WAL_LOG")
                condition.withLock {
                    ready.append(name)
                    condition.broadcast()
                }
            }
        } catch {
            fail(error)
        }
    }

    private func fail(_ error: any Error) {
        condition.withLock {
            failure = error
            condition.broadcast()
        }
    }
}
