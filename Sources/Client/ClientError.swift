import Foundation
import Model

/// A failure that is not the server's considered refusal (those are `StatusError`s).
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server could not be reached at all.
    case connectionFailed(server: String, reason: String)
    /// The server answered something that is not what the API promises.
    case invalidResponse(String)
    /// A watch started from a resourceVersion the server no longer has (410); relist and rewatch.
    case watchExpired(StatusError)
    /// The call itself was malformed (a namespaced resource without a namespace, an object without a name).
    case invalidRequest(String)
    /// The client's `RequestFence` refused the write (a leader whose term ended).
    case fenced(String)

    public var description: String {
        switch self {
        case .connectionFailed(let server, let reason):
            return "The connection to the server \(server) failed: \(reason). Is the server running?"
        case .invalidResponse(let message):
            return "The server sent an invalid response: \(message)."
        case .watchExpired(let status):
            return "The watch expired: \(status.message)."
        case .invalidRequest(let message):
            return "Invalid request: \(message)."
        case .fenced(let message):
            return "Not sent: \(message)."
        }
    }
}

extension StatusError {
    /// Decodes a `Status` object; fields it lacks are filled from the HTTP status, so any non-2xx
    /// answer becomes a usable error even when its body is not a Status.
    public static func decode(status json: JSONValue, httpStatus: Int) -> StatusError {
        let code = json["code"]?.int.map(Int.init) ?? httpStatus
        let reason = json["reason"]?.string ?? defaultReason(for: code)
        let message = json["message"]?.string ?? "the server responded with status \(code)"
        let details = json["details"]
        let causes = (details?["causes"]?.array ?? []).map { cause in
            StatusCause(reason: cause["reason"]?.string ?? "", message: cause["message"]?.string ?? "",
                        field: cause["field"]?.string ?? "")
        }
        return StatusError(code: code, reason: reason, message: message, name: details?["name"]?.string,
                           group: details?["group"]?.string, kind: details?["kind"]?.string,
                           uid: details?["uid"]?.string, causes: causes,
                           retryAfterSeconds: details?["retryAfterSeconds"]?.int.map(Int.init))
    }

    /// Decodes an error answer whose body may or may not be JSON.
    public static func decode(body: [UInt8], httpStatus: Int) -> StatusError {
        if let json = try? JSONValue.parse(body), json.object != nil {
            return decode(status: json, httpStatus: httpStatus)
        }
        var error = decode(status: .emptyObject, httpStatus: httpStatus)
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty { error.message = text }
        return error
    }

    /// The reason Kubernetes uses for a bare HTTP status.
    static func defaultReason(for code: Int) -> String {
        switch code {
        case 400: return "BadRequest"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 409: return "Conflict"
        case 410: return "Expired"
        case 413: return "RequestEntityTooLarge"
        case 415: return "UnsupportedMediaType"
        case 422: return "Invalid"
        case 429: return "TooManyRequests"
        case 503: return "ServiceUnavailable"
        case 504: return "Timeout"
        default: return code >= 500 ? "InternalError" : "Unknown"
        }
    }
}
