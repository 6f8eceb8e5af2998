import Foundation
@testable import HTTP
import Testing

/// One client holding idle or half-sent connections must not lock the others out. Timeouts here are
/// longer than any client's receive timeout unless a test is about that timeout, so an answer proves
/// that no slot had to time out first.
@Suite(.serialized) struct ConnectionLimitTests {
    static let hello: @Sendable (HTTPRequest, HTTPResponder) -> Void = { _, responder in
        responder.respond(HTTPResponse(status: 200, body: Array("hi".utf8)))
    }
    static let request = "GET / HTTP/1.1\r\nHost: t\r\n\r\n"

    func config(header: Double = 30, idle: Double = 30, connections: Int? = nil, perClient: Int? = nil) -> HTTPServerConfiguration {
        HTTPServerConfiguration(workerThreads: 4, limits: ConnectionLimits(headerTimeoutSeconds: header, idleTimeoutSeconds: idle,
                                                                            connections: connections, perClientConnections: perClient))
    }

    /// A keep-alive connection that has had one request answered and now waits.
    func idleConnection(_ server: HTTPServer, from source: String) throws -> RawHTTPConnection {
        let connection = try RawHTTPConnection(port: server.port, receiveTimeoutSeconds: 5, source: source)
        try connection.send(Self.request)
        _ = try connection.readResponse()
        return connection
    }

    func isAnswered(_ server: HTTPServer, from source: String) -> Bool {
        guard let client = try? RawHTTPConnection(port: server.port, receiveTimeoutSeconds: 5, source: source),
              (try? client.send(Self.request)) != nil else { return false }
        return (try? client.readResponse().text) == "hi"
    }

    @Test func oneClientHoldingIdleAndHalfSentConnectionsDoesNotLockOthersOut() async throws {
        try await withServer(config(connections: 400), handler: Self.hello) { server in
            // Idle keep-alive, a partial request line, and nothing at all, until the server refuses more.
            var held: [RawHTTPConnection] = []
            while held.count < 400 {
                let connection = try RawHTTPConnection(port: server.port, receiveTimeoutSeconds: 5, source: "127.0.0.1")
                switch held.count % 3 {
                case 0: try? connection.send(Self.request); _ = try? connection.readResponse()
                case 1: try? connection.send("GET /slow")
                default: break
                }
                if connection.isClosed(within: 0.05) { break }
                held.append(connection)
            }
            #expect(held.count == 64, "the per-client share: an eighth of 400, at least 64")
            #expect(isAnswered(server, from: "127.0.0.2"))
            #expect(isAnswered(server, from: "127.0.0.3"))
            #expect(server.connectionStatistics.refusedPerClient >= 1)
            #expect(server.connectionStatistics.refusedAtLimit == 0)
        }
    }

    @Test func atTheTotalTheLongestIdleConnectionIsClosedToAdmitANewOne() async throws {
        try await withServer(config(connections: 40, perClient: 40), handler: Self.hello) { server in
            var held: [RawHTTPConnection] = []
            for _ in 0..<40 { held.append(try idleConnection(server, from: "127.0.0.1")) }
            #expect(isAnswered(server, from: "127.0.0.2"))
            #expect(held[0].isClosed(within: 5), "the longest-idle connection made room")
            try held[1].send(Self.request)
            #expect(try held[1].readResponse().text == "hi", "the others still serve")
            let statistics = server.connectionStatistics
            #expect(statistics.closedIdleForNew == 1)
            #expect(statistics.refusedAtLimit == 0)
        }
    }

    @Test func atTheTotalAConnectionWaitingOverASecondForItsHeadersMakesRoom() async throws {
        try await withServer(config(connections: 10, perClient: 10), handler: Self.hello) { server in
            var held: [RawHTTPConnection] = []
            for _ in 0..<10 { held.append(try RawHTTPConnection(port: server.port, source: "127.0.0.1")) }
            try await Task.sleep(for: .milliseconds(1500))
            #expect(isAnswered(server, from: "127.0.0.2"))
            #expect(held[0].isClosed(within: 5), "the one that waited longest")
            #expect(server.connectionStatistics.closedStalledForNew == 1)
        }
    }

