import Foundation
import HTTP

/// A handler made of a closure.
struct ClosureHandler: HTTPHandler {
    let body: @Sendable (HTTPRequest, HTTPResponder) -> Void
    init(_ body: @escaping @Sendable (HTTPRequest, HTTPResponder) -> Void) { self.body = body }
    func handle(_ request: HTTPRequest, responder: HTTPResponder) { body(request, responder) }
}

/// Thread-safe box for values tests observe from handler threads.
final class Observed<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        lock.lock(); defer { lock.unlock() }
        return stored
    }
    func update(_ change: (inout Value) -> Void) {
        lock.lock(); defer { lock.unlock() }
        change(&stored)
    }
}

/// Collects the server's log lines instead of printing them.
let quietLog: @Sendable (String) -> Void = { _ in }

/// Starts a server on 127.0.0.1 port 0, runs `body`, and stops it.
func withServer<Result>(_ configuration: HTTPServerConfiguration = HTTPServerConfiguration(workerThreads: 4),
                        handler: @escaping @Sendable (HTTPRequest, HTTPResponder) -> Void,
                        _ body: (HTTPServer) async throws -> Result) async throws -> Result {
    let server = try HTTPServer(configuration: configuration, handler: ClosureHandler(handler), log: quietLog)
    defer { server.stop() }
    return try await body(server)
}

