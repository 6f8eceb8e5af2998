// Usage: hello [port] [ioThreads] [workerThreads]; then `wrk -t2 -c50 -d5s http://127.0.0.1:PORT/hello`.
import Foundation
import HTTP

struct HelloHandler: HTTPHandler {
    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        responder.respond(HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")],
                                       body: Array("hello\n".utf8)))
    }
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let configuration = HTTPServerConfiguration(
    port: UInt16(arguments.first ?? 8080),
    ioThreads: arguments.count > 1 ? arguments[1] : 2,
    workerThreads: arguments.count > 2 ? arguments[2] : 32)
let server = try HTTPServer(configuration: configuration, handler: HelloHandler())
print("listening on 127.0.0.1:\(server.port)")
while true { sleep(3600) }
