import CMicroHTTPD

/// Turns answers into libmicrohttpd responses and queues them on a connection.
enum ResponseQueue {
    /// Bytes the stream reader may hand over per call.
    private static let streamBlockSize = 16 * 1024

    /// Queues a complete response; the body is copied, Content-Length is set by libmicrohttpd.
    static func queue(_ response: HTTPResponse, on connection: OpaquePointer) -> MHD_Result {
        let created = response.body.withUnsafeBytes { body in
            MHD_create_response_from_buffer(body.count, UnsafeMutableRawPointer(mutating: body.baseAddress),
                                            .RESPMEM_MUST_COPY)
        }
        guard let created else { return .NO }
        return queue(created, status: response.status, headers: response.headers, on: connection)
    }

    /// Queues a chunked response drained from the stream. libmicrohttpd owns one retain on the stream
    /// from here and calls `streamFreed` when done, even if queueing fails.
    static func queue(_ stream: ChunkedStream, on connection: OpaquePointer) -> MHD_Result {
        let context = Unmanaged.passRetained(stream).toOpaque()
        guard let created = MHD_create_response_from_callback(UInt64.max, streamBlockSize, streamReader,
                                                              context, streamFreed) else {
            Unmanaged<ChunkedStream>.fromOpaque(context).release()
            stream.finish()
            return .NO
        }
        return queue(created, status: stream.status, headers: stream.headers, on: connection)
    }

    private static func queue(_ response: OpaquePointer, status: Int, headers: [(String, String)],
                              on connection: OpaquePointer) -> MHD_Result {
        for (name, value) in headers where !isManagedByServer(name) {
            // A header libmicrohttpd refuses (a newline in the value, say) is left out.
            _ = MHD_add_response_header(response, name, value)
        }
        let code = (100...999).contains(status) ? UInt32(status) : 500
        let result = MHD_queue_response(connection, code, response)
        MHD_destroy_response(response)
        return result
    }

    /// Framing headers come from libmicrohttpd; copies from handlers would contradict them.
    private static func isManagedByServer(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered == "content-length" || lowered == "transfer-encoding"
    }
}
