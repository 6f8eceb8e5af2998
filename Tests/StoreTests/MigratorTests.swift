import Foundation
import Postgres
import Store
import Testing
import TestSupport

@Suite struct MigratorTests {
    let migrator = Migrator(directory: TemporaryPostgres.migrationsDirectory)

    @Test func appliesPendingMigrationsOnceAndIsANoOpWhenUpToDate() throws {
        let conninfo = try TemporaryPostgres.createEmptyDatabase()
        let all = try migrator.versions()
        #expect(all.first == "0001_init")
        #expect(try migrator.migrate(conninfo: conninfo) == all)
        #expect(try migrator.migrate(conninfo: conninfo).isEmpty)
        let recorded = try Connection(conninfo).exec("SELECT version FROM schema_migrations ORDER BY version").rows
        #expect(recorded.map { $0[0] } == all.map { $0 })
    }

    @Test func migratorsStartingTogetherApplyEachFileExactlyOnce() throws {
        let conninfo = try TemporaryPostgres.createEmptyDatabase()
        let applied = Atomic<[[String]]>([])
        let errors = Atomic<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let versions = try migrator.migrate(conninfo: conninfo)
                applied.mutate { $0.append(versions) }
            } catch { errors.mutate { $0.append("\(error)") } }
        }
        #expect(errors.value.isEmpty)
        #expect(applied.value.flatMap { $0 }.sorted() == (try migrator.versions()))
    }

    @Test func laterFilesApplyInNumericOrderAndAFailingFileIsNotRecorded() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "CREATE TABLE t (n int);".write(toFile: dir + "/0002_t.sql", atomically: true, encoding: .utf8)
        try "CREATE TABLE s (n int);".write(toFile: dir + "/0010_s.sql", atomically: true, encoding: .utf8)
        try "INSERT INTO t VALUES (1);".write(toFile: dir + "/0003_fill.sql", atomically: true, encoding: .utf8)
        try "not sql".write(toFile: dir + "/README.txt", atomically: true, encoding: .utf8)
        let conninfo = try TemporaryPostgres.createEmptyDatabase()
        let local = Migrator(directory: dir)
        #expect(try local.migrate(conninfo: conninfo) == ["0002_t", "0003_fill", "0010_s"])
        try "CREATE TABLE u (n int); SELECT broken FROM nowhere;".write(toFile: dir + "/0011_bad.sql", atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.self) { try local.migrate(conninfo: conninfo) }
        let c = try Connection(conninfo)
        #expect(try c.exec("SELECT count(*) FROM schema_migrations").int64(0, 0) == 3)
        #expect(try c.exec("SELECT to_regclass('u') IS NULL").bool(0, 0) == true)
    }
}
