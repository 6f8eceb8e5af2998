import Foundation

/// The host directories the agent creates as mount points. A container's process shares the host's
/// root filesystem (there is no container root filesystem to put them in), so a mountPath that does
/// not exist on the host has to be created there before it can be bind-mounted over in the
/// container's mount namespace. Each pod has a record of the directories created for it (one path a
/// line, in creation order) so that they are removed again when the pod is cleaned up.
enum MountPoints {
    /// Creates the source of each mount (a subPath may be missing) and every missing directory of
    /// its mountPath; the host directories created here are appended to `record`.
    static func create(for mounts: [VolumeMount], record: String) {
        var created: [String] = []
        for mount in mounts {
            AgentPaths.makeDirectory(mount.source)
            var path = ""
            for component in mount.mountPath.split(separator: "/") {
                path += "/" + component
                // Failures are left to the container start, whose mount step reports them exactly.
                if mkdir(path, 0o755) == 0 { created.append(path) }
            }
        }
        guard !created.isEmpty else { return }
        let fd = open(record, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let text = created.map { $0 + "\n" }.joined()
        _ = text.withCString { write(fd, $0, strlen($0)) }
    }

    /// Removes the recorded directories, deepest (last created) first, each only while it is empty:
    /// anything else put there since (by a container or anyone on the host) keeps it.
    static func removeRecorded(_ record: String) {
        guard let text = try? String(contentsOfFile: record, encoding: .utf8) else { return }
        for path in text.split(separator: "\n").reversed() { rmdir(String(path)) }
        unlink(record)
    }
}
