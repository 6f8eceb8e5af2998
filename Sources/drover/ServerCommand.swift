import APIServer
import Foundation

/// `drover server --database-url URL [--listen HOST:PORT] [--token-file F] [--web-dir D]`.
enum ServerCommand {
    static let usage = """
    Usage: drover server --database-url URL [--listen 127.0.0.1:8080] [--token-file FILE] [--web-dir DIR] [--migrations-dir DIR]

    Runs the Drover API server on a PostgreSQL database. The token file holds one
    `token,user,role` line per user (role admin or view); without it every request is admitted.
    """

    static func main(_ arguments: [String]) -> Int32 {
        do {
            let flags = try Flags(arguments, known: ["database-url": true, "listen": true, "token-file": true,
                                                     "web-dir": true, "migrations-dir": true], usage: usage)
            guard let url = flags["database-url"] ?? ProcessInfo.processInfo.environment["DATABASE_URL"] else {
                throw UsageError(message: "--database-url is required\n\n\(usage)")
            }
            let (host, port) = try parseListen(flags["listen"] ?? "127.0.0.1:8080")
            let authenticator = try flags["token-file"].map { try Authenticator(tokenFile: $0) } ?? .allowAll
            let store = try openPostgresStore(url: url, migrationsDirectory: flags["migrations-dir"])
            let runner = ServerRunner(store: store, host: host, port: port, authenticator: authenticator,
                                      webDirectory: flags["web-dir"] ?? ResourceLocator.webDirectory)
            let (api, http) = try runner.start()
            print("drover server listening on http://\(host):\(http.port)")
            ServerRunner.waitForTermination()
            http.stop()
            api.shutdown()
            store.close()
            return 0
        } catch let usage as UsageError {
            if usage.isHelp { print(usage.message); return 0 }
            printError("drover server: \(usage.message)")
            return 2
        } catch {
            printError("drover server: \(error)")
            return 1
        }
    }

    /// `HOST:PORT` → parts; port 0 picks a free port.
    static func parseListen(_ text: String) throws -> (String, UInt16) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw UsageError(message: "--listen must be HOST:PORT, not \"\(text)\"")
        }
        let host = String(text[..<colon])
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
