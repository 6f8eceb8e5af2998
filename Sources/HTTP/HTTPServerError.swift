/// Why an `HTTPServer` could not start.
public enum HTTPServerError: Error, CustomStringConvertible, Sendable {
    /// The configured host is not an IPv4 or IPv6 address literal (or `localhost`).
    case invalidHost(String)
    /// libmicrohttpd could not listen on the address; `reason` is its last log message, if any.
    case cannotListen(host: String, port: UInt16, reason: String)

    public var description: String {
        switch self {
        case .invalidHost(let host):
            return "The HTTP server cannot bind to host '\(host)': it is not an IPv4 or IPv6 address."
        case .cannotListen(let host, let port, let reason):
            let detail = reason.isEmpty ? "" : " (\(reason))"
            return "The HTTP server could not listen on \(host):\(port); is the address already in use?\(detail)"
        }
    }
}
