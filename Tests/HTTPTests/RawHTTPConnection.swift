import Foundation

/// A response read off a raw socket.
struct RawResponse {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

struct RawHTTPError: Error, CustomStringConvertible {
    var description: String
}

/// A minimal blocking HTTP/1.1 client on one TCP connection to 127.0.0.1, so tests control exactly
/// what goes over the wire (keep-alive, half-sent bodies, reading a stream chunk by chunk).
final class RawHTTPConnection {
    private let socket: Int32
    private var buffer: [UInt8] = []

    /// - Parameter source: the local address to connect from (any of 127.0.0.0/8 on Linux), so a
    ///   test can be two clients.
    init(port: UInt16, receiveTimeoutSeconds: Int = 10, source: String? = nil) throws {
        socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw RawHTTPError(description: "socket() failed") }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                Foundation.close(socket)
                throw RawHTTPError(description: "bind() to \(source) failed")
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Foundation.close(socket)
            throw RawHTTPError(description: "connect() to port \(port) failed")
        }
    }

    deinit { Foundation.close(socket) }

    /// True when the server has closed the connection within `seconds` (nothing else arrives). A reset
    /// counts as closed: a server closing a socket with unread bytes from us resets it.
    func isClosed(within seconds: Double) -> Bool {
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        let received = recv(socket, &byte, 1, 0)
        return received == 0 || (received < 0 && errno == ECONNRESET)
    }

    /// Closes the socket now (the client leaves).
    func disconnect() {
        shutdown(socket, Int32(SHUT_RDWR))
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Foundation.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw RawHTTPError(description: "send() failed") }
            offset += sent
        }
    }

    /// Reads one whole response: Content-Length, chunked, or until the server closes.
    func readResponse() throws -> RawResponse {
        var response = try readHead()
        if response.status == 204 || response.status == 304 {
            return response
        } else if let length = response.headers["content-length"].flatMap({ Int($0) }) {
            response.body = try readBytes(length)
        } else if response.headers["transfer-encoding"]?.lowercased() == "chunked" {
            while let chunk = try readChunk() {
                response.body += chunk
            }
        } else {
            response.body = try readToEnd()
        }
        return response
    }

    /// Status line and headers (names lower-cased).
    func readHead() throws -> RawResponse {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw RawHTTPError(description: "bad status line '\(statusLine)'")
        }
        var headers: [String: String] = [:]
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return RawResponse(status: status, headers: headers, body: [])
    }

    /// The next chunk of a chunked body; nil for the final zero-length chunk.
    func readChunk() throws -> [UInt8]? {
        let sizeLine = try readLine()
        guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else {
            throw RawHTTPError(description: "bad chunk size '\(sizeLine)'")
        }
        if size == 0 {
            _ = try readLine()
            return nil
        }
        let chunk = try readBytes(size)
        _ = try readLine()
        return chunk
    }

    /// Everything until the server closes the connection.
    func readToEnd() throws -> [UInt8] {
        while try fill() {}
        defer { buffer = [] }
        return buffer
    }

    private func readLine() throws -> String {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard try fill() else { throw RawHTTPError(description: "connection closed mid-line") }
        }
    }

    private func readBytes(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill() else { throw RawHTTPError(description: "connection closed mid-body") }
        }
        let bytes = Array(buffer[..<count])
        buffer.removeFirst(count)
        return bytes
    }

    /// Reads more bytes; false at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let received = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        if received < 0 { throw RawHTTPError(description: "recv() failed or timed out (errno \(errno))") }
        if received == 0 { return false }
        buffer += chunk[..<received]
        return true
    }
}
