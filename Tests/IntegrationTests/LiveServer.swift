import Client
import Foundation
import HTTP
import Model
import Store
import TestSupport
@testable import APIServer

/// The real API server over a real PostgreSQL (a fresh database from TemporaryPostgres), served by
/// the real HTTP server on a free loopback port.
final class LiveServer: @unchecked Sendable {
    let store: PostgresStore
    let api: APIServer
    let http: HTTPServer
    static let adminToken = "integration-admin"
    static let viewToken = "integration-view"

    init(heartbeat: Double = 10, maxBodyBytes: Int = 3 * 1024 * 1024, requestLimits: RequestLimits = RequestLimits()) throws {
        store = try TemporaryPostgres.makeStore()
        let auth = Authenticator(tokens: [Self.adminToken: User(name: "admin", role: .admin),
                                          Self.viewToken: User(name: "viewer", role: .view)])
        var configuration = APIServerConfiguration(store: store, authenticator: auth, watchHeartbeatSeconds: heartbeat,
                                                   maxBodyBytes: maxBodyBytes)
        configuration.requestLimits = requestLimits
        api = try APIServer(configuration: configuration)
        http = try HTTPServer(configuration: HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, ioThreads: 2, workerThreads: 16, maxBodyBytes: maxBodyBytes,
            tooLargeResponse: { limit in
                HTTPResponse(status: 413, headers: [("Content-Type", "application/json")],
                             body: StatusError.tooLarge(limit: limit).statusObject.serialized())
            }), handler: api)
    }

    var url: String { "http://127.0.0.1:\(http.port)" }

    func client(token: String? = LiveServer.adminToken) throws -> HTTPAPIClient {
        try HTTPAPIClient(server: url, token: token)
    }

    func stop() {
        http.stop()
        api.shutdown()
        store.close()
    }
}

