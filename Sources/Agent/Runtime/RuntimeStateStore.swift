import Foundation

/// One file per running container under the runtime's state directory, so a restarted agent can
/// find what it started: the pid plus its start time (a pid alone may have been reused), the cgroup
/// and the log settings. Written when a process starts, removed when its exit has been handled.
struct RuntimeStateStore: Sendable {
    struct Record: Codable, Equatable, Sendable {
        var id: String
        var pid: Int32
        /// From /proc/<pid>/stat (clock ticks since boot).
        var startTime: UInt64
        var cgroup: ContainerCgroup?
        var logPath: String
        var logMaxBytes: Int64
    }

    let directory: String

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func path(for id: String) -> String { directory + "/" + ContainerCgroup.name(for: id) + ".json" }

    /// Writes the record atomically (temporary file + rename).
    func save(_ record: Record) {
        guard let data = try? JSONEncoder().encode(record) else { return }
        try? data.write(to: URL(fileURLWithPath: path(for: record.id)), options: .atomic)
    }

    func remove(id: String) {
        unlink(path(for: id))
    }

    /// Every record; unreadable files are skipped.
    func all() -> [Record] {
        SmallFile.list(directory).filter { $0.hasSuffix(".json") }.compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
            return try? JSONDecoder().decode(Record.self, from: data)
        }
    }

    /// Whether the record's process is still the one that was started (same pid, same start time)
    /// and has not exited.
    static func isAlive(_ record: Record) -> Bool {
        guard let stat = ProcStat.read(pid: record.pid) else { return false }
        return stat.startTime == record.startTime && stat.state != "Z" && stat.state != "X"
    }
}
