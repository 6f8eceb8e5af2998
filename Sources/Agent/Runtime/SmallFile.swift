import Foundation

/// Plain-syscall reads and writes of the tiny files under /proc and /sys/fs/cgroup. Foundation's file
/// APIs are several times slower for these and hide errno, which the messages need.
enum SmallFile {
    /// The file's contents (up to 64 KiB), or nil when it cannot be read.
    static func read(_ path: String) -> String? {
        readBytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The file's bytes (up to 64 KiB), or nil when it cannot be read.
    static func readBytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65536 {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }

    /// Writes `text` to an existing file (cgroup control files must not be created or truncated).
    /// Returns nil on success, else the error text, e.g. `write /sys/.../memory.max: invalid argument`.
    @discardableResult
    static func write(_ text: String, to path: String) -> String? {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return "open \(path): \(PosixSpawner.errnoText(errno))" }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        return written == bytes.count ? nil : "write \(path): \(PosixSpawner.errnoText(errno))"
    }

    /// The entries of a directory, without `.` and `..`.
    static func list(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
