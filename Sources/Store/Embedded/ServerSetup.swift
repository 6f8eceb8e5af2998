import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The file-system and process-level steps of starting an `EmbeddedPostgres`: finding the
/// binaries, choosing the user, preparing directories, running `initdb`, building the server command.
struct ServerSetup {
    /// The unprivileged account PostgreSQL runs as when this process is root.
    struct Account { var name: String; var uid: uid_t; var gid: gid_t }

    let options: EmbeddedPostgres.Options
    let binDirectory: String
    let account: Account?
    var dataDirectory: String { options.dataDirectory }
    var logPath: String { dataDirectory + "/drover-postgres.log" }
    var hasCluster: Bool { FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") }

    init(options: EmbeddedPostgres.Options) throws(EmbeddedPostgresError) {
        self.options = options
        binDirectory = try Self.findBinDirectory()
        account = geteuid() == 0 ? try Self.unprivilegedAccount() : nil
    }

    /// Creates the data directory (mode 0700, owned by the server's account) and checks that
    /// account can reach it.
    func prepareDataDirectory() throws(EmbeddedPostgresError) {
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw EmbeddedPostgresError("could not create the data directory \(dataDirectory): \(error.localizedDescription)")
        }
        chmod(dataDirectory, 0o700)
        if let account {
            guard chown(dataDirectory, account.uid, account.gid) == 0 else {
                throw EmbeddedPostgresError("could not hand \(dataDirectory) to user \(account.name): \(String(cString: strerror(errno)))")
            }
            try checkReachable(dataDirectory, by: account)
        }
    }

