import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP server for client tests: each accepted connection gets the next scripted reply
/// (a list of raw byte chunks written with the given pauses) and the request head is recorded.
final class ScriptedHTTPServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var heads: [String] = []

    /// Starts listening on 127.0.0.1 with an OS-chosen port and serves `replies` in order.
    init(replies: [[String]]) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, sa, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw CocoaError(.fileReadUnknown)
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let listener = fd
        Thread.detachNewThread { [self] in
            for reply in replies {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                self.record(Self.readHead(connection))
                for chunk in reply {
                    if chunk.hasPrefix("SLEEP") { usleep(100_000); continue }
                    _ = chunk.utf8CString.withUnsafeBufferPointer { send(connection, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
                }
                close(connection)
            }
        }
    }

    deinit { close(listener) }

    var url: String { "http://127.0.0.1:\(port)" }

    /// The request heads received so far.
    var requests: [String] { lock.withLock { heads } }

    private func record(_ head: String) { lock.withLock { heads.append(head) } }

    /// Reads the request line and headers, plus a body announced by Content-Length.
    private static func readHead(_ connection: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: bytes, as: UTF8.self).contains("\r\n\r\n") {
            let n = recv(connection, &buffer, buffer.count, 0)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A chunked-encoding frame for `text`.
    static func chunk(_ text: String) -> String {
        String(text.utf8.count, radix: 16) + "\r\n" + text + "\r\n"
    }
}
