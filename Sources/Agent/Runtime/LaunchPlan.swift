import Foundation

/// What posix_spawn actually runs for a container. Without cgroups or limits that is the program
/// itself; otherwise a `/bin/sh -c` wrapper that first moves itself into the container's cgroups
/// (race-free: nothing of the program runs outside them) and/or sets the fallback rlimits, then
/// `exec`s the program, so the program keeps the pid, process group and signals.
struct LaunchPlan: Equatable {
    var path: String
    var argv: [String]

    /// The shell used for the wrapper.
    static let shell = "/bin/sh"

    init(executable: String, argv: [String], environment: [String: String], cgroupProcsFiles: [String],
         rlimits: FallbackLimits) {
        var steps = cgroupProcsFiles.map { "echo $$ > \(Self.quoted($0))" }
        if let kibibytes = rlimits.addressSpaceKiB { steps.append("ulimit -v \(kibibytes)") }
        if let processes = rlimits.processes { steps.append("ulimit -p \(processes)") }
        guard !steps.isEmpty else {
            path = executable
            self.argv = argv
            return
        }
        // The shell exports PWD on its own; put the environment back to exactly what was asked for.
        steps.append(environment["PWD"].map { "export PWD=\(Self.quoted($0))" } ?? "unset PWD")
        steps.append("exec \"$@\"")
        path = Self.shell
        self.argv = ["sh", "-c", steps.joined(separator: " && "), "sh", executable] + argv.dropFirst()
    }

    /// Single-quotes a word for sh.
    static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Limits enforced with rlimits where cgroups cannot be used. RLIMIT_AS bounds address space (not
/// resident memory, so a generous limit is needed for runtimes that reserve much virtual memory);
/// RLIMIT_NPROC counts every process of the user, not the pod's, and does not apply to root.
/// CPU limits have no rlimit equivalent: RLIMIT_CPU caps total CPU seconds, not a rate.
struct FallbackLimits: Equatable {
    var addressSpaceKiB: Int64?
    var processes: Int64?

    static let none = FallbackLimits()

    init(addressSpaceKiB: Int64? = nil, processes: Int64? = nil) {
        self.addressSpaceKiB = addressSpaceKiB
        self.processes = processes
    }

    init(spec: ProcessSpec) {
        addressSpaceKiB = spec.memoryLimit.map { max(1, $0 / 1024) }
        processes = spec.pidsLimit.map { max(1, $0) }
    }
}
