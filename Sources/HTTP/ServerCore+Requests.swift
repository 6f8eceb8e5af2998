import Foundation
import CMicroHTTPD

/// The access handler's work, one call at a time on the MHD thread that owns the connection.
///
/// libmicrohttpd calls it once when the headers are in, once per body chunk, and once more when the
/// body is complete (and again after every resume). The complete request goes to a worker while the
/// connection stays suspended; `ConnectionState.deliver` resumes it and the next call queues the answer.
extension ServerCore {
    func handleAccess(_ state: ConnectionState, method: String,
                      uploadData: UnsafePointer<CChar>?, uploadSize: UnsafeMutablePointer<Int>) -> MHD_Result {
        let chunkSize = uploadSize.pointee
        switch state.phase {
        case .awaitingHeaders:
            if let tracked = state.tracked { tracker.headersArrived(tracked) }
            return startRequest(state)
        case .readingBody where chunkSize > 0:
            uploadSize.pointee = 0
            guard state.body.count + chunkSize <= configuration.maxBodyBytes else {
                // Without a Content-Length the limit shows only now; responses cannot be queued
                // mid-body, so drop the rest and answer once it is in.
                state.body = []
                state.phase = .discardingBody
                return .YES
            }
            if let uploadData {
                state.body.append(contentsOf: UnsafeRawBufferPointer(start: uploadData, count: chunkSize))
            }
            return .YES
        case .readingBody:
            return dispatch(state, method: method)
        case .discardingBody where chunkSize > 0:
            uploadSize.pointee = 0
            return .YES
        case .discardingBody:
            return answer(state, with: .full(configuration.tooLargeResponse(configuration.maxBodyBytes)))
        case .dispatched:
            guard let answer = state.takeAnswerOrSuspend() else { return .YES }
            return self.answer(state, with: answer)
        case .answered:
            // libmicrohttpd does not call again after a response is queued; refuse if it ever does.
            return .NO
        }
    }

    /// First call: headers are complete. A Content-Length over the limit is refused before any of the
    /// body is read (libmicrohttpd then closes the connection after the response).
    private func startRequest(_ state: ConnectionState) -> MHD_Result {
        let limit = configuration.maxBodyBytes
        if let announced = announcedContentLength(state.connection) {
            if announced > UInt64(limit) {
                return answer(state, with: .full(configuration.tooLargeResponse(limit)))
            }
            // Reserve for typical bodies only, so announcing a large body costs nothing until sent.
            state.body.reserveCapacity(Int(min(announced, 1 << 20)))
        }
        state.phase = .readingBody
        return .YES
    }

    /// The body is complete: hand the request to a worker and suspend the connection until it answers.
    private func dispatch(_ state: ConnectionState, method: String) -> MHD_Result {
        let request = makeRequest(state, method: method)
        state.phase = .dispatched
        switch handler.admit(request) {
        case .reject(let response):
            return answer(state, with: .full(response))
        case .proceed(let release):
            state.release = release
        }
        guard registerWaiting(state) else {
            return answer(state, with: .full(Self.stoppingResponse))
        }
        if handler.answersInline(request) {
            let inline = InlineResponder(connection: state.connection, core: self)
            handler.handle(request, responder: inline)
            return answer(state, with: .full(inline.response ?? Self.inlineMisuseResponse))
        }
        if let early = state.takeAnswerOrSuspend() {
            // `stop` answered it between registering and suspending.
            return answer(state, with: early)
        }
        let handler = self.handler
        let responder = ConnectionResponder(state: state, core: self)
        let accepted = pool.submit {
            handler.handle(request, responder: responder)
        }
        if !accepted {
            _ = state.deliver(.full(Self.stoppingResponse))
        }
        return .YES
    }

    /// Queues the answer with libmicrohttpd.
    private func answer(_ state: ConnectionState, with answer: ConnectionState.Answer) -> MHD_Result {
        state.phase = .answered
        unregisterWaiting(state)
        switch answer {
        case .full(let response):
            return ResponseQueue.queue(response, on: state.connection)
        case .stream(let stream):
            return ResponseQueue.queue(stream, on: state.connection)
        }
    }

    private func makeRequest(_ state: ConnectionState, method: String) -> HTTPRequest {
        let (path, query) = RequestTarget.parse(state.rawTarget)
        var headers: [String: String] = [:]
        withUnsafeMutablePointer(to: &headers) { headers in
            _ = MHD_get_connection_values(state.connection, .HEADER_KIND, collectHeader, headers)
        }
        let body = state.body
        state.body = []
        return HTTPRequest(method: method, path: path, query: query, headers: headers, body: body)
    }

    private func announcedContentLength(_ connection: OpaquePointer) -> UInt64? {
        guard let value = MHD_lookup_connection_value(connection, .HEADER_KIND, "Content-Length") else {
            return nil
        }
        // Spaces and tabs trimmed by hand: Foundation's trimmingCharacters bridges through NSString.
        var text = Substring(String(cString: value))
        while let c = text.first, c == " " || c == "\t" { text = text.dropFirst() }
        while let c = text.last, c == " " || c == "\t" { text = text.dropLast() }
        return UInt64(text)
    }
}
