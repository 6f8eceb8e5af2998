import Foundation
import HTTP

/// Serves the dashboard's files from a directory (found next to the executable or given with
/// --web-dir), refusing paths that climb out of it.
struct StaticFiles: Sendable {
    let directory: String

    init(directory: String) { self.directory = directory }

    func response(for path: String) -> HTTPResponse {
        var relative = path == "/" ? "/index.html" : path
        if relative.hasSuffix("/") { relative += "index.html" }
        let parts = relative.split(separator: "/")
        // A NUL would end the C string the file system sees: `/index.html%00.js` must not be index.html.
        guard !relative.contains("\0"), !parts.contains(where: { $0 == ".." || $0.hasPrefix(".") }) else { return notFound() }
        let file = directory + "/" + parts.joined(separator: "/")
        guard let data = FileManager.default.contents(atPath: file) else { return notFound() }
        return HTTPResponse(status: 200, headers: [("Content-Type", Self.contentType(file)), ("Cache-Control", "no-cache")], body: [UInt8](data))
    }

    private func notFound() -> HTTPResponse {
        HTTPResponse(status: 404, headers: [("Content-Type", "text/plain")], body: Array("404 page not found\n".utf8))
    }

    static func contentType(_ file: String) -> String {
        switch (file as NSString).pathExtension {
        case "html": return "text/html; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "json": return "application/json"
        case "ico": return "image/x-icon"
        default: return "application/octet-stream"
        }
    }
}
