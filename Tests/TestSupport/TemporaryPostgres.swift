import Foundation
import Postgres
import Store
#if canImport(Glibc)
import Glibc
#endif

/// Real PostgreSQL for tests: one embedded cluster per test process (fsync off, started on first
/// use, stopped and deleted at exit) and a fresh, migrated database per test.
public enum TemporaryPostgres {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var shared: EmbeddedPostgres?
    nonisolated(unsafe) private static var counter = 0

    /// The repository's `migrations/` directory, found relative to this source file.
    public static var migrationsDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("migrations").path
    }

    /// The shared cluster, started on first call.
    public static func server() throws -> EmbeddedPostgres {
        lock.lock()
        defer { lock.unlock() }
        if let shared { return shared }
        sweepAbandonedClusters()
        var template = Array("/tmp/drover-test-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw EmbeddedPostgresError("cannot create a temporary data directory") }
        let root = String(cString: made)
        chmod(root, 0o755)
        let server = EmbeddedPostgres(.init(dataDirectory: root + "/data", fsync: false,
                                            settings: ["max_connections": "400"]))
        try server.start()
        shared = server
        dataRoot = root
        atexit {
            TemporaryPostgres.shared?.stop()
            if let root = TemporaryPostgres.dataRoot { try? FileManager.default.removeItem(atPath: root) }
        }
        return server
    }
    nonisolated(unsafe) private static var dataRoot: String?

    /// Deletes clusters of test processes that were killed (no exit hook ran): an hour old and
    /// with no live server.
    private static func sweepAbandonedClusters() {
        EmbeddedPostgres.removeStaleDirectories(in: "/tmp", prefix: "drover-test-pg-", olderThan: 3600) { root in
            if let pid = try? String(contentsOfFile: root + "/data/postmaster.pid", encoding: .utf8)
                .split(separator: "\n").first.flatMap({ pid_t($0) }), kill(pid, 0) == 0 { return false }
            return (try? FileManager.default.removeItem(atPath: root)) != nil
        }
    }

    /// Creates an empty database (no migrations) and returns its conninfo.
    public static func createEmptyDatabase() throws -> String {
        let server = try server()
        let name = nextDatabaseName()
        try Connection(server.conninfo()).exec("CREATE DATABASE \(name) STRATEGY = FILE_COPY")
        return server.conninfo(database: name)
    }

    /// A fresh database with the repository's migrations applied; returns its conninfo. Taken from
    /// `MigratedDatabases`, which copies them from a migrated template on a thread of its own, so
    /// a test rarely waits: CREATE DATABASE takes about 0.2 s here, and dozens of tests doing it
    /// themselves held Swift's cooperative threads for seconds at a time in parallel runs.
    public static func createDatabase() throws -> String {
        let server = try server()
        let pool = lock.withLock { () -> MigratedDatabases in
            if let ready { return ready }
            let made = MigratedDatabases(server: server, migrationsDirectory: migrationsDirectory)
            ready = made
            return made
        }
        return try pool.take()
    }
    nonisolated(unsafe) private static var ready: MigratedDatabases?

    /// A unique database name for this test process.
    static func nextDatabaseName() -> String {
        lock.withLock {
            counter += 1
            return "test_\(getpid())_\(counter)"
        }
    }

    /// A `PostgresStore` on a fresh, migrated database. Call `close()` when done.
    public static func makeStore(readConnections: Int = 4) throws -> PostgresStore {
        try PostgresStore(conninfo: try createDatabase(), readConnections: readConnections)
    }
}
