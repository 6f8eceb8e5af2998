import CSupport
import Foundation

/// Starts a container whose volumes are bind-mounted at their mount paths: the same process as
/// `PosixSpawner.spawn` (own process group, default signal dispositions, empty signal mask, stdin
/// /dev/null, output on one descriptor, nothing else inherited, exact environment), but in a private
/// mount namespace of its own in which each volume directory is bind-mounted at its mountPath. The
/// child is the C routine `drover_spawn_mounted` (CSupport shim.h), because posix_spawn cannot run
/// unshare or mount in the child. Only containers with mounts take this path.
///
/// The program is looked up in the child, after the mounts and the chdir, so a program or working
/// directory inside a volume (an init container copied it there) is found; failures are
/// `StartFailure`s worded like `PosixSpawner`'s.
enum MountingSpawner {
    /// Spawns `program` (found on the environment's PATH unless it contains a slash) with `argv`.
    static func spawn(program: String, argv: [String], environment: [String: String], workingDirectory: String,
                      outputFD: Int32, mounts: [VolumeMount]) throws(StartFailure) -> pid_t {
        guard !program.isEmpty else { throw StartFailure("exec: no command") }
        let ordered = ordered(mounts)
        let (pid, failure) = try launch(candidates: candidates(for: program, searchPath: environment["PATH"]), argv: argv,
                                        environment: environment, workingDirectory: workingDirectory,
                                        outputFD: outputFD, mounts: ordered)
        if pid < 0 {
            throw StartFailure(message(for: failure, program: program, workingDirectory: workingDirectory, mounts: ordered))
        }
        return pid
    }

    /// Sets up `mounts` in a throwaway child that exits right after; nil when that worked, else why not.
    static func trial(_ mounts: [VolumeMount]) -> String? {
        do throws(StartFailure) {
            let (pid, failure) = try launch(candidates: nil, argv: [], environment: [:], workingDirectory: "/",
                                            outputFD: 1, mounts: mounts)
            if pid < 0 { return message(for: failure, program: "", workingDirectory: "/", mounts: mounts) }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return drover_wifexited(status) != 0 && drover_wexitstatus(status) == 0 ? nil : "the trial process ended with status \(status)"
        } catch {
            return error.message
        }
    }

    /// Runs `drover_spawn_mounted` with every string and array prepared here; `candidates` nil: trial only.
    private static func launch(candidates: [String]?, argv: [String], environment: [String: String], workingDirectory: String,
                               outputFD: Int32, mounts: [VolumeMount]) throws(StartFailure) -> (pid_t, drover_spawn_failure) {
        let stdinFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
        if stdinFD < 0 { throw StartFailure("open /dev/null: \(PosixSpawner.errnoText(errno))") }
        defer { close(stdinFD) }
        let environmentLines = environment.keys.sorted().map { "\($0)=\(environment[$0] ?? "")" }
        var failure = drover_spawn_failure()
        let pid = CStrings.with(candidates ?? []) { cCandidates in
            CStrings.with(argv) { cArgv in
                CStrings.with(environmentLines) { cEnvironment in
                    BindMounts.with(mounts) { cMounts in
                        workingDirectory.withCString { directory in
                            var request = drover_spawn_request(
                                candidates: candidates == nil ? nil : UnsafePointer(OpaquePointer(cCandidates)),
                                candidate_count: Int32(candidates?.count ?? 0), argv: cArgv, envp: cEnvironment,
                                working_directory: directory, stdin_fd: stdinFD, output_fd: outputFD,
                                mounts: cMounts, mount_count: Int32(mounts.count))
                            return drover_spawn_mounted(&request, &failure)
                        }
                    }
                }
            }
        }
        return (pid, failure)
    }

    /// Parents before children, so a mountPath inside another volume's mountPath lands in that volume.
    static func ordered(_ mounts: [VolumeMount]) -> [VolumeMount] {
        mounts.enumerated().sorted { a, b in
            let (depthA, depthB) = (depth(a.element.mountPath), depth(b.element.mountPath))
            return depthA != depthB ? depthA < depthB : a.offset < b.offset
        }.map(\.element)
    }

    private static func depth(_ path: String) -> Int { path.split(separator: "/").count }

    /// What execve tries, in order: `program` itself when it has a slash, else each PATH entry.
    static func candidates(for program: String, searchPath: String?) -> [String] {
        if program.contains("/") { return [program] }
        return (searchPath ?? PosixSpawner.defaultSearchPath).split(separator: ":", omittingEmptySubsequences: false)
            .map { ($0.isEmpty ? "." : String($0)) + "/" + program }
    }

    /// The start failure for what the child (or the spawn itself) reported, in the kubelet's wording.
    static func message(for failure: drover_spawn_failure, program: String, workingDirectory: String,
                        mounts: [VolumeMount]) -> String {
        let error = PosixSpawner.errnoText(failure.error)
        let mount = mounts.indices.contains(Int(failure.index)) ? mounts[Int(failure.index)] : nil
        let target = mount.map { "mount volume \"\($0.volume)\" at \($0.mountPath)" } ?? "mount volume"
        switch Int(failure.step) {
        case Int(DROVER_STEP_SETPGID): return "setpgid: \(error)"
        case Int(DROVER_STEP_UNSHARE): return "create a private mount namespace for the volume mounts: unshare: \(error)"
        case Int(DROVER_STEP_PRIVATE): return "make the container's mounts private: \(error)"
        case Int(DROVER_STEP_MKDIR): return "\(target): create mount point: \(error)"
        case Int(DROVER_STEP_BIND): return "\(target): bind \(mount?.source ?? ""): \(error)"
        case Int(DROVER_STEP_READ_ONLY): return "\(target): remount read-only: \(error)"
        case Int(DROVER_STEP_CHDIR): return "chdir \(workingDirectory): \(error)"
        case Int(DROVER_STEP_STDIO): return "set up stdin, stdout and stderr: \(error)"
        case Int(DROVER_STEP_EXEC):
            if failure.error == ENOENT || failure.error == ENOTDIR {
                return program.contains("/") ? "exec: \"\(program)\": stat \(program): \(error)"
                    : "exec: \"\(program)\": executable file not found in $PATH"
            }
            return "exec: \"\(program)\": \(error)"
        default: return "start process: \(error)"
        }
    }
}

/// NULL-terminated arrays of C strings that live for one call.
enum CStrings {
    static func with<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}

/// The C array of `drover_bind_mount`s, with writable copies of the targets (the child edits them in place).
private enum BindMounts {
    static func with<R>(_ mounts: [VolumeMount], _ body: (UnsafePointer<drover_bind_mount>?) -> R) -> R {
        let sources = mounts.map { strdup($0.source) }
        let targets = mounts.map { strdup($0.mountPath) }
        defer { (sources + targets).forEach { free($0) } }
        let array = mounts.indices.map { drover_bind_mount(source: sources[$0], target: targets[$0], read_only: mounts[$0].readOnly ? 1 : 0) }
        return array.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
