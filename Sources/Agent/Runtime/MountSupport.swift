import Foundation

/// Whether this agent can bind-mount volumes at their mountPath, decided once when the runtime
/// starts. That needs root (euid 0) with CAP_SYS_ADMIN, and a kernel and seccomp profile that let
/// it create a mount namespace and bind-mount in it; the capability bits alone do not show the last
/// part (a container runtime's seccomp profile refuses unshare and mount to a root with
/// CAP_SYS_ADMIN), so after the uid and capability checks, which give the clearest messages, a
/// throwaway child does exactly what a container start does: unshare, make / private, bind a
/// directory onto itself, remount it read-only.
enum MountSupport {
    /// CAP_SYS_ADMIN's bit in the capability sets of /proc/self/status.
    static let capSysAdmin: UInt64 = 1 << 21

    /// Why volumes cannot be mounted, or nil when they can. `probe` runs only when the uid and the
    /// capabilities allow mounting; it returns what failed.
    static func problem(euid: uid_t, effectiveCapabilities: UInt64?, probe: () -> String?) -> String? {
        let consequence = "; bind mounts need root with CAP_SYS_ADMIN"
        if euid != 0 { return "the agent runs as uid \(euid), not as root (uid 0)" + consequence }
        guard let capabilities = effectiveCapabilities else {
            return "the agent could not read its capabilities (CapEff in /proc/self/status)" + consequence
        }
        if capabilities & capSysAdmin == 0 {
            return "the agent runs as root without CAP_SYS_ADMIN (effective capabilities 0x"
                + String(capabilities, radix: 16) + ")" + consequence
        }
        if let failure = probe() {
            return "the agent runs as root with CAP_SYS_ADMIN, but a trial bind mount in a private mount namespace failed ("
                + failure + "; a seccomp profile or the container the agent runs in may forbid it)"
        }
        return nil
    }

    /// The real check: this process's euid and CapEff, and a trial mount of `directory` onto itself.
    static func detect(trialDirectory directory: String) -> String? {
        problem(euid: geteuid(), effectiveCapabilities: effectiveCapabilities(status: SmallFile.read("/proc/self/status"))) {
            MountingSpawner.trial([VolumeMount(volume: "trial", source: directory, mountPath: directory, readOnly: true)])
        }
    }

    /// The `CapEff:` line of a /proc/<pid>/status text.
    static func effectiveCapabilities(status: String?) -> UInt64? {
        for line in (status ?? "").split(separator: "\n") where line.hasPrefix("CapEff:") {
            return UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        }
        return nil
    }
}
