import Foundation
import HTTP
import Testing

/// A handler that answers `/inline` on the I/O thread and everything else on a worker.
struct InlineHandler: HTTPHandler {
    let threads: Observed<[String: String]>
    func answersInline(_ request: HTTPRequest) -> Bool { request.path.hasPrefix("/inline") }
    func handle(_ request: HTTPRequest, responder: any HTTPResponder) {
        let name = ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        threads.update { $0[request.path] = name }
        if request.path == "/inline/forgetful" { return }  // a buggy inline handler that never answers
        responder.respond(HTTPResponse(status: 200, body: Array(request.path.utf8)))
    }
}

@Suite struct InlineAnswerTests {
    @Test func inlineRequestsAreAnsweredOnTheIOThreadAndOthersOnWorkers() throws {
        let threads = Observed([String: String]())
        let server = try HTTPServer(configuration: HTTPServerConfiguration(workerThreads: 2), handler: InlineHandler(threads: threads), log: quietLog)
        defer { server.stop() }
        let connection = try RawHTTPConnection(port: server.port)
        for path in ["/inline/a", "/worker", "/inline/b"] {
            try connection.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.text == path)
        }
        #expect(threads.value["/worker"]?.hasPrefix("http-worker") == true)
        #expect(threads.value["/inline/a"]?.hasPrefix("http-worker") == false)
    }

    @Test func anInlineHandlerThatDoesNotAnswerGetsA500NotAHang() throws {
        let server = try HTTPServer(configuration: HTTPServerConfiguration(workerThreads: 2),
                                    handler: InlineHandler(threads: Observed([:])), log: quietLog)
        defer { server.stop() }
        let connection = try RawHTTPConnection(port: server.port)
        try connection.send("GET /inline/forgetful HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try connection.readResponse().status == 500)
    }
}
