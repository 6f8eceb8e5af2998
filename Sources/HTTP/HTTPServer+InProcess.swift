extension HTTPServer {
    /// Handles a request from a client in this process on the worker pool, as one over a socket
    /// would be: the same handler on the same threads, without the loopback connection. Answers
    /// 503 when the server is stopping.
    public func handleInProcess(_ request: HTTPRequest, responder: any HTTPResponder) {
        core.handleInProcess(request, responder: responder)
    }
}

extension ServerCore {
    func handleInProcess(_ request: HTTPRequest, responder: any HTTPResponder) {
        let handler = self.handler
        if !pool.submit({ handler.handle(request, responder: responder) }) {
            responder.respond(Self.stoppingResponse)
        }
    }
}

extension HTTPRequest {
    /// A request from its raw target (`/a%20b?x=1`: decoded as the server decodes one it reads)
    /// and header lines (names lower-cased, repeats joined with ", ").
    public init(method: String, target: String, headerLines: [(String, String)], body: [UInt8]) {
        let (path, query) = RequestTarget.parse(Array(target.utf8))
        var headers: [String: String] = [:]
        for (name, value) in headerLines { Self.add(name, value, to: &headers) }
        self.init(method: method, path: path, query: query, headers: headers, body: body)
    }

    /// Adds a header as the server keeps them: the name lower-cased, a repeat joined with ", ".
    static func add(_ name: String, _ value: String, to headers: inout [String: String]) {
        let key = name.lowercased()
        headers[key] = headers[key].map { $0 + ", " + value } ?? value
    }
}
