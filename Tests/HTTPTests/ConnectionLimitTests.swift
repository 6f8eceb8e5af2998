import Foundation
@testable import HTTP
import Testing

/// One client holding idle or half-sent connections must not lock the others out.
@Suite(.serialized) struct ConnectionLimitTests {
    static let hello: @Sendable (HTTPRequest, HTTPResponder) -> Void = { _, responder in
        responder.respond(HTTPResponse(status: 200, body: Array("hi".utf8)))
    }
    static let request = "GET / HTTP/1.1\r\nHost: t\r\n\r\n"

    func config(timeout: Int = 1, connections: Int? = nil, perClient: Int? = nil) -> HTTPServerConfiguration {
        HTTPServerConfiguration(workerThreads: 4, limits: ConnectionLimits(timeoutSeconds: timeout, connections: connections,
                                                                            perClientConnections: perClient))
    }

    @Test func aRequestWhoseHeadersStallIsClosedAfterTheTimeout() async throws {
        try await withServer(config(timeout: 1), handler: Self.hello) { server in
            let stalled = try RawHTTPConnection(port: server.port)
            try stalled.send("GET / HTTP/1.1\r\nHost: t\r\n")   // never the blank line
            #expect(stalled.isClosed(within: 4))
            let silent = try RawHTTPConnection(port: server.port)   // connected, sent nothing
            #expect(silent.isClosed(within: 4))
        }
    }

    @Test func anIdleKeepAliveConnectionServesRequestsUntilItHasBeenSilentForTheTimeout() async throws {
        try await withServer(config(timeout: 2), handler: Self.hello) { server in
            let client = try RawHTTPConnection(port: server.port)
            try client.send(Self.request)
            #expect(try client.readResponse().text == "hi")
            try await Task.sleep(for: .seconds(1))   // within the timeout: still open
            try client.send(Self.request)
            #expect(try client.readResponse().text == "hi")
            #expect(client.isClosed(within: 5))
        }
    }

    @Test func aStreamOpenLongerThanTheTimeoutIsNotCut() async throws {
        let handler: @Sendable (HTTPRequest, HTTPResponder) -> Void = { _, responder in
            let stream = responder.stream(status: 200, headers: [])
            stream.write(Array("first\n".utf8))
            DispatchQueue.global().asyncAfter(deadline: .now() + 3) {
                stream.write(Array("second\n".utf8))
                stream.close()
            }
        }
        try await withServer(config(timeout: 1), handler: handler) { server in
            let client = try RawHTTPConnection(port: server.port)
            try client.send(Self.request)
            _ = try client.readHead()
            #expect(try client.readChunk() == Array("first\n".utf8))
            #expect(try client.readChunk() == Array("second\n".utf8))
        }
    }

    @Test func thePerClientLimitRefusesTheFloodingAddressOnly() async throws {
        try await withServer(config(timeout: 10, connections: 100, perClient: 5), handler: Self.hello) { server in
            var held: [RawHTTPConnection] = []
            for _ in 0..<5 { held.append(try RawHTTPConnection(port: server.port, source: "127.0.0.1")) }
            let sixth = try RawHTTPConnection(port: server.port, source: "127.0.0.1")
            #expect(sixth.isClosed(within: 2), "the sixth connection from the holder is refused")
            let started = Date()
            let other = try RawHTTPConnection(port: server.port, source: "127.0.0.2")
            try other.send(Self.request)
            #expect(try other.readResponse().text == "hi")
            #expect(Date().timeIntervalSince(started) < 1, "another address is answered at once")
            #expect(held.count == 5)
        }
    }

    @Test func aHolderOfEveryConnectionItMayOpenLeavesRoomForOthers() async throws {
        // Defaults: the per-client share is an eighth of the total, so one address cannot fill it.
        try await withServer(config(timeout: 10, connections: 800), handler: Self.hello) { server in
            var held: [RawHTTPConnection] = []
            while held.count < 800, let connection = try? RawHTTPConnection(port: server.port, source: "127.0.0.1"),
                  !connection.isClosed(within: 0.05) {
                held.append(connection)
            }
            #expect(held.count == 100, "an eighth of 800")
            let started = Date()
            let other = try RawHTTPConnection(port: server.port, source: "127.0.0.3")
            try other.send(Self.request)
            #expect(try other.readResponse().text == "hi")
            #expect(Date().timeIntervalSince(started) < 1)
        }
    }

    @Test func limitsFollowTheOpenFileLimit() {
        #expect(ConnectionLimits().resolved(openFiles: 1_048_576) == (60_000, 7_500))
        #expect(ConnectionLimits().resolved(openFiles: 1024) == (512, 64))
        #expect(ConnectionLimits(connections: 100, perClientConnections: 500).resolved(openFiles: 1024) == (100, 100))
        #expect(ConnectionLimits.openFileLimit >= 1024)
    }
}
