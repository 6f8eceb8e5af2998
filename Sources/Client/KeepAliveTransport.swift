import Foundation
import Model
#if canImport(Glibc)
import Glibc
#endif

/// Plain-HTTP/1.1 requests over a pool of keep-alive TCP connections. URLSession on Linux routes
/// every request through libcurl and libdispatch sources, which cost the scheduler and the hollow
/// nodes about half their CPU; this transport is a blocking socket per in-flight request instead.
/// Used for `http://` servers and non-streaming requests; watches and `https://` stay on URLSession.
final class KeepAliveTransport: @unchecked Sendable {
    private let host: String
    private let port: UInt16
    private let lock = NSLock()
    private var idle: [KeepAliveConnection] = []
    private let queue = DispatchQueue(label: "drover.client.http", attributes: .concurrent)
    private static let maxIdle = 32

    /// A transport for `http://host:port`; nil for other URLs (the caller keeps URLSession).
    init?(server: String) {
        guard let url = URL(string: server), url.scheme == "http", let host = url.host else { return nil }
        self.host = host == "localhost" ? "127.0.0.1" : host
        self.port = UInt16(url.port ?? 80)
        guard inet_addr(self.host) != INADDR_NONE else { return nil }  // IPv4 literals only; names use URLSession
    }

    /// Sends a request and reads the whole response, without blocking Swift's cooperative threads.
    func send(method: String, target: String, headers: [(String, String)], body: [UInt8]?,
              timeout: TimeInterval) async throws -> (status: Int, headers: [String: String], body: [UInt8]) {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.sendBlocking(method: method, target: target, headers: headers,
                                                                         body: body, timeout: timeout) })
            }
        }
    }

    private func sendBlocking(method: String, target: String, headers: [(String, String)], body: [UInt8]?,
                              timeout: TimeInterval) throws -> (status: Int, headers: [String: String], body: [UInt8]) {
        var request = "\(method) \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        if let body { request += "Content-Length: \(body.count)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8) + (body ?? [])
        // A pooled connection the server closed while idle fails before any answer: retry once on a
        // new one. Only then: after a timeout the server may well have run the request (a create
        // retried that way came back 409 AlreadyExists under load).
        if let reused = takeIdle() {
            do {
                return try exchange(reused, bytes, timeout: timeout)
            } catch let error as KeepAliveError where error.closedBeforeAnswer {
                reused.close()
            } catch {
                reused.close()
                throw error
            }
        }
        let fresh = try KeepAliveConnection(host: host, port: port)
        do {
            return try exchange(fresh, bytes, timeout: timeout)
        } catch {
            fresh.close()
            throw error
        }
    }

    private func exchange(_ connection: KeepAliveConnection, _ bytes: [UInt8],
                          timeout: TimeInterval) throws -> (status: Int, headers: [String: String], body: [UInt8]) {
        connection.setTimeout(timeout)
        try connection.write(bytes)
        let answer = try connection.readResponse()
        if answer.headers["connection"]?.lowercased() == "close" {
            connection.close()
        } else {
            giveBack(connection)
        }
        return answer
    }

    private func takeIdle() -> KeepAliveConnection? {
        lock.withLock { idle.popLast() }
    }

    private func giveBack(_ connection: KeepAliveConnection) {
        let kept = lock.withLock { () -> Bool in
            guard idle.count < Self.maxIdle else { return false }
            idle.append(connection)
            return true
        }
        if !kept { connection.close() }
    }

    deinit {
        for connection in idle { connection.close() }
    }
}

/// One blocking TCP connection speaking HTTP/1.1 responses with Content-Length or chunked bodies.
final class KeepAliveConnection: @unchecked Sendable {
    private var fd: Int32
    private var buffer: [UInt8] = []
    /// Whether any byte of the current exchange's answer has arrived.
    private var answered = false

    init(host: String, port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw KeepAliveError("socket() failed: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw KeepAliveError("connect to \(host):\(port) failed: \(reason)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    /// Receive timeout for the next exchange (the request's idle timeout).
    func setTimeout(_ seconds: TimeInterval) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    func write(_ bytes: [UInt8]) throws {
        answered = !buffer.isEmpty
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else {
                // An incomplete request cannot have been run.
                throw KeepAliveError("the server closed the connection while the request was sent", closedBeforeAnswer: true)
            }
            sent += n
        }
    }

    func readResponse() throws -> (status: Int, headers: [String: String], body: [UInt8]) {
        let (status, headers) = try readHead()
        if let length = headers["content-length"].flatMap(Int.init) {
            return (status, headers, try readExactly(length))
        }
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            var body: [UInt8] = []
            while let chunk = try readChunk() { body += chunk }
            return (status, headers, body)
        }
        return (status, headers, [])
    }

    /// The status line and headers (lower-cased names) of the next response.
    func readHead() throws -> (status: Int, headers: [String: String]) {
        let head = String(decoding: try readUntil([13, 10, 13, 10]), as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.isEmpty ? "" : lines.removeFirst()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw KeepAliveError("the server's answer does not start with an HTTP status line")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers)
    }

