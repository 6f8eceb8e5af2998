import Foundation
import HTTP
import Store
import Testing
@testable import APIServer

/// The dashboard's files through the real server on a real socket: the request target is decoded by
/// the HTTP module, so `%00` reaches the static file handler as a NUL.
@Suite struct StaticFilesOverHTTPTests {
    /// Sends `target` raw (bytes as given) and returns the status code of the answer.
    func status(port: UInt16, target: [UInt8]) throws -> Int? {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Foundation.close(socket) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET ".utf8) + target + Array(" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var reply = [UInt8](repeating: 0, count: 4096)
        let received = reply.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard received > 12 else { return nil }
        return Int(String(decoding: reply[9..<12], as: UTF8.self))
    }

    @Test func aNULInAStaticPathIsRefusedNotServedAsTheFileBeforeIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drover-web-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "<html>".write(toFile: dir + "/index.html", atomically: true, encoding: .utf8)
        let api = try APIServer(configuration: APIServerConfiguration(store: MemoryStore(), webDirectory: dir))
        let server = try HTTPServer(configuration: HTTPServerConfiguration(workerThreads: 2), handler: api, log: { _ in })
        defer { server.stop() }

        #expect(try status(port: server.port, target: Array("/index.html".utf8)) == 200)
        for target in ["/index.html%00.js", "/%00", "/index.html%00", "/index.html%00/"] {
            let answer = try status(port: server.port, target: Array(target.utf8))
            #expect(answer == 400 || answer == 404, "\(target) answered \(String(describing: answer))")
        }
        // A raw NUL byte in the request line: libmicrohttpd 0.9.75 hands the target over as a C string
        // that ends at the NUL; the HTTP module recovers the rest, so the NUL is seen and refused.
        for rest in [".js", "", "/", ".js?watch=1"] {
            let raw = try status(port: server.port, target: Array("/index.html".utf8) + [0] + Array(rest.utf8))
            #expect(raw == 400 || raw == 404, "a raw NUL before \(rest) answered \(String(describing: raw))")
        }
        // A target without a NUL is untouched, also when libmicrohttpd cuts its query off in place.
        #expect(try status(port: server.port, target: Array("/index.html?x=1".utf8)) == 200)
    }
}
