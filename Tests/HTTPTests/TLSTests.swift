import Foundation
import HTTP
import Testing

@Suite struct TLSTests {
    static func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static let toolsPresent = ["/usr/bin/openssl", "/usr/bin/curl"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: toolsPresent, "openssl and curl are needed to make and check a certificate"))
    func httpsServesRequestsWithTheGivenCertificate() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drover-tls-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (status, output) = try Self.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                             "-keyout", "\(dir)/key.pem", "-out", "\(dir)/cert.pem", "-days", "1", "-subj", "/CN=127.0.0.1",
                                             "-addext", "subjectAltName=IP:127.0.0.1"])
        try #require(status == 0, "\(output)")
        let tls = TLSCredentials(certificatePEM: try String(contentsOfFile: "\(dir)/cert.pem", encoding: .utf8),
                                 privateKeyPEM: try String(contentsOfFile: "\(dir)/key.pem", encoding: .utf8))
        let server = try HTTPServer(configuration: HTTPServerConfiguration(workerThreads: 2, tls: tls),
                                    handler: ClosureHandler { request, responder in
                                        responder.respond(HTTPResponse(status: 200, body: Array("secure \(request.path)".utf8)))
                                    }, log: quietLog)
        defer { server.stop() }
        let (curlStatus, body) = try Self.run(["curl", "-s", "--cacert", "\(dir)/cert.pem", "https://127.0.0.1:\(server.port)/hello"])
        #expect(curlStatus == 0)
        #expect(body == "secure /hello")
        let (plainStatus, _) = try Self.run(["curl", "-s", "--max-time", "5", "http://127.0.0.1:\(server.port)/hello"])
        #expect(plainStatus != 0)  // plain HTTP on a TLS port is refused
    }
}