    /// The next chunk of a chunked body; nil after the last one.
    func readChunk() throws -> [UInt8]? {
        let sizeLine = String(decoding: try readUntil([13, 10]), as: UTF8.self)
        guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else {
            throw KeepAliveError("malformed chunk size \"\(sizeLine)\"")
        }
        if size == 0 {
            _ = try readUntil([13, 10])
            return nil
        }
        let data = try readExactly(size)
        _ = try readExactly(2)
        return data
    }

    /// Unblocks a reader on another thread (the watch's consumer went away).
    func shutDown() {
        if fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    /// Reads what a non-chunked body the server ends by closing holds (error answers without a
    /// length), or Content-Length bytes.
    func readBody(headers: [String: String]) throws -> [UInt8] {
        if let length = headers["content-length"].flatMap(Int.init) { return try readExactly(length) }
        var body: [UInt8] = []
        while let chunk = try readChunk() { body += chunk }
        return body
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else {
            let reset = n == 0 || errno == ECONNRESET
            throw KeepAliveError(n == 0 ? "the server closed the connection" : "reading the answer failed: \(String(cString: strerror(errno)))",
                                 closedBeforeAnswer: reset && !answered)
        }
        answered = true
        buffer += chunk[0..<n]
    }

    private func readUntil(_ delimiter: [UInt8]) throws -> [UInt8] {
        var searchFrom = 0
        while true {
            if buffer.count >= delimiter.count {
                var i = searchFrom
                while i <= buffer.count - delimiter.count {
                    if buffer[i] == delimiter[0] && buffer[i..<(i + delimiter.count)].elementsEqual(delimiter) {
                        let out = Array(buffer[0..<i])
                        buffer.removeFirst(i + delimiter.count)
                        return out
                    }
                    i += 1
                }
                searchFrom = max(0, buffer.count - delimiter.count + 1)
            }
            try fill()
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        let out = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return out
    }
}

/// A transport failure (the caller reports it as `ClientError.connectionFailed`).
struct KeepAliveError: Error, CustomStringConvertible {
    var description: String
    /// The connection was closed or reset before any byte of the answer: the server never ran the
    /// request, so it may be sent again (a timeout is not that).
    var closedBeforeAnswer: Bool
    init(_ description: String, closedBeforeAnswer: Bool = false) {
        self.description = description
        self.closedBeforeAnswer = closedBeforeAnswer
    }
}

extension KeepAliveTransport {
    /// Streams a watch over its own connection, read by a dedicated thread (URLSession's data
    /// delegate spun a dispatch thread hot on idle watches here). Ending the consumer's iteration
    /// shuts the socket down, which ends the thread.
    func watch(target: String, headers: [(String, String)], idleTimeout: TimeInterval,
               continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation, server: String) {
        let host = self.host
        let port = self.port
        let feed = WatchFeed(continuation)
        let socket = WatchSocket()
        continuation.onTermination = { _ in socket.cancel() }
        let thread = Thread {
            do {
                let opened = try KeepAliveConnection(host: host, port: port)
                defer { socket.release() }
                guard socket.adopt(opened) else { return feed.end(throwing: nil) }
                opened.setTimeout(idleTimeout)
                var request = "GET \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\n"
                for (name, value) in headers { request += "\(name): \(value)\r\n" }
                try opened.write(Array((request + "\r\n").utf8))
                let (status, responseHeaders) = try opened.readHead()
                guard (200..<300).contains(status) else {
                    let body = (try? opened.readBody(headers: responseHeaders)) ?? []
                    return feed.end(throwing: StatusError.decode(body: body, httpStatus: status))
                }
                while let chunk = try opened.readChunk() {
                    if !feed.feed(chunk) { return }
                }
                feed.finish()
            } catch {
                feed.end(throwing: socket.isCancelled ? nil : ClientError.connectionFailed(server: server, reason: "\(error)"))
            }
        }
        thread.name = "drover-watch"
        thread.start()
    }
}

/// The connection of one socket watch, shared by its reader thread and the stream's termination.
final class WatchSocket: @unchecked Sendable {
    private let lock = NSLock()
    private var connection: KeepAliveConnection?
    private var cancelled = false

    /// Takes ownership of `connection`; false (and closed) when the watch was already cancelled.
    func adopt(_ connection: KeepAliveConnection) -> Bool {
        lock.withLock {
            guard !cancelled else {
                connection.close()
                return false
            }
            self.connection = connection
            return true
        }
    }

    /// The consumer went away: unblock the reader.
    func cancel() {
        lock.withLock {
            cancelled = true
            connection?.shutDown()
        }
    }

    var isCancelled: Bool { lock.withLock { cancelled } }

    /// The reader is done: close the socket.
    func release() {
        lock.withLock {
            connection?.close()
            connection = nil
        }
    }
}