    /// Handles a `postmaster.pid` left behind: a dead or foreign pid is just a stale file
    /// (removed); an orphaned server of this directory (its parent died) is shut down; a server
    /// with a live parent means the directory is in use.
    func clearStaleServer() throws(EmbeddedPostgresError) {
        let pidFile = dataDirectory + "/postmaster.pid"
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return }
        guard let line = text.split(separator: "\n").first, let pid = pid_t(line.trimmingCharacters(in: .whitespaces)),
              pid > 0, ProcessInfo.isLivePostgres(pid) else {
            unlink(pidFile)
            return
        }
        // A server whose owner just died is already shutting down (parent-death signal).
        for _ in 0..<500 where ProcessInfo.isLivePostgres(pid) { usleep(10_000) }
        if !ProcessInfo.isLivePostgres(pid) { return }
        guard ProcessInfo.parentPid(of: pid) == 1 else {
            throw EmbeddedPostgresError("the data directory \(dataDirectory) is in use by PostgreSQL (pid \(pid))")
        }
        for signal in [SIGINT, SIGKILL] {
            kill(pid, signal)
            for _ in 0..<1000 where ProcessInfo.isLivePostgres(pid) { usleep(10_000) }
            if !ProcessInfo.isLivePostgres(pid) { return }
        }
        throw EmbeddedPostgresError("an orphaned PostgreSQL (pid \(pid)) for \(dataDirectory) does not stop")
    }

    /// Creates the cluster: trust authentication (only reachable through the private socket), UTF-8,
    /// C locale (byte-order sorting, like the store's keys).
    func initdb() throws(EmbeddedPostgresError) {
        var argv = [binDirectory + "/initdb", "-D", dataDirectory, "-U", options.superuser, "-A", "trust",
                    "-E", "UTF8", "--locale=C", "--no-instructions"]
        if !options.fsync { argv.append("--no-sync") }
        let (status, output) = try ChildProcess.output(asAccount(argv))
        guard status == 0 else {
            throw EmbeddedPostgresError("initdb failed with status \(status): \(output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// A fresh directory for the unix socket; short because socket paths are limited to 107 bytes.
    /// Empty ones an hour old are swept first: a killed owner cannot remove its own (the server,
    /// stopped by the parent-death signal, removes its socket files but not the directory).
    func makeSocketDirectory() throws(EmbeddedPostgresError) -> String {
        EmbeddedPostgres.removeStaleDirectories(in: "/tmp", prefix: "drover-pg-", olderThan: 3600) { path in rmdir(path) == 0 }
        var template = Array("/tmp/drover-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw EmbeddedPostgresError("could not create a socket directory in /tmp: \(String(cString: strerror(errno)))")
        }
        let dir = String(cString: made)
        if let account { chown(dir, account.uid, account.gid) }
        return dir
    }

    /// The `postgres` command line: socket only, fsync settings, extra settings.
    func serverArguments(socketDirectory: String) -> [String] {
        var argv = [binDirectory + "/postgres", "-D", dataDirectory, "-k", socketDirectory,
                    "-p", String(EmbeddedPostgres.port), "-c", "listen_addresses="]
        let durability = options.fsync ? "on" : "off"
        var settings = ["fsync": durability, "synchronous_commit": durability, "full_page_writes": durability]
        settings.merge(options.settings) { _, custom in custom }
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) { argv += ["-c", "\(name)=\(value)"] }
        return asAccount(argv, deathSignal: true)
    }

    /// `argv` run through `setpriv` as the unprivileged account when we are root. `setpriv` execs in
    /// place, so the spawned pid is the program's pid.
    private func asAccount(_ argv: [String], deathSignal: Bool = false) -> [String] {
        var prefix = ["/usr/bin/setpriv"]
        if let account {
            prefix += ["--reuid=\(account.uid)", "--regid=\(account.gid)", "--init-groups"]
        }
        if deathSignal { prefix.append("--pdeathsig=INT") }
        guard prefix.count > 1, FileManager.default.isExecutableFile(atPath: prefix[0]) else { return argv }
        return prefix + ["--"] + argv
    }

    /// PostgreSQL refuses to run as root, so as root it runs as `account`, which must be able to
    /// pass through every directory above its data directory. Where one is closed to it (root's
    /// home, typically), search permission — not read — is added for others, and said on stderr:
    /// that lets `drover up` keep its default data directory under ~/.drover.
    private func checkReachable(_ path: String, by account: Account) throws(EmbeddedPostgresError) {
        var dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        while dir != "/" && !dir.isEmpty {
            var st = stat()
            if stat(dir, &st) == 0 {
                let mode = st.st_mode
                let ok = st.st_uid == account.uid ? mode & S_IXUSR != 0
                    : st.st_gid == account.gid ? mode & S_IXGRP != 0 : mode & S_IXOTH != 0
                if !ok {
                    guard st.st_uid == geteuid(), chmod(dir, (mode & 0o7777) | S_IXOTH) == 0 else {
                        throw EmbeddedPostgresError("PostgreSQL runs as user \(account.name), which cannot enter \(dir); "
                            + "choose a data directory outside it (e.g. under /var/lib or /tmp)")
                    }
                    Logger("store").info("let the PostgreSQL user pass through a directory (search permission only) to reach its data directory",
                                         ["user": account.name, "directory": dir])
                }
            }
            dir = URL(fileURLWithPath: dir).deletingLastPathComponent().path
        }
    }

    /// `pg_config --bindir`, else the newest `/usr/lib/postgresql/<version>/bin`.
    private static func findBinDirectory() throws(EmbeddedPostgresError) -> String {
        let fm = FileManager.default
        func usable(_ dir: String) -> Bool {
            fm.isExecutableFile(atPath: dir + "/postgres") && fm.isExecutableFile(atPath: dir + "/initdb")
        }
        if let env = ProcessInfo.processInfo.environment["DROVER_PG_BINDIR"], usable(env) { return env }
        for pgConfig in ["/usr/bin/pg_config", "/usr/local/bin/pg_config"] where fm.isExecutableFile(atPath: pgConfig) {
            if let (status, out) = try? ChildProcess.output([pgConfig, "--bindir"]), status == 0 {
                let dir = out.trimmingCharacters(in: .whitespacesAndNewlines)
                if usable(dir) { return dir }
            }
        }
        let versions = (try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let dir = "/usr/lib/postgresql/\(version)/bin"
            if usable(dir) { return dir }
        }
        throw EmbeddedPostgresError("PostgreSQL server binaries not found (install postgresql, or set DROVER_PG_BINDIR)")
    }

    private static func unprivilegedAccount() throws(EmbeddedPostgresError) -> Account {
        for name in ["postgres", "nobody"] {
            if let pw = getpwnam(name) { return Account(name: name, uid: pw.pointee.pw_uid, gid: pw.pointee.pw_gid) }
        }
        throw EmbeddedPostgresError("running as root, but neither a postgres nor a nobody user exists to run PostgreSQL")
    }
}

extension ProcessInfo {
    /// True when `pid` is a running (not zombie) process whose program is named `postgres`.
    static func isLivePostgres(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard let state = fields.first, state != "Z", state != "X" else { return false }
        return stat.contains("(postgres)")
    }

    /// The program name of `pid` (its /proc comm, kept while it is a zombie), or nil when gone.
    static func command(of pid: pid_t) -> String? {
        (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .newlines)
    }

    /// The parent pid of `pid` from /proc, or 0 when unknown.
    static func parentPid(of pid: pid_t) -> pid_t {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) ?? 0 : 0
    }
}
