import Foundation
import Postgres
import Store
import Testing
import TestSupport

@Suite struct EmbeddedPostgresTests {
    /// A fresh directory the server's unprivileged user can enter.
    static func makeRoot() throws -> String {
        var template = Array("/tmp/drover-embedded-test-XXXXXX".utf8CString)
        let root = String(cString: try #require(mkdtemp(&template)))
        chmod(root, 0o755)
        return root
    }

    @Test func keepsDataAcrossRestartsAndLeavesNothingRunning() async throws {

        try await offCooperativePool { try keepsDataAcrossRestartsAndLeavesNothingRunningBlocking() }

    }

    func keepsDataAcrossRestartsAndLeavesNothingRunningBlocking() throws {
        let root = try Self.makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let server = EmbeddedPostgres(.init(dataDirectory: root + "/data", fsync: false))
        try server.start()
        let socketDir = try #require(server.socketDirectory)
        #expect(socketDir.utf8.count < 90)
        try Connection(server.conninfo()).exec("CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)")
        server.stop()
        #expect(!server.isRunning)
        #expect(!FileManager.default.fileExists(atPath: socketDir))
        #expect(!FileManager.default.fileExists(atPath: root + "/data/postmaster.pid"))

        try server.start()
        defer { server.stop() }
        #expect(try Connection(server.conninfo()).exec("SELECT n FROM kept").string(0, 0) == "42")
    }

    @Test(.enabled(if: geteuid() == 0, "only root runs PostgreSQL as another user"))
    func asRootADataDirectoryUnderAClosedHomeStillStarts() async throws {
        try await offCooperativePool { try asRootADataDirectoryUnderAClosedHomeStillStartsBlocking() }
    }

    func asRootADataDirectoryUnderAClosedHomeStillStartsBlocking() throws {
        let root = try Self.makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let home = root + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        chmod(home, 0o700)  // like /root
        let server = EmbeddedPostgres(.init(dataDirectory: home + "/.drover/postgres", fsync: false))
        try server.start()
        defer { server.stop() }
        #expect(try Connection(server.conninfo()).exec("SELECT 1").string(0, 0) == "1")
        var st = stat()
        stat(home, &st)
        #expect(st.st_mode & 0o777 == 0o701)  // search only: nothing in it becomes readable
    }

    @Test func aStalePidFileDoesNotPreventStarting() async throws {

        try await offCooperativePool { try aStalePidFileDoesNotPreventStartingBlocking() }

    }

    func aStalePidFileDoesNotPreventStartingBlocking() throws {
        let root = try Self.makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let server = EmbeddedPostgres(.init(dataDirectory: root + "/data", fsync: false))
        try server.start()
        server.stop()
        // Pretend the previous owner died: a postmaster.pid naming a pid that is not PostgreSQL.
        try "\(getpid())\n\(root)/data\n".write(toFile: root + "/data/postmaster.pid", atomically: true, encoding: .utf8)
        try server.start()
        defer { server.stop() }
        #expect(Connection.ping(server.conninfo()))
    }

    @Test func aKilledServerIsRestartedWithItsData() async throws {
        try await offCooperativePool { try aKilledServerIsRestartedBlocking() }
    }

    func aKilledServerIsRestartedBlocking() throws {
        let root = try Self.makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // fsync on, as `drover up` runs it: an acknowledged commit survives the kill.
        let server = EmbeddedPostgres(.init(dataDirectory: root + "/data", fsync: true))
        try server.start()
        defer { server.stop() }
        let connection = try Connection(server.conninfo())
        try connection.exec("CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)")
        let old = try #require(server.serverPID)
        kill(old, SIGKILL)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && !(server.serverPID.map { $0 != old } ?? false && Connection.ping(server.conninfo())) {
            usleep(50_000)
        }
        #expect(server.restarts == 1)
        #expect(try Connection(server.conninfo()).exec("SELECT n FROM kept").string(0, 0) == "7")
        server.stop()
        #expect(!server.isRunning)
        #expect(server.restarts == 1)
    }
}
