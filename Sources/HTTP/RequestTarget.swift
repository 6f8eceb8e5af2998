/// Splits a raw request target (`/a%20b?x=1&y=two+words`) into a decoded path and query parameters.
///
/// libmicrohttpd decodes the path itself but neither turns `+` into a space in query values nor keeps
/// the raw target, so the server takes the raw target from the URI log callback and decodes it here.
enum RequestTarget {
    /// The percent-decoded path (never empty) and the query parameters (first value wins).
    static func parse(_ raw: [UInt8]) -> (path: String, query: [String: String]) {
        var target = raw[...]
        if let hash = target.firstIndex(of: UInt8(ascii: "#")) {
            target = target[..<hash]
        }
        target = stripSchemeAndAuthority(target)
        let questionMark = target.firstIndex(of: UInt8(ascii: "?"))
        let rawPath = questionMark.map { target[..<$0] } ?? target
        let path = percentDecode(rawPath, plusAsSpace: false)
        guard let questionMark else { return (path.isEmpty ? "/" : path, [:]) }
        return (path.isEmpty ? "/" : path, parseQuery(target[(questionMark + 1)...]))
    }

    /// `key=value&key2=value2` with `+` as space; a key without `=` gets an empty value.
    static func parseQuery(_ raw: ArraySlice<UInt8>) -> [String: String] {
        var query: [String: String] = [:]
        for pair in raw.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            let key = percentDecode(equals.map { pair[..<$0] } ?? pair, plusAsSpace: true)
            let value = equals.map { percentDecode(pair[($0 + 1)...], plusAsSpace: true) } ?? ""
            if query[key] == nil {
                query[key] = value
            }
        }
        return query
    }

    /// Decodes `%XX` escapes (malformed ones are kept as they are) and invalid UTF-8 is repaired.
    static func percentDecode(_ bytes: ArraySlice<UInt8>, plusAsSpace: Bool) -> String {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                decoded.append(high << 4 | low)
                index += 3
                continue
            }
            decoded.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// An absolute-form target (`http://host/path`) keeps only its path.
    private static func stripSchemeAndAuthority(_ target: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard target.first != UInt8(ascii: "/"),
              let colon = target.firstIndex(of: UInt8(ascii: ":")),
              target[(colon + 1)...].starts(with: "//".utf8) else { return target }
        let authority = target[(colon + 3)...]
        guard let slash = authority.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) else {
            return []
        }
        return target[slash...]
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
