import Foundation

/// Where the agent keeps per-pod files under its data directory:
///
///     <data>/pods/<uid>/<container>.<restart>.log    one log per container instance
///     <data>/pods/<uid>/_scratch                     the pod's default working directory
///     <data>/pods/<uid>/_volumes/<volume>            emptyDir volumes
///     <data>/pods/<uid>/_mountpoints                 host directories created as mount points
///     <data>/runtime                                 the runtime's own state (adoption records)
///
/// Container names are DNS labels (no `.` or `_`), so they never collide with the `_`-prefixed
/// names. Logs sit in the pod's directory rather than in one per container: every directory and
/// file is an inode allocation, a large part of a pod's start cost at hundreds of pods per second
/// (on ext4 it grows with the number of recently deleted inodes).
public struct AgentPaths: Sendable, Equatable {
    public var dataDirectory: String

    public init(dataDirectory: String) { self.dataDirectory = dataDirectory }

    public var runtimeState: String { dataDirectory + "/runtime" }

    public func pod(_ uid: String) -> String { "\(dataDirectory)/pods/\(uid)" }

    public func scratch(_ uid: String) -> String { pod(uid) + "/_scratch" }

    public func volume(_ uid: String, _ volume: String) -> String { "\(pod(uid))/_volumes/\(volume)" }

    /// The record of the mount point directories the agent created on the host for the pod (`MountPoints`).
    public func mountPoints(_ uid: String) -> String { pod(uid) + "/_mountpoints" }

    public func log(_ uid: String, container: String, restart: Int) -> String { "\(pod(uid))/\(container).\(restart).log" }

    /// Creates a directory and its parents; false if that failed. Tries one mkdir first: pod
    /// directories are made for every pod, and FileManager first stats each missing level.
    @discardableResult
    static func makeDirectory(_ path: String) -> Bool {
        if mkdir(path, 0o777) == 0 { return true }
        if errno == EEXIST {
            var info = stat()
            return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        }
        return (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)) != nil
    }
}
