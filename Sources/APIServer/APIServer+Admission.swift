import Foundation
import HTTP
import Metrics
import Model

/// Overload protection at the door: every API request read from a socket takes a seat of its kind
/// (read-only, mutating, long-running) for its user before it is queued for a worker, and gets
/// 429 Too Many Requests with Retry-After when there is none (`RequestGate`). Requests of the
/// server's own in-process components (scheduler, controllers, `drover up`'s agent) never pass
/// here, like upstream's exempt priority level. Health, metrics and dashboard files are not limited.
extension APIServer {
    static let dropped = MetricsRegistry.shared.counter(
        "apiserver_dropped_requests_total", "Requests refused with 429 because their kind or their user had no free seat.",
        labels: ["request_kind"])

    public func admit(_ request: HTTPRequest) -> HTTPAdmission {
        guard let gate = requestGate, request.path.hasPrefix("/api") else { return .proceed(release: nil) }
        let kind = Self.admissionKind(request)
        // An unauthenticated request is answered 401 by the handler; it queues as "anonymous".
        let user = (try? config.authenticator.authenticate(authorization: request.header("authorization")))?.name ?? "anonymous"
        guard gate.enter(kind, user: user) else {
            Self.dropped.inc(kind == .mutating ? "mutating" : "readOnly")
            return .reject(Reply.status(StatusError.tooManyRequests()).httpResponse)
        }
        return .proceed(release: { gate.leave(kind, user: user) })
    }

    static func admissionKind(_ request: HTTPRequest) -> RequestGate.Kind {
        switch request.method {
        case "GET", "HEAD":
            if request.query["watch"] == "true" || request.query["watch"] == "1" { return .longRunning }
            if request.path.hasSuffix("/log"), request.query["follow"] == "true" { return .longRunning }
            return .readOnly
        default:
            return .mutating
        }
    }
}
