import Foundation
import Testing
@testable import Agent

@Suite struct ProbeRunnerTests {
    let runner = ProbeRunner()

    @Test func execSucceedsOnExitZeroInTheContainersEnvironment() async {
        let result = await runner.run(.exec(command: ["sh", "-c", "echo $GREETING; pwd"]), timeout: 10,
                                      environment: ["PATH": "/usr/bin:/bin", "GREETING": "hi"], workingDirectory: "/usr")
        #expect(result == ProbeResult(success: true, message: "hi\n/usr\n"))
    }

    @Test func execFailsOnANonZeroExit() async {
        let result = await runner.run(.exec(command: ["sh", "-c", "echo not ready; exit 3"]), timeout: 10,
                                      environment: ["PATH": "/usr/bin:/bin"])
        #expect(!result.success)
        #expect(result.message.contains("exited with 3") && result.message.contains("not ready"))
    }

    @Test func execFailsOnTimeoutAndKillsTheCommand() async {
        let result = await runner.run(.exec(command: ["sleep", "30"]), timeout: 0.2, environment: ["PATH": "/usr/bin:/bin"])
        #expect(!result.success)
        #expect(result.message.contains("timed out"))
    }

    @Test func execOfAMissingCommandFails() async {
        let result = await runner.run(.exec(command: ["no-such-probe"]), timeout: 5, environment: ["PATH": "/usr/bin:/bin"])
        #expect(result == ProbeResult(success: false, message: "exec: \"no-such-probe\": executable file not found in $PATH"))
    }

    @Test func tcpSocketSucceedsWhenSomethingListens() async throws {
        let server = try TinyHTTPServer(status: 200)
        #expect(await runner.run(.tcpSocket(host: nil, port: server.port), timeout: 5).success)
    }

    @Test func tcpSocketFailsOnAClosedPort() async throws {
        let port = try TinyHTTPServer(status: 200).port   // closed again when the server goes away
        let result = await runner.run(.tcpSocket(host: "127.0.0.1", port: port), timeout: 5)
        #expect(result == ProbeResult(success: false, message: "dial tcp 127.0.0.1:\(port): connect: connection refused"))
    }

    @Test func httpGetSucceedsFor2xxAnd3xx() async throws {
        for status in [200, 204, 302] {
            let server = try TinyHTTPServer(status: status)
            let result = await runner.run(.httpGet(host: nil, port: server.port, path: "/healthz"), timeout: 5)
            #expect(result.success, "status \(status)")
            #expect(server.requestLine() == "GET /healthz HTTP/1.1")
        }
    }

    @Test func httpGetFailsFor4xxAnd5xx() async throws {
        let server = try TinyHTTPServer(status: 503)
        let result = await runner.run(.httpGet(host: "127.0.0.1", port: server.port, path: "ready"), timeout: 5)
        #expect(result == ProbeResult(success: false, message: "HTTP probe failed with statuscode: 503"))
    }

    @Test func httpGetFailsWhenNobodyAnswersInTime() async throws {
        let server = try TinyHTTPServer(status: nil)
        let result = await runner.run(.httpGet(host: nil, port: server.port, path: "/"), timeout: 0.2)
        #expect(!result.success)
        #expect(result.message.contains("deadline exceeded"))
    }
}

/// Answers each connection on 127.0.0.1 with a fixed status (or never, when `status` is nil).
final class TinyHTTPServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var firstRequestLine: String?

    init(status: Int?) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 16) == 0 else { throw StartFailure("cannot listen") }
        port = Int(UInt16(bigEndian: address.sin_port))
        let listener = fd
        Thread.detachNewThread { [weak self] in
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 {
                    // Closed here, not in deinit, so the number cannot be reused while this thread accepts on it.
                    close(listener)
                    return
                }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                let request = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
                self?.record(request.components(separatedBy: "\r\n").first ?? "")
                if let status {
                    let reply = Array("HTTP/1.1 \(status) Whatever\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
                    _ = reply.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                } else {
                    Thread.sleep(forTimeInterval: 2)
                }
                close(connection)
            }
        }
    }

    deinit { shutdown(fd, Int32(SHUT_RDWR)) }

    private func record(_ line: String) { lock.withLock { if firstRequestLine == nil { firstRequestLine = line } } }

    func requestLine() -> String? { lock.withLock { firstRequestLine } }
}
