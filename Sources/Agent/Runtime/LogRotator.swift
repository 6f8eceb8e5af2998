import Foundation

/// Size-based rotation of a log file the container writes to directly, with copytruncate semantics:
/// the file is copied to `<path>.1` (replacing the previous rotation) and truncated in place. The
/// child's descriptor is in append mode, so its next write lands at the new end (offset 0) rather
/// than leaving a hole. Bytes written between the end of the copy and the truncation are lost; the
/// copy runs until it reaches the end of the file to keep that window to a single syscall.
///
/// Why not a pipe drained by the agent: the container would then depend on the agent process for
/// every write, and an agent restart (re-adoption) would leave it with a broken pipe (SIGPIPE).
enum LogRotator {
    /// Rotates when the file is larger than `maxBytes`; returns whether it did.
    @discardableResult
    static func rotateIfNeeded(path: String, maxBytes: Int64) -> Bool {
        var info = stat()
        guard maxBytes > 0, stat(path, &info) == 0, Int64(info.st_size) > maxBytes else { return false }
        let source = open(path, O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { return false }
        defer { close(source) }
        let target = open(path + ".1", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard target >= 0 else { return false }
        defer { close(target) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            let written = buffer.withUnsafeBytes { write(target, $0.baseAddress, count) }
            if written != count { return false }
        }
        return truncate(path, 0) == 0
    }
}
