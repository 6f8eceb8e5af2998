import Foundation
import Model
#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking HTTP/1.1 client over one TCP connection, so the benchmark measures the server
/// rather than a client library. Used by one thread at a time (handing it to another is fine).
final class RawHTTP: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(host: String, port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &addr.sin_addr)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw BenchError("connect to \(host):\(port) failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    func send(_ method: String, _ path: String, token: String, body: [UInt8] = [], contentType: String = "application/json",
              accept: String? = nil) throws {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer \(token)\r\n"
        if let accept { head += "Accept: \(accept)\r\n" }
        if !body.isEmpty { head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        let bytes = Array(head.utf8) + body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw BenchError("send failed") }
            sent += n
        }
    }

    /// Reads a full (Content-Length) response; returns status and body.
    func readResponse() throws -> (Int, [UInt8]) {
        let (status, headers) = try readHead()
        if let length = headers["content-length"].flatMap(Int.init) {
            return (status, try readExactly(length))
        }
        var body: [UInt8] = []
        while let chunk = try readChunk() { body += chunk }
        return (status, body)
    }

    /// Reads the status line and headers.
    func readHead() throws -> (Int, [String: String]) {
        let head = try readUntil(Array("\r\n\r\n".utf8))
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return (status, headers)
    }

    /// Reads one chunk of a chunked body; nil at the end.
    func readChunk() throws -> [UInt8]? {
        let sizeLine = String(decoding: try readUntil(Array("\r\n".utf8)), as: UTF8.self)
        guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else { throw BenchError("bad chunk size") }
        let data = try readExactly(size)
        _ = try readExactly(2)
        return size == 0 ? nil : data
    }

    /// Reads a watch body: each event line is parsed and handed over with the time it arrived,
    /// while `more()` holds and the stream lasts.
    func readEvents(while more: () -> Bool, _ handle: (JSONValue, Double) -> Void) throws {
        var pending: [UInt8] = []
        while more(), let chunk = try readChunk() {
            pending += chunk
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                let now = Date().timeIntervalSince1970
                if let event = try? JSONValue.parse(line) { handle(event, now) }
            }
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw BenchError("connection closed") }
        buffer += chunk[0..<n]
    }

    private func readUntil(_ delimiter: [UInt8]) throws -> [UInt8] {
        while true {
            if let range = find(delimiter) {
                let out = Array(buffer[0..<range])
                buffer.removeFirst(range + delimiter.count)
                return out
            }
            try fill()
        }
    }

    private func readExactly(_ n: Int) throws -> [UInt8] {
        while buffer.count < n { try fill() }
        let out = Array(buffer[0..<n])
        buffer.removeFirst(n)
        return out
    }

    private func find(_ delimiter: [UInt8]) -> Int? {
        guard buffer.count >= delimiter.count else { return nil }
        var i = 0
        while i <= buffer.count - delimiter.count {
            if buffer[i] == delimiter[0] && Array(buffer[i..<(i + delimiter.count)]) == delimiter { return i }
            i += 1
        }
        return nil
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Nearest-rank percentile of sorted samples.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((Double(sorted.count) * p / 100).rounded(.up))
    return sorted[max(0, min(sorted.count - 1, rank - 1))]
}

/// Thread-safe sample collection for the benchmark threads.
final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    private var counters: [String: Int] = [:]

    func add(_ samples: [Double]) { lock.withLock { values += samples } }
    func add(_ sample: Double) { lock.withLock { values.append(sample) } }
    func count(_ name: String, _ n: Int = 1) { lock.withLock { counters[name, default: 0] += n } }
    func counter(_ name: String) -> Int { lock.withLock { counters[name, default: 0] } }
    var sorted: [Double] { lock.withLock { values.sorted() } }
}
