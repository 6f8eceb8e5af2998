import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTP
import Testing

/// Echoes what the server parsed, one field per line, with the body last.
private let echoHandler: @Sendable (HTTPRequest, HTTPResponder) -> Void = { request, responder in
    let summary = "\(request.method) \(request.path) x-test=\(request.header("X-Test") ?? "-") body="
    responder.respond(HTTPResponse(status: 201, headers: [("X-Echo", request.method), ("Content-Type", "text/plain")],
                                   body: Array(summary.utf8) + request.body))
}

@Suite struct HTTPRequestResponseTests {
    @Test(arguments: ["GET", "POST", "PUT", "PATCH", "DELETE"])
    func methodRoundTripsWithHeadersAndBody(method: String) async throws {
        try await withServer(handler: echoHandler) { server in
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)/things/1")!)
            request.httpMethod = method
            request.setValue("hello", forHTTPHeaderField: "X-Test")
            let sendsBody = method != "GET"
            if sendsBody { request.httpBody = Data("payload".utf8) }
            let (data, response) = try await URLSession.shared.data(for: request)
            let http = try #require(response as? HTTPURLResponse)
            #expect(http.statusCode == 201)
            #expect(http.value(forHTTPHeaderField: "X-Echo") == method)
            let expectedBody = sendsBody ? "payload" : ""
            #expect(String(decoding: data, as: UTF8.self) == "\(method) /things/1 x-test=hello body=\(expectedBody)")
        }
    }

    @Test func pathAndQueryArePercentDecodedWithFirstValueWinning() async throws {
        let seen = Observed<HTTPRequest?>(nil)
        try await withServer(handler: { request, responder in
            seen.update { $0 = request }
            responder.respond(HTTPResponse(status: 204))
        }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("GET /a%20b/c%2Fd?name=two+words&x=%26y%3D&name=second&flag HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try connection.readResponse().status == 204)
        }
        let request = try #require(seen.value)
        #expect(request.path == "/a b/c/d")
        #expect(request.query == ["name": "two words", "x": "&y=", "flag": ""])
        #expect(request.headers["host"] == "t")
    }

    @Test func oneMebibyteBodyArrivesIntact() async throws {
        let body = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        try await withServer(handler: { request, responder in
            responder.respond(HTTPResponse(status: 200, body: request.body))
        }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\r\n")
            try connection.send(body)
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.body == body)
        }
    }

    @Test func bodyAnnouncedOverTheLimitGetsTooLargeWithoutCallingTheHandler() async throws {
        let calls = Observed(0)
        let configuration = HTTPServerConfiguration(workerThreads: 2, maxBodyBytes: 1024) { limit in
            HTTPResponse(status: 413, body: Array("limit \(limit)".utf8))
        }
        try await withServer(configuration, handler: { _, responder in
            calls.update { $0 += 1 }
            responder.respond(HTTPResponse(status: 200))
        }) { server in
            // Only the headers are sent: the answer must not wait for the announced body.
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("PUT /big HTTP/1.1\r\nHost: t\r\nContent-Length: 4096\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 413)
            #expect(response.text == "limit 1024")
        }
        #expect(calls.value == 0)
    }

    @Test func chunkedBodyOverTheLimitGetsTooLargeWithoutCallingTheHandler() async throws {
        let calls = Observed(0)
        let configuration = HTTPServerConfiguration(workerThreads: 2, maxBodyBytes: 1024) { _ in
            HTTPResponse(status: 413)
        }
        try await withServer(configuration, handler: { _, responder in
            calls.update { $0 += 1 }
            responder.respond(HTTPResponse(status: 200))
        }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("POST /big HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = String(repeating: "x", count: 800)
            try connection.send("320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n0\r\n\r\n")
            #expect(try connection.readResponse().status == 413)
        }
        #expect(calls.value == 0)
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        try await withServer(handler: { request, responder in
            responder.respond(HTTPResponse(status: 200, body: Array(request.path.utf8)))
        }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            for index in 1...3 {
                try connection.send("GET /request/\(index) HTTP/1.1\r\nHost: t\r\n\r\n")
                let response = try connection.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "/request/\(index)")
                #expect(response.headers["connection"]?.lowercased() != "close")
            }
            // Pipelined requests are answered in order too.
            try connection.send("GET /p/1 HTTP/1.1\r\nHost: t\r\n\r\nGET /p/2 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try connection.readResponse().text == "/p/1")
            #expect(try connection.readResponse().text == "/p/2")
        }
    }

    @Test func handlerRunsOnAWorkerAndMayRespondLaterFromAnotherThread() async throws {
        let handlerThread = Observed("")
        try await withServer(handler: { request, responder in
            let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            handlerThread.update { $0 = name }
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: 0.05)
                responder.respond(HTTPResponse(status: 202, body: Array("later".utf8)))
            }
        }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 202)
            #expect(response.text == "later")
        }
        #expect(handlerThread.value.hasPrefix("http-worker"))
    }

    @Test func onlyTheFirstAnswerCounts() async throws {
        try await withServer(handler: { _, responder in
            responder.respond(HTTPResponse(status: 200, body: Array("first".utf8)))
            responder.respond(HTTPResponse(status: 500))
            let stream = responder.stream(status: 200, headers: [])
            #expect(!stream.isOpen)
            #expect(!stream.write(Array("ignored".utf8)))
        }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try connection.readResponse().text == "first")
        }
    }
}
