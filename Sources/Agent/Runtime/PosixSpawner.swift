import CSupport
import Foundation

/// Starts one program with posix_spawn: its own process group, default signal dispositions and an
/// empty signal mask (so it never inherits the agent's ignored signals), an exact environment, a
/// working directory, stdin from /dev/null, stdout and stderr on one given descriptor, and no other
/// inherited descriptors. Failures that happen before the program runs come back as `StartFailure`
/// in the kubelet's wording.
enum PosixSpawner {
    /// The PATH used when the container's environment has none (the kubelet's default).
    static let defaultSearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Finds `name` the way exec would: as given when it contains a slash, else on `searchPath`.
    /// Relative paths are checked against `workingDirectory` (the child resolves them from there)
    /// and returned relative.
    static func resolveExecutable(_ name: String, searchPath: String?, workingDirectory: String) throws(StartFailure) -> String {
        func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : workingDirectory + "/" + path }
        guard !name.isEmpty else { throw StartFailure("exec: no command") }
        if name.contains("/") {
            var info = stat()
            if stat(absolute(name), &info) != 0 { throw StartFailure("exec: \"\(name)\": stat \(name): \(errnoText(errno))") }
            if (info.st_mode & S_IFMT) == S_IFDIR { throw StartFailure("exec: \"\(name)\": is a directory") }
            if access(absolute(name), X_OK) != 0 { throw StartFailure("exec: \"\(name)\": permission denied") }
            return name
        }
        for directory in (searchPath ?? defaultSearchPath).split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            var info = stat()
            if stat(absolute(candidate), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, access(absolute(candidate), X_OK) == 0 {
                return candidate
            }
        }
        throw StartFailure("exec: \"\(name)\": executable file not found in $PATH")
    }

    /// Fails unless `path` is an existing directory.
    static func checkWorkingDirectory(_ path: String) throws(StartFailure) {
        var info = stat()
        if stat(path, &info) != 0 { throw StartFailure("chdir \(path): \(errnoText(errno))") }
        if (info.st_mode & S_IFMT) != S_IFDIR { throw StartFailure("chdir \(path): not a directory") }
    }

    /// Opens (creating it and its directory if needed) the log file in append mode. The descriptor is
    /// close-on-exec in the agent; the spawn dups it onto 1 and 2, which clears the flag there.
    static func openLog(_ path: String) throws(StartFailure) -> Int32 {
        var fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0 && errno == ENOENT {
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        }
        if fd < 0 { throw StartFailure("open log file \(path): \(errnoText(errno))") }
        return fd
    }

    /// Spawns `path` with `argv` (argv[0] as given). `outputFD` becomes stdout and stderr.
    static func spawn(path: String, argv: [String], environment: [String: String], workingDirectory: String,
                      outputFD: Int32) throws(StartFailure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 2)
        drover_spawn_addclosefrom(&actions, 3)
        drover_spawn_addchdir(&actions, workingDirectory)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let environmentLines = environment.keys.sorted().map { "\($0)=\(environment[$0] ?? "")" }
        var pid: pid_t = 0
        let result = CStrings.with(argv) { cArgv in
            CStrings.with(environmentLines) { cEnvironment in
                posix_spawn(&pid, path, &actions, &attributes, cArgv, cEnvironment)
            }
        }
        if result != 0 {
            // The program and working directory were checked; what is left is e.g. a missing
            // script interpreter (ENOENT), a bad binary (ENOEXEC) or a resource shortage (EAGAIN).
            throw StartFailure("exec: \"\(argv.first ?? path)\": \(errnoText(result))")
        }
        return pid
    }

    /// Go-style error text: `no such file or directory`, `permission denied`.
    static func errnoText(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