    @Test func atTheTotalWithEveryConnectionBusyANewOneIsRefused() async throws {
        let streams = Observed<[HTTPStream]>([])
        let handler: @Sendable (HTTPRequest, HTTPResponder) -> Void = { _, responder in
            let stream = responder.stream(status: 200, headers: [])
            stream.write(Array("open\n".utf8))
            streams.update { $0.append(stream) }
        }
        try await withServer(config(connections: 4, perClient: 4), handler: handler) { server in
            var watchers: [RawHTTPConnection] = []
            for _ in 0..<4 {
                let watcher = try RawHTTPConnection(port: server.port, source: "127.0.0.1")
                try watcher.send(Self.request)
                _ = try watcher.readHead()
                #expect(try watcher.readChunk() == Array("open\n".utf8))
                watchers.append(watcher)
            }
            let newcomer = try RawHTTPConnection(port: server.port, source: "127.0.0.2")
            #expect(newcomer.isClosed(within: 5))
            #expect(server.connectionStatistics.refusedAtLimit == 1)
            #expect(streams.value.allSatisfy { $0.isOpen }, "no watch was cut to make room")
        }
    }

    @Test func partialHeadersAreClosedAfterTheHeaderTimeout() async throws {
        try await withServer(config(header: 1), handler: Self.hello) { server in
            let stalled = try RawHTTPConnection(port: server.port)
            try stalled.send("GET / HTTP/1.1\r\nHost: t\r\n")   // never the blank line
            let silent = try RawHTTPConnection(port: server.port)   // connected, sent nothing
            let keepAlive = try idleConnection(server, from: "127.0.0.1")
            try keepAlive.send("GET / HTTP/1.1\r\nHost: t\r\n")   // the next request stalls
            #expect(stalled.isClosed(within: 5))
            #expect(silent.isClosed(within: 5))
            #expect(keepAlive.isClosed(within: 5))
            #expect(server.connectionStatistics.headerTimeouts == 3)
        }
    }

    @Test func headersSentAByteAtATimeAreClosedAtTheHeaderDeadline() async throws {
        try await withServer(config(header: 1), handler: Self.hello) { server in
            let dripping = try RawHTTPConnection(port: server.port)
            var closed = false
            // Far longer than the header timeout, each byte well within it: activity does not extend a deadline.
            for byte in Array("GET / HTTP/1.1\r\nHost: t\r\nX-Slow: \(String(repeating: "a", count: 40))".utf8) {
                if (try? dripping.send([byte])) == nil || dripping.isClosed(within: 0.2) {
                    closed = true
                    break
                }
            }
            #expect(closed)
            #expect(server.connectionStatistics.headerTimeouts == 1)
        }
    }

    @Test func anIdleConnectionOutlivesTheHeaderTimeoutAndClosesAfterTheIdleTimeout() async throws {
        try await withServer(config(header: 1, idle: 3), handler: Self.hello) { server in
            let client = try idleConnection(server, from: "127.0.0.1")
            try await Task.sleep(for: .seconds(2))   // past the header timeout, within the idle one
            try client.send(Self.request)
            #expect(try client.readResponse().text == "hi")
            #expect(client.isClosed(within: 10))
            #expect(server.connectionStatistics.idleTimeouts == 1)
            #expect(server.connectionStatistics.headerTimeouts == 0)
        }
    }

