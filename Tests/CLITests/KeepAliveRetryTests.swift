@testable import Client
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The keep-alive transport sends a request again on a fresh connection only when the pooled one
/// was closed before any answer; a request that timed out may have run, so it is not repeated.
@Suite struct KeepAliveRetryTests {
    /// A server on 127.0.0.1 that answers the first request of every connection with 200 and a
    /// kept-alive connection, then treats the second as `second` says; counts requests received.
    final class TwoRequestServer: @unchecked Sendable {
        enum Second { case close, ignore }
        let port: UInt16
        private let lock = NSLock()
        private var received = 0
        var requests: Int { lock.withLock { received } }

        init(second: Second) throws {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    bind(listener, sa, length) == 0 && listen(listener, 8) == 0 && getsockname(listener, sa, &length) == 0
                }
            }
            port = UInt16(bigEndian: address.sin_port)
            Thread.detachNewThread { [self] in
                while true {
                    let connection = accept(listener, nil, nil)
                    guard connection >= 0 else { return }
                    Thread.detachNewThread { [self] in serve(connection, second: second) }
                }
            }
        }

        private func serve(_ connection: Int32, second: Second) {
            defer { close(connection) }
            let ok = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".utf8)
            guard readRequest(connection) else { return }
            _ = ok.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            switch second {
            case .close:
                return   // closed while idle: the client's next request finds it gone
            case .ignore:
                guard readRequest(connection) else { return }
                Thread.sleep(forTimeInterval: 3)   // past the client's timeout, then gone
            }
        }

        /// Reads one request head (no bodies in these tests) and counts it.
        private func readRequest(_ connection: Int32) -> Bool {
            var head: [UInt8] = []
            var byte: UInt8 = 0
            while !head.suffix(4).elementsEqual([13, 10, 13, 10]) {
                guard recv(connection, &byte, 1, 0) == 1 else { return false }
                head.append(byte)
            }
            lock.withLock { received += 1 }
            return true
        }
    }

    @Test func aPooledConnectionClosedWhileIdleIsRetriedOnAFreshOne() async throws {
        let server = try TwoRequestServer(second: .close)
        let transport = try #require(KeepAliveTransport(server: "http://127.0.0.1:\(server.port)"))
        _ = try await transport.send(method: "POST", target: "/a", headers: [], body: nil, timeout: 5)
        try await Task.sleep(nanoseconds: 100_000_000)   // the server has closed the idle connection
        let second = try await transport.send(method: "POST", target: "/b", headers: [], body: nil, timeout: 5)
        #expect(second.status == 200)
        #expect(server.requests == 2)
    }

    @Test func aRequestThatTimedOutOnAPooledConnectionIsNotSentAgain() async throws {
        let server = try TwoRequestServer(second: .ignore)
        let transport = try #require(KeepAliveTransport(server: "http://127.0.0.1:\(server.port)"))
        _ = try await transport.send(method: "POST", target: "/a", headers: [], body: nil, timeout: 5)
        await #expect(throws: (any Error).self) {
            _ = try await transport.send(method: "POST", target: "/b", headers: [], body: nil, timeout: 0.5)
        }
        // The server saw the second request once: it was not repeated on a new connection.
        #expect(server.requests == 2)
    }
}
