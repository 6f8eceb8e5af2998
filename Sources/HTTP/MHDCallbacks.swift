import CMicroHTTPD
import Foundation

// Every C callback libmicrohttpd calls, as capture-free closures. Context pointers carry a retained
// `ServerCore` (the daemon's), a retained `TrackedConnection` (per TCP connection, released when it
// closes), a retained `ConnectionState` (per request, released on completion) and a retained
// `ChunkedStream` (per streamed response, released when libmicrohttpd frees it).

private func core(_ context: UnsafeMutableRawPointer?) -> ServerCore? {
    context.map { Unmanaged<ServerCore>.fromOpaque($0).takeUnretainedValue() }
}

/// Called with the raw request target before libmicrohttpd decodes it; the returned pointer becomes the
/// request's `con_cls`.
let beginRequest: drover_mhd_uri_logger = { context, uri, connection in
    guard let connection else { return nil }
    let tracked = drover_mhd_socket_context(connection).map {
        Unmanaged<TrackedConnection>.fromOpaque($0).takeUnretainedValue()
    }
    if let tracked { core(context)?.tracker.requestLineArrived(tracked) }
    let state = ConnectionState(connection: connection, target: uri, tracked: tracked)
    return Unmanaged.passRetained(state).toOpaque()
}

/// The accept policy: refuses an address that already holds its share of connections.
let acceptPolicy: MHD_AcceptPolicyCallback = { context, address, _ in
    guard let core = core(context) else { return .YES }
    return core.tracker.admits(ClientAddress(address)) ? .YES : .NO
}

/// A TCP connection was accepted or has closed (the latter before libmicrohttpd closes its descriptor).
let connectionNotified: MHD_NotifyConnectionCallback = { context, connection, socketContext, event in
    guard let core = core(context), let connection, let socketContext else { return }
    if event == .CONNECTION_NOTIFY_STARTED {
        let tracked = core.tracker.opened(socket: drover_mhd_connection_socket(connection),
                                          address: ClientAddress(drover_mhd_client_address(connection)))
        socketContext.pointee = Unmanaged.passRetained(tracked).toOpaque()
    } else if event == .CONNECTION_NOTIFY_CLOSED, let stored = socketContext.pointee {
        socketContext.pointee = nil
        core.tracker.closed(Unmanaged<TrackedConnection>.fromOpaque(stored).takeRetainedValue())
    }
}

let accessHandler: MHD_AccessHandlerCallback = { context, _, _, method, version, uploadData, uploadSize, requestContext in
    guard let core = core(context), let uploadSize, let stored = requestContext?.pointee else {
        return .NO
    }
    let state = Unmanaged<ConnectionState>.fromOpaque(stored).takeUnretainedValue()
    let methodName = method.map { String(cString: $0) } ?? "GET"
    if state.phase == .awaitingHeaders {
        state.recoverTargetCutAtNUL(version: version)
    }
    return core.handleAccess(state, method: methodName, uploadData: uploadData, uploadSize: uploadSize)
}

/// Fires for every request that reached `beginRequest`, also when the client aborted or timed out.
let requestCompleted: MHD_RequestCompletedCallback = { context, _, requestContext, _ in
    guard let requestContext, let stored = requestContext.pointee else { return }
    requestContext.pointee = nil
    let state = Unmanaged<ConnectionState>.fromOpaque(stored).takeRetainedValue()
    if let tracked = state.tracked { core(context)?.tracker.requestCompleted(tracked) }
    core(context)?.unregisterWaiting(state)
    state.complete()?.finish()
    state.release?()
    state.release = nil
}

let streamReader: MHD_ContentReaderCallback = { context, _, buffer, capacity in
    guard let context, let buffer else { return MHD_CONTENT_READER_END_WITH_ERROR }
    let stream = Unmanaged<ChunkedStream>.fromOpaque(context).takeUnretainedValue()
    return stream.read(into: buffer, capacity: capacity)
}

let streamFreed: MHD_ContentReaderFreeCallback = { context in
    guard let context else { return }
    Unmanaged<ChunkedStream>.fromOpaque(context).takeRetainedValue().finish()
}

let daemonLogger: drover_mhd_logger = { context, format, arguments in
    guard let core = core(context), let format, let arguments else { return }
    var buffer = [CChar](repeating: 0, count: 1024)
    let written = vsnprintf(&buffer, buffer.count, format, arguments)
    let length = min(max(0, Int(written)), buffer.count - 1)
    core.logFromDaemon(String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
}

/// Collects request headers into the `[String: String]` behind `context`: lower-cased names, repeated
/// headers joined with ", ".
let collectHeader: MHD_KeyValueIterator = { context, _, key, value in
    guard let context, let key else { return .YES }
    let headers = context.assumingMemoryBound(to: [String: String].self)
    HTTPRequest.add(String(cString: key), value.map { String(cString: $0) } ?? "", to: &headers.pointee)
    return .YES
}
