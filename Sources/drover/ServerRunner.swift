import APIServer
import Dispatch
import Foundation
import HTTP
import Model
import Store

/// Runs the API server over a store until SIGINT or SIGTERM, then stops it gracefully.
struct ServerRunner {
    var store: any ObjectStore
    var host: String
    var port: UInt16
    var authenticator: Authenticator
    var webDirectory: String?

    /// Starts serving; returns the running pieces so the caller can report the bound port.
    func start() throws -> (APIServer, HTTPServer) {
        let api = try APIServer(configuration: APIServerConfiguration(store: store, authenticator: authenticator, webDirectory: webDirectory))
        let limit = 3 * 1024 * 1024
        let http = try HTTPServer(configuration: HTTPServerConfiguration(
            host: host, port: port, ioThreads: 2, workerThreads: 64, maxBodyBytes: limit,
            tooLargeResponse: { limit in
                HTTPResponse(status: 413, headers: [("Content-Type", "application/json")], body: StatusError.tooLarge(limit: limit).statusObject.serialized())
            }), handler: api)
        return (api, http)
    }

    /// Blocks until SIGINT or SIGTERM.
    static func waitForTermination() {
        let done = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { done.signal() }
            source.resume()
            sources.append(source)
        }
        done.wait()
        for source in sources { source.cancel() }
    }
}

/// Opens the PostgreSQL store after applying migrations.
func openPostgresStore(url: String, migrationsDirectory: String?) throws -> any ObjectStore {
    guard let migrations = migrationsDirectory ?? ResourceLocator.migrationsDirectory else {
        throw UsageError(message: "cannot find the migrations directory next to the executable; pass --migrations-dir")
    }
    try Migrator(url: url, directory: migrations).migrate()
    return try PostgresStore(url: url)
}
