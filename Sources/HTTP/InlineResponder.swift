/// Collects the answer of a handler that runs on the I/O thread (`HTTPHandler.answersInline`).
final class InlineResponder: HTTPResponder, @unchecked Sendable {
    private let connection: OpaquePointer
    private let core: ServerCore
    private(set) var response: HTTPResponse?

    init(connection: OpaquePointer, core: ServerCore) {
        self.connection = connection
        self.core = core
    }

    func respond(_ response: HTTPResponse) {
        if self.response == nil { self.response = response }
    }

    /// Streams cannot be answered inline: the stream comes back already finished and the request
    /// gets `ServerCore.inlineMisuseResponse`.
    func stream(status: Int, headers: [(String, String)]) -> any HTTPStream {
        let stream = ChunkedStream(connection: connection, registry: core, status: status, headers: headers)
        stream.finish()
        return stream
    }
}
