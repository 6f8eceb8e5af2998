import Foundation

/// A client's IP address as a hashable key: IPv4 addresses are kept as IPv4-mapped IPv6, so a client
/// is one key whichever way it connected. Anything that is not IP (never, for a TCP listener) is one
/// shared key.
struct ClientAddress: Hashable, CustomStringConvertible {
    private let high: UInt64
    private let low: UInt64

    private static let mappedPrefix: UInt64 = 0xffff_0000_0000

    init(_ address: UnsafePointer<sockaddr>?) {
        guard let address else {
            (high, low) = (0, 0)
            return
        }
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let v4 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in.self)
            (high, low) = (0, Self.mappedPrefix | UInt64(UInt32(bigEndian: v4.sin_addr.s_addr)))
        case AF_INET6:
            let v6 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in6.self)
            var bytes = v6.sin6_addr
            (high, low) = withUnsafeBytes(of: &bytes) { raw in
                (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                 UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
        default:
            (high, low) = (0, 0)
        }
    }

    /// `127.0.0.1`, `::1`; for log lines.
    var description: String {
        if high == 0, low >> 32 == 0xffff {
            let v4 = UInt32(truncatingIfNeeded: low)
            return "\(v4 >> 24).\(v4 >> 16 & 0xff).\(v4 >> 8 & 0xff).\(v4 & 0xff)"
        }
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { raw in
            raw.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
