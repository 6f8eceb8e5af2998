import Foundation
import Postgres

/// A migration that could not be read or applied.
public struct MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Applies forward-only SQL migrations (`NNNN_name.sql` files in one directory) in order, each in
/// its own transaction, and records them in `schema_migrations`. Runs under a PostgreSQL advisory
/// lock, so servers starting at the same time apply each file exactly once; a database that is
/// up to date is left untouched.
public struct Migrator: Sendable {
    /// The directory holding the `.sql` files.
    public let directory: String

    /// Advisory lock key shared by every Drover migrator ("drover" + 1).
    static let lockKey: Int64 = 0x64_72_6f_76_65_72_01

    public init(directory: String) { self.directory = directory }

    /// The migration files' versions (file names without `.sql`), in the order they apply.
    public func versions() throws(MigrationError) -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw MigrationError("cannot read the migrations directory \(directory): \(error.localizedDescription)")
        }
        let versions = names.filter { name in
            name.hasSuffix(".sql") && name.first.map(\.isNumber) == true
        }.map { String($0.dropLast(4)) }
        return versions.sorted { a, b in
            let (na, nb) = (Int(a.prefix(while: \.isNumber)) ?? 0, Int(b.prefix(while: \.isNumber)) ?? 0)
            return na != nb ? na < nb : a < b
        }
    }

    /// Opens a connection to `conninfo`, migrates, and closes it. Returns the versions applied now.
    @discardableResult
    public func migrate(conninfo: String) throws(MigrationError) -> [String] {
        let connection: Connection
        do { connection = try Connection(conninfo) } catch {
            throw MigrationError("cannot connect to apply migrations: \(error.description)")
        }
        defer { connection.close() }
        return try migrate(connection)
    }

    /// Applies every migration not yet recorded, in order. Returns the versions applied now.
    @discardableResult
    public func migrate(_ connection: Connection) throws(MigrationError) -> [String] {
        let all = try versions()
        try run(connection, "SELECT pg_advisory_lock(\(Self.lockKey))")
        defer { _ = try? connection.exec("SELECT pg_advisory_unlock(\(Self.lockKey))") }
        try run(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version text PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now())
            """)
        let done: Set<String>
        do {
            done = Set(try connection.exec("SELECT version FROM schema_migrations").rows.compactMap { $0.first ?? nil })
        } catch { throw MigrationError("cannot read schema_migrations: \(error.description)") }
        var applied: [String] = []
        for version in all where !done.contains(version) {
            try apply(version, on: connection)
            applied.append(version)
        }
        return applied
    }

    private func apply(_ version: String, on connection: Connection) throws(MigrationError) {
        let path = directory + "/" + version + ".sql"
        guard let sql = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw MigrationError("cannot read migration \(path)")
        }
        do {
            try connection.exec("BEGIN")
            try connection.exec(sql)
            try connection.exec("INSERT INTO schema_migrations (version) VALUES ($1)", [version])
            try connection.exec("COMMIT")
        } catch {
            _ = try? connection.exec("ROLLBACK")
            throw MigrationError("migration \(version) failed: \(error.description)")
        }
    }

    private func run(_ connection: Connection, _ sql: String) throws(MigrationError) {
        do { try connection.exec(sql) } catch { throw MigrationError("migration bookkeeping failed: \(error.description)") }
    }
}
