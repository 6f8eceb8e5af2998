import Foundation
import HTTP
import Model
import Store
@testable import APIServer

/// Captures what the API server answers, without a network.
final class CapturingResponder: HTTPResponder, @unchecked Sendable {
    private let lock = NSLock()
    private var captured: HTTPResponse?
    private var capturedStream: CapturingStream?
    /// The status a streamed answer started with.
    private(set) var streamStatus: Int?
    private let done = DispatchSemaphore(value: 0)

    func respond(_ response: HTTPResponse) {
        lock.withLock { captured = response }
        done.signal()
    }

    func stream(status: Int, headers: [(String, String)]) -> any HTTPStream {
        let stream = CapturingStream()
        lock.withLock {
            capturedStream = stream
            streamStatus = status
        }
        done.signal()
        return stream
    }

    func wait() -> (HTTPResponse?, CapturingStream?) {
        done.wait()
        return lock.withLock { (captured, capturedStream) }
    }
}

/// A stream that records writes and can be "disconnected".
final class CapturingStream: HTTPStream, @unchecked Sendable {
    private let condition = NSCondition()
    private var data: [UInt8] = []
    private var open = true
    private var handlers: [@Sendable () -> Void] = []

    func write(_ bytes: [UInt8]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard open else { return false }
        data.append(contentsOf: bytes)
        condition.broadcast()
        return true
    }

    func close() {
        condition.lock()
        let wasOpen = open
        open = false
        let toRun = handlers
        handlers = []
        condition.broadcast()
        condition.unlock()
        if wasOpen { toRun.forEach { $0() } }
    }

    var isOpen: Bool { condition.withLock { open } }

    func onClose(_ handler: @escaping @Sendable () -> Void) {
        condition.lock()
        if open {
            handlers.append(handler)
            condition.unlock()
        } else {
            condition.unlock()
            handler()
        }
    }

    /// Everything written so far, as text.
    var rawText: String { condition.withLock { String(decoding: data, as: UTF8.self) } }

    /// Parsed events (non-empty lines) so far.
    var events: [JSONValue] {
        condition.withLock {
            String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
        }
    }

    /// Waits until at least `count` events arrived (or `seconds` passed) and returns them.
    func waitForEvents(_ count: Int, seconds: Double = 5) -> [JSONValue] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let now = events
            if now.count >= count || Date() > deadline { return now }
            condition.lock()
            _ = condition.wait(until: min(deadline, Date().addingTimeInterval(0.05)))
            condition.unlock()
        }
    }

    /// Waits until the stream has been closed.
    func waitClosed(seconds: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while open && Date() < deadline { _ = condition.wait(until: deadline) }
        return !open
    }
}

/// An API server over a MemoryStore, called directly.
struct APIHarness {
    let store: MemoryStore
    let server: APIServer

    init(authenticator: Authenticator = .allowAll, heartbeat: Double = 10) throws {
        store = MemoryStore()
        server = try APIServer(configuration: APIServerConfiguration(store: store, authenticator: authenticator,
                                                                     watchHeartbeatSeconds: heartbeat))
    }

    /// A server whose store remembers recent objects (`RecentObjectsStore`) over `store`; writes
    /// to `store` itself go behind that memory's back, as another server's would.
    init(rememberingOver store: MemoryStore) throws {
        self.store = store
        server = try APIServer(configuration: APIServerConfiguration(store: RecentObjectsStore(store)))
    }

    /// A server with a configuration of its own over `store`.
    init(store: MemoryStore, configuration: APIServerConfiguration) throws {
        self.store = store
        server = try APIServer(configuration: configuration)
    }

    /// Sends a request; returns status and parsed body.
    @discardableResult
    func call(_ method: String, _ path: String, query: [String: String] = [:], body: JSONValue? = nil,
              rawBody: String? = nil, headers: [String: String] = [:]) -> (status: Int, body: JSONValue) {
        let bytes = rawBody.map { Array($0.utf8) } ?? body?.serialized() ?? []
        let request = HTTPRequest(method: method, path: path, query: query,
                                  headers: Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value) }), body: bytes)
        let responder = CapturingResponder()
        server.handle(request, responder: responder)
        let (response, stream) = responder.wait()
        // A streamed answer (an unpaginated list) counts once its body has ended.
        if response == nil, let stream, stream.waitClosed(), let status = responder.streamStatus {
            return (status, (try? JSONValue.parse(stream.rawText)) ?? .string(stream.rawText))
        }
        guard let response else { return (0, .null) }
        return (response.status, (try? JSONValue.parse(response.body)) ?? .string(String(decoding: response.body, as: UTF8.self)))
    }

    /// Opens a watch and returns its stream.
    func watch(_ path: String, query: [String: String] = [:], headers: [String: String] = [:]) -> CapturingStream? {
        var q = query
        q["watch"] = "true"
        let request = HTTPRequest(method: "GET", path: path, query: q,
                                  headers: Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value) }))
        let responder = CapturingResponder()
        server.handle(request, responder: responder)
        return responder.wait().1
    }

    func shutdown() { server.shutdown() }
}

