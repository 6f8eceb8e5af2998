import Model

/// A request as the raw escape hatch sends it.
public struct RawRequest: Sendable, Equatable {
    public var method: String
    /// Absolute path on the server, e.g. `/api/v1/namespaces/default/pods/web/log`.
    public var path: String
    /// Query parameters in order; values are percent-encoded on the way out.
    public var query: [(String, String)]
    /// Extra headers (Accept, Content-Type); the bearer token is added by the client.
    public var headers: [String: String]
    public var body: [UInt8]?

    public init(method: String = "GET", path: String, query: [(String, String)] = [], headers: [String: String] = [:],
                body: [UInt8]? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// A request carrying `json` as an `application/json` body (or the given patch Content-Type).
    public init(method: String, path: String, query: [(String, String)] = [], json: JSONValue,
                contentType: String = "application/json") {
        self.init(method: method, path: path, query: query,
                  headers: ["Content-Type": contentType, "Accept": "application/json"], body: json.serialized())
    }

    /// The value of a query parameter, if present.
    public func queryValue(_ name: String) -> String? { query.first { $0.0 == name }?.1 }

    /// A header by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    /// `path?k=v&…` with percent-encoded query values.
    public var pathWithQuery: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(PercentEncoding.encode($0.0))=\(PercentEncoding.encode($0.1))" }
            .joined(separator: "&")
    }

    public static func == (lhs: RawRequest, rhs: RawRequest) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.query.elementsEqual(rhs.query, by: ==)
            && lhs.headers == rhs.headers && lhs.body == rhs.body
    }
}

/// A complete answer to a raw request.
public struct RawResponse: Sendable, Equatable {
    public var status: Int
    /// Headers with lower-cased names.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response carrying `json` with `Content-Type: application/json`.
    public init(status: Int, json: JSONValue) {
        self.init(status: status, headers: ["content-type": "application/json"], body: json.serialized())
    }

    /// True for 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body as text (logs).
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Self when 2xx; otherwise the `StatusError` the body describes.
    public func checked() throws(StatusError) -> RawResponse {
        if isSuccess { return self }
        throw StatusError.decode(body: body, httpStatus: status)
    }

    /// The body parsed as JSON, or `ClientError.invalidResponse`.
    public func json() throws(ClientError) -> JSONValue {
        do {
            return try JSONValue.parse(body)
        } catch {
            throw ClientError.invalidResponse("the body is not JSON (\(error))")
        }
    }
}

/// RFC 3986 percent-encoding of query components: everything but unreserved characters.
enum PercentEncoding {
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