    @Test func aWatchOrASlowHandlerOutlastsBothTimeouts() async throws {
        let handler: @Sendable (HTTPRequest, HTTPResponder) -> Void = { request, responder in
            if request.path == "/slow" {
                DispatchQueue.global().asyncAfter(deadline: .now() + 3) {
                    responder.respond(HTTPResponse(status: 200, body: Array("late".utf8)))
                }
                return
            }
            let stream = responder.stream(status: 200, headers: [])
            stream.write(Array("first\n".utf8))
            DispatchQueue.global().asyncAfter(deadline: .now() + 3) {
                stream.write(Array("second\n".utf8))
                stream.close()
            }
        }
        try await withServer(config(header: 1, idle: 1), handler: handler) { server in
            let watcher = try RawHTTPConnection(port: server.port)
            try watcher.send(Self.request)
            let slow = try RawHTTPConnection(port: server.port)
            try slow.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try watcher.readHead()
            #expect(try watcher.readChunk() == Array("first\n".utf8))
            #expect(try watcher.readChunk() == Array("second\n".utf8))
            #expect(try slow.readResponse().text == "late")
            #expect(server.connectionStatistics.headerTimeouts == 0)
            #expect(server.connectionStatistics.idleTimeouts == 0)
        }
    }

    @Test func thePerClientLimitRefusesTheFloodingAddressOnlyAndSaysSoOnce() async throws {
        let lines = Observed<[String]>([])
        let server = try HTTPServer(configuration: config(connections: 100, perClient: 5), handler: ClosureHandler(Self.hello),
                                    log: { line in lines.update { $0.append(line) } })
        defer { server.stop() }
        var held: [RawHTTPConnection] = []
        for _ in 0..<5 { held.append(try RawHTTPConnection(port: server.port, source: "127.0.0.1")) }
        for _ in 0..<20 {
            let refused = try RawHTTPConnection(port: server.port, source: "127.0.0.1")
            #expect(refused.isClosed(within: 2), "connections past the fifth from the holder are refused")
        }
        #expect(isAnswered(server, from: "127.0.0.2"), "another address is answered")
        #expect(held.count == 5)
        #expect(server.connectionStatistics.refusedPerClient == 20)
        let logged = lines.value.filter { $0.contains("per-client limit") }
        #expect(logged.count == 1, "one line for the flood, not one per connection: \(logged)")
        #expect(logged.first?.contains("127.0.0.1") == true)
    }

    @Test func limitsFollowTheOpenFileLimit() {
        let big = ConnectionLimits().resolved(openFiles: 1_048_576)
        #expect(big == .init(connections: 60_000, perClient: 7_500, daemon: 63_750))
        let small = ConnectionLimits().resolved(openFiles: 1024)
        #expect(small == .init(connections: 480, perClient: 64, daemon: 512))
        let asked = ConnectionLimits(connections: 100, perClientConnections: 500).resolved(openFiles: 1024)
        #expect(asked == .init(connections: 100, perClient: 100, daemon: 132))
        let tooMany = ConnectionLimits(connections: 5000).resolved(openFiles: 1024)
        #expect(tooMany.connections == 480, "never more than the descriptors allow")
        #expect(ConnectionLimits.openFileLimit >= 1024)
    }

    @Test func clientAddressesAreOneKeyWhicheverFamily() {
        var v4 = sockaddr_in()
        v4.sin_family = sa_family_t(AF_INET)
        v4.sin_addr.s_addr = inet_addr("10.1.2.3")
        var mapped = sockaddr_in6()
        mapped.sin6_family = sa_family_t(AF_INET6)
        inet_pton(AF_INET6, "::ffff:10.1.2.3", &mapped.sin6_addr)
        var v6 = sockaddr_in6()
        v6.sin6_family = sa_family_t(AF_INET6)
        inet_pton(AF_INET6, "2001:db8::1", &v6.sin6_addr)
        let a = withUnsafePointer(to: &v4) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { ClientAddress($0) } }
        let b = withUnsafePointer(to: &mapped) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { ClientAddress($0) } }
        let c = withUnsafePointer(to: &v6) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { ClientAddress($0) } }
        #expect(a == b)
        #expect(a.description == "10.1.2.3")
        #expect(c.description == "2001:db8::1")
        #expect(a != c)
    }
}
