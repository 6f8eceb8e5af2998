import Foundation
import Testing
@testable import APIServer

@Suite struct StaticFilesTests {
    func files() throws -> (StaticFiles, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drover-web-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "<html>".write(toFile: dir + "/index.html", atomically: true, encoding: .utf8)
        try "export {}".write(toFile: dir + "/app.js", atomically: true, encoding: .utf8)
        try "secret".write(toFile: dir + "/.env", atomically: true, encoding: .utf8)
        return (StaticFiles(directory: dir), dir)
    }

    @Test(arguments: [("/", 200, "text/html; charset=utf-8"), ("/app.js", 200, "text/javascript; charset=utf-8"),
                      ("/index.html\u{0}.js", 404, "text/plain"), ("/app.js\u{0}", 404, "text/plain"),
                      ("/../index.html", 404, "text/plain"), ("/.env", 404, "text/plain"), ("/missing.css", 404, "text/plain")])
    func pathsAreServedOnlyFromInsideTheDirectory(path: String, status: Int, type: String) throws {
        let (files, dir) = try files()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let response = files.response(for: path)
        #expect(response.status == status)
        #expect(response.headers.first { $0.0 == "Content-Type" }?.1 == type)
    }
}
