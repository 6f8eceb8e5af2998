import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Model

/// `APIClient` over HTTP with URLSession: JSON bodies, bearer-token auth, Status bodies decoded into
/// `StatusError`, watches streamed through a data delegate (`bytes(for:)` does not exist on Linux).
public final class HTTPAPIClient: APIClient {
    /// The server's base URL without a trailing slash, e.g. `http://127.0.0.1:8080`.
    public let server: String
    /// Bearer token sent on every request; nil or empty sends no Authorization header.
    public let token: String?
    /// Idle timeout of ordinary requests, in seconds.
    public let requestTimeout: TimeInterval
    let session: URLSession
    /// Keep-alive sockets for ordinary requests to `http://` servers (nil: URLSession for everything).
    let transport: KeepAliveTransport?
    /// When set, every request (watches and streams too) goes through it instead of sockets.
    let custom: (any RequestTransport)?
    /// When set, asked before every write and its headers sent on every request.
    public let fence: (any RequestFence)?

    /// A client for `server` (`http://host:port`); throws when the URL is not usable.
    public init(server: String, token: String?, requestTimeout: TimeInterval = 60, fence: (any RequestFence)? = nil) throws(ClientError) {
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ClientError.invalidRequest("the server address \"\(server)\" is not an http:// or https:// URL")
        }
        self.server = base
        self.token = token
        self.requestTimeout = requestTimeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        // Controllers and the scheduler keep many requests in flight (binds); the default is 6.
        configuration.httpMaximumConnectionsPerHost = 32
        session = URLSession(configuration: configuration)
        transport = KeepAliveTransport(server: base)
        custom = nil
        self.fence = fence
    }

    /// A client whose requests all go through `transport` (`server` only names it in errors and
    /// in `server`): an in-process component's path to its own server.
    public init(server: String, token: String?, transport: any RequestTransport, requestTimeout: TimeInterval = 60,
                fence: (any RequestFence)? = nil) {
        self.server = server
        self.token = token
        self.requestTimeout = requestTimeout
        session = URLSession(configuration: .ephemeral)
        self.transport = nil
        custom = transport
        self.fence = fence
    }

    /// A client for the server and token of a CLI config.
    public convenience init(config: ClientConfig) throws(ClientError) {
        try self.init(server: config.server, token: config.token)
    }

    deinit { session.invalidateAndCancel() }

    public func raw(_ request: RawRequest) async throws -> RawResponse {
        if let fence, request.method != "GET" { try fence.check(method: request.method) }
        if let custom {
            return try await custom.send(TransportRequest(method: request.method, target: request.pathWithQuery,
                                                          headers: headerLines(request), body: request.body))
        }
        if let transport {
            do {
                let answer = try await transport.send(method: request.method, target: request.pathWithQuery,
                                                      headers: headerLines(request), body: request.body, timeout: requestTimeout)
                return RawResponse(status: answer.status, headers: answer.headers, body: answer.body)
            } catch let error as KeepAliveError {
                throw ClientError.connectionFailed(server: server, reason: error.description)
            }
        }
        let urlRequest = try makeURLRequest(request, timeout: requestTimeout)
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: urlRequest)
        } catch {
            throw translate(error)
        }
        guard let http = response as? HTTPURLResponse else {
            throw ClientError.invalidResponse("the answer to \(request.method) \(request.path) is not HTTP")
        }
        return RawResponse(status: http.statusCode, headers: Self.lowercasedHeaders(http), body: [UInt8](data))
    }

    /// The headers every request carries: the caller's, Accept (JSON unless given), the bearer
    /// token and the User-Agent.
    func headerLines(_ request: RawRequest) -> [(String, String)] {
        var lines = request.headers.map { ($0.key, $0.value) }
        if request.header("Accept") == nil { lines.append(("Accept", "application/json")) }
        if let token, !token.isEmpty { lines.append(("Authorization", "Bearer \(token)")) }
        lines.append(("User-Agent", "drover-client"))
        if let fence { lines += fence.headers }
        return lines
    }

    /// The URLRequest for `request`, with the bearer token and an idle timeout.
    func makeURLRequest(_ request: RawRequest, timeout: TimeInterval) throws(ClientError) -> URLRequest {
        guard let url = URL(string: server + request.pathWithQuery) else {
            throw ClientError.invalidRequest("\"\(request.path)\" does not make a valid URL with \(server)")
        }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in headerLines(request) { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if let body = request.body { urlRequest.httpBody = Data(body) }
        return urlRequest
    }

    /// Turns a URLSession failure into a `ClientError` that names the server; cancellation stays
    /// cancellation.
    func translate(_ error: any Error) -> any Error {
        if error is CancellationError { return error }
        guard let urlError = error as? URLError else {
            return ClientError.connectionFailed(server: server, reason: "\(error)")
        }
        let reason: String
        switch urlError.code {
        case .cancelled: return CancellationError()
        case .cannotConnectToHost: reason = "connection refused"
        case .cannotFindHost: reason = "the host name could not be resolved"
        case .timedOut: reason = "the request timed out"
        case .networkConnectionLost: reason = "the connection was lost"
        case .notConnectedToInternet: reason = "the network is unreachable"
        default: reason = "URL error \(urlError.code.rawValue)"
        }
        return ClientError.connectionFailed(server: server, reason: reason)
    }

    static func lowercasedHeaders(_ response: HTTPURLResponse) -> [String: String] {
        var headers: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
            headers[String(describing: name).lowercased()] = String(describing: value)
        }
        return headers
    }
}
