import Foundation

/// The listening address, parsed from the configured host (IPv4 or IPv6 literal, `localhost`, or empty
/// for every IPv4 interface).
struct SocketAddress {
    private enum Storage {
        case v4(sockaddr_in)
        case v6(sockaddr_in6)
    }

    private let storage: Storage

    init(host: String, port: UInt16) throws {
        let literal = host == "localhost" ? "127.0.0.1" : (host.isEmpty || host == "*" ? "0.0.0.0" : host)
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, literal, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            storage = .v4(v4)
            return
        }
        let unbracketed = literal.hasPrefix("[") && literal.hasSuffix("]") ? String(literal.dropFirst().dropLast()) : literal
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET6, unbracketed, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
            storage = .v6(v6)
            return
        }
        throw HTTPServerError.invalidHost(host)
    }

    var isIPv6: Bool {
        if case .v6 = storage { return true }
        return false
    }

    /// Runs `body` with a pointer to the `sockaddr`, valid only during the call.
    func withSockaddr<Result>(_ body: (UnsafeMutableRawPointer) -> Result) -> Result {
        switch storage {
        case .v4(var address):
            return withUnsafeMutablePointer(to: &address) { body(UnsafeMutableRawPointer($0)) }
        case .v6(var address):
            return withUnsafeMutablePointer(to: &address) { body(UnsafeMutableRawPointer($0)) }
        }
    }
}
