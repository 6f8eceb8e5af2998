import Foundation
import HTTP
import Testing
import TestSupport

@Suite struct HTTPServerLifecycleTests {
    @Test func twoServersOnPortZeroGetDifferentPortsAndATakenPortIsRefused() async throws {
        try await offCooperativePool { try twoServersOnPortZeroGetDifferentPortsAndATakenPortIsRefusedBlocking() }
    }

    func twoServersOnPortZeroGetDifferentPortsAndATakenPortIsRefusedBlocking() throws {
        let handler = ClosureHandler { _, responder in responder.respond(HTTPResponse(status: 200)) }
        let first = try HTTPServer(configuration: HTTPServerConfiguration(), handler: handler, log: quietLog)
        let second = try HTTPServer(configuration: HTTPServerConfiguration(), handler: handler, log: quietLog)
        defer { first.stop(); second.stop() }
        #expect(first.port != 0)
        #expect(second.port != 0)
        #expect(first.port != second.port)

        let taken = HTTPServerConfiguration(port: first.port)
        #expect(throws: HTTPServerError.self) {
            _ = try HTTPServer(configuration: taken, handler: handler, log: quietLog)
        }
    }

    @Test func invalidHostIsRefused() {
        let handler = ClosureHandler { _, responder in responder.respond(HTTPResponse(status: 200)) }
        #expect(throws: HTTPServerError.self) {
            _ = try HTTPServer(configuration: HTTPServerConfiguration(host: "not an address"), handler: handler)
        }
    }

    @Test func stopEndsOpenStreamsAndAnswersPendingRequests() async throws {
        let streamClosed = Observed(false)
        let pendingResponder = Observed<HTTPResponder?>(nil)
        let server = try HTTPServer(configuration: HTTPServerConfiguration(workerThreads: 4), handler: ClosureHandler { request, responder in
            if request.path == "/watch" {
                let stream = responder.stream(status: 200, headers: [])
                stream.onClose { streamClosed.update { $0 = true } }
                stream.write(Array("hello\n".utf8))
            } else {
                // Never answers on its own; stop must not wait for it.
                pendingResponder.update { $0 = responder }
            }
        }, log: quietLog)

        let watcher = try RawHTTPConnection(port: server.port)
        try watcher.send("GET /watch HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = try watcher.readHead()
        #expect(try watcher.readChunk() == Array("hello\n".utf8))

        let waiter = try RawHTTPConnection(port: server.port)
        try waiter.send("GET /pending HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await eventually { pendingResponder.value != nil })

        server.stop()
        #expect(streamClosed.value)
        #expect(try watcher.readChunk() == nil)
        #expect(try waiter.readResponse().status == 503)
        // Answering after the stop is harmless.
        pendingResponder.value?.respond(HTTPResponse(status: 200))
        server.stop()
    }

    @Test func stopIsIdempotentAndRefusesNewConnections() async throws {
        try await offCooperativePool { try stopIsIdempotentAndRefusesNewConnectionsBlocking() }
    }

    func stopIsIdempotentAndRefusesNewConnectionsBlocking() throws {
        let handler = ClosureHandler { _, responder in responder.respond(HTTPResponse(status: 200)) }
        let server = try HTTPServer(configuration: HTTPServerConfiguration(), handler: handler, log: quietLog)
        let port = server.port
        server.stop()
        server.stop()
        #expect(throws: RawHTTPError.self) { _ = try RawHTTPConnection(port: port) }
    }

    @Test func stopWhileAHandlerIsRunningDoesNotCrash() async throws {
        let started = DispatchSemaphore(value: 0)
        let server = try HTTPServer(configuration: HTTPServerConfiguration(workerThreads: 2), handler: ClosureHandler { _, responder in
            started.signal()
            Thread.sleep(forTimeInterval: 0.5)
            responder.respond(HTTPResponse(status: 200))
            _ = responder.stream(status: 200, headers: []).write([1])
        }, log: quietLog)
        let connection = try RawHTTPConnection(port: server.port)
        try connection.send("GET /busy HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(started.wait(timeout: .now() + 10) == .success)
        server.stop()
        #expect(try connection.readResponse().status == 503)
    }
}

@Suite struct HTTPServerStopUnderLoadTests {
    /// Clients keep sending requests and opening streams while the server stops; whatever each client
    /// sees, the process must not abort (libmicrohttpd aborts if a connection is left suspended).
    @Test(arguments: 1...3)
    func stopUnderLoadLeavesNoSuspendedConnection(round: Int) async throws {
        let server = try HTTPServer(configuration: HTTPServerConfiguration(workerThreads: 4), handler: ClosureHandler { request, responder in
            if request.path == "/watch" {
                let stream = responder.stream(status: 200, headers: [])
                Thread.detachNewThread {
                    while stream.write(Array("tick\n".utf8)) { Thread.sleep(forTimeInterval: 0.002) }
                }
            } else if request.path == "/slow" {
                Thread.detachNewThread {
                    Thread.sleep(forTimeInterval: 0.01)
                    responder.respond(HTTPResponse(status: 200))
                }
            } else {
                responder.respond(HTTPResponse(status: 200, body: request.body))
            }
        }, log: quietLog)
        let port = server.port
        let clients = (0..<6).map { index in
            Thread {
                guard let connection = try? RawHTTPConnection(port: port, receiveTimeoutSeconds: 5) else { return }
                let path = ["/watch", "/slow", "/fast"][index % 3]
                for _ in 0..<200 {
                    do {
                        try connection.send("POST \(path) HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi")
                        _ = try connection.readResponse()
                    } catch {
                        return
                    }
                }
            }
        }
        clients.forEach { $0.start() }
        try await Task.sleep(nanoseconds: 50_000_000)
        server.stop()
        server.stop()
    }
}
