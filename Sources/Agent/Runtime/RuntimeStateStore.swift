import Foundation
import Model

/// What the runtime started, kept so a restarted agent can find it: an append-only journal
/// (`<state dir>/processes.journal`) of `S <record>` lines when a process starts and `E <id, pid>`
/// lines when its exit has been handled, compacted when mostly history. One file written with
/// O_APPEND instead of a file per process: at hundreds of starts per second, creating and deleting
/// files was the runtime's largest cost (ext4 inode allocation). Nothing is fsynced: the journal
/// only has to survive an agent restart, and after a machine crash there is nothing left to adopt.
///
/// One runtime owns a state directory at a time; the journal is read when the store is opened.
final class RuntimeStateStore: @unchecked Sendable {
    struct Record: Codable, Equatable, Sendable {
        var id: String
        var pid: Int32
        /// From /proc/<pid>/stat (clock ticks since boot); with the pid it names one process.
        var startTime: UInt64
        var cgroup: ContainerCgroup?
        var logPath: String
        var logMaxBytes: Int64
    }

    private struct EndMark: Codable {
        var id: String
        var pid: Int32
    }

    let directory: String
    private var path: String { directory + "/processes.journal" }
    private let lock = NSLock()
    private var live: [String: Record] = [:]
    private var fd: Int32 = -1
    private var lines = 0

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        replay()
        try lock.withLock { try rewrite() }
    }

    deinit { close(fd) }

    func save(_ record: Record) {
        lock.withLock {
            live[record.id] = record
            append("S", record)
        }
    }

    func remove(id: String, pid: Int32) {
        lock.withLock {
            guard live[id]?.pid == pid else { return }
            live.removeValue(forKey: id)
            append("E", EndMark(id: id, pid: pid))
            if lines > 1024 && lines > 4 * live.count { try? rewrite() }
        }
    }

    /// The records of processes not known to have ended.
    func all() -> [Record] {
        lock.withLock { Array(live.values) }
    }

    /// Whether the record's process is still the one that was started (same pid, same start time)
    /// and has not exited.
    static func isAlive(_ record: Record) -> Bool {
        guard let stat = ProcStat.read(pid: record.pid) else { return false }
        return stat.startTime == record.startTime && stat.state != "Z" && stat.state != "X"
    }

    private func append(_ kind: String, _ record: Record) { append(kind, record.json) }

    private func append(_ kind: String, _ mark: EndMark) {
        append(kind, ["id": .string(mark.id), "pid": .int(Int64(mark.pid))])
    }

    /// Lines are written with Model's JSON writer, which is several times cheaper than a
    /// JSONEncoder per line (two lines per container); they are read back with JSONDecoder.
    private func append(_ kind: String, _ json: JSONValue) {
        let line = Array(kind.utf8) + [UInt8(ascii: " ")] + json.serialized() + [UInt8(ascii: "\n")]
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        lines += 1
    }

    /// Loads the journal; a torn last line (the agent died mid-write) is skipped like any bad line.
    private func replay() {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let decoder = JSONDecoder()
        for line in data.split(separator: UInt8(ascii: "\n")) where line.count > 2 {
            let body = Data(line.dropFirst(2))
            switch line.first {
            case UInt8(ascii: "S"):
                if let record = try? decoder.decode(Record.self, from: body) { live[record.id] = record }
            case UInt8(ascii: "E"):
                if let mark = try? decoder.decode(EndMark.self, from: body), live[mark.id]?.pid == mark.pid {
                    live.removeValue(forKey: mark.id)
                }
            default:
                continue
            }
        }
    }

    /// Replaces the journal with the live records only (temporary file + rename) and appends to it.
    private func rewrite() throws {
        let temporary = path + ".new"
        let newFD = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard newFD >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        if fd >= 0 { close(fd) }
        fd = newFD
        lines = 0
        for record in live.values { append("S", record) }
        rename(temporary, path)
    }
}

extension RuntimeStateStore.Record {
    /// The record as its `Codable` form encodes it (the journal's `S` lines).
    var json: JSONValue {
        var object: JSONValue = ["id": .string(id), "pid": .int(Int64(pid)), "startTime": .int(Int64(clamping: startTime)),
                                 "logPath": .string(logPath), "logMaxBytes": .int(logMaxBytes)]
        if let cgroup {
            object["cgroup"] = ["version": .string(cgroup.version.rawValue),
                                "directories": .object(JSONObject(cgroup.directories.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))]
        }
        return object
    }
}
