import Foundation
import Postgres
import Store
#if canImport(Glibc)
import Glibc
#endif

/// A primary and a streaming standby (a `pg_basebackup -R` of it), both embedded, with synchronous
/// replication — a PostgreSQL that can fail over, for tests of what Drover does when it does.
/// `conninfo` names both nodes with `target_session_attrs=read-write`, as a Drover in front of a
/// highly available PostgreSQL is configured.
public final class ReplicatedPostgres: @unchecked Sendable {
    public let primary: EmbeddedPostgres
    public let standby: EmbeddedPostgres
    private let root: String
    public static let database = "drover"

    public init() throws {
        var template = Array("/tmp/drover-test-repl-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw EmbeddedPostgresError("cannot create a temporary directory") }
        root = String(cString: made)
        chmod(root, 0o755)
        primary = EmbeddedPostgres(.init(dataDirectory: root + "/primary", fsync: false))
        try primary.start()
        try Connection(primary.conninfo()).exec("CREATE DATABASE \(Self.database)")
        try Self.run(Self.binary("pg_basebackup"), ["-d", primary.conninfo(), "-D", root + "/standby", "-R", "-X", "stream",
                                                    "-c", "fast"])
        // Run as root, pg_basebackup wrote root's files: hand them to the account the server runs as.
        var owner = stat()
        if stat(root + "/primary", &owner) == 0, owner.st_uid != geteuid() {
            try Self.run("/bin/chown", ["-R", "\(owner.st_uid):\(owner.st_gid)", root + "/standby"])
        }
        standby = EmbeddedPostgres(.init(dataDirectory: root + "/standby", fsync: false))
        try standby.start()
        let admin = try Connection(primary.conninfo())
        _ = try admin.exec("ALTER SYSTEM SET synchronous_standby_names = '*'")
        _ = try admin.exec("SELECT pg_reload_conf()")
    }

    /// Both nodes; libpq connects to whichever accepts writes.
    public var conninfo: String {
        "host=\(primary.socketDirectory ?? ""),\(standby.socketDirectory ?? "") port=\(EmbeddedPostgres.port),\(EmbeddedPostgres.port) "
            + "user=drover dbname=\(Self.database) target_session_attrs=read-write"
    }

    /// Stops the primary and promotes the standby (what a failover manager does once the primary is lost).
    public func failOver() throws {
        primary.stop()
        _ = try Connection(standby.conninfo()).exec("SELECT pg_promote()")
    }

    /// True once the standby runs as a primary.
    public var standbyIsPrimary: Bool {
        (try? Connection(standby.conninfo()).exec("SELECT pg_is_in_recovery()").string(0, 0)) == "f"
    }

    public func stop() {
        primary.stop()
        standby.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// `pg_config --bindir`'s program, else the newest `/usr/lib/postgresql/<version>/bin` one.
    static func binary(_ name: String) -> String {
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).sorted()
        return versions.last.map { "/usr/lib/postgresql/\($0)/bin/\(name)" } ?? name
    }

    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw EmbeddedPostgresError("\(executable) failed: \(String(decoding: output, as: UTF8.self))")
        }
    }
}
