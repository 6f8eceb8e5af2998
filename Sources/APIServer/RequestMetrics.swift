import Foundation
import Logging
import HTTP
import Metrics

/// The API server's request metrics with upstream's names and labels (apiserver_request_total,
/// apiserver_request_duration_seconds, apiserver_current_inflight_requests,
/// apiserver_longrunning_requests), recorded by wrapping each request's responder.
enum RequestMetrics {
    static let labels = ["verb", "group", "version", "resource", "subresource", "scope", "component"]
    static let total = MetricsRegistry.shared.counter(
        "apiserver_request_total", "Counter of apiserver requests broken out for each verb, group, version, resource, scope, component, and HTTP response code.",
        labels: labels + ["code"])
    static let duration = MetricsRegistry.shared.histogram(
        "apiserver_request_duration_seconds", "Response latency distribution in seconds for each verb, group, version, resource, subresource, scope and component.",
        labels: labels, buckets: Histogram.requestLatencyBuckets)
    static let inflight = MetricsRegistry.shared.gauge(
        "apiserver_current_inflight_requests", "Maximal number of currently used inflight request limit of this apiserver per request kind.",
        labels: ["request_kind"])
    static let longRunning = MetricsRegistry.shared.gauge(
        "apiserver_longrunning_requests", "Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.",
        labels: labels)

    /// The label values of a request: the resource request's when it is one, else the method
    /// with empty resource labels (discovery, health, static files).
    static func values(method: String, target: ResourceRequest?) -> [String] {
        guard let target else { return [method == "HEAD" ? "GET" : method, "", "", "", "", "", "apiserver"] }
        let verb: String
        switch target.verb {
        case .get: verb = "GET"
        case .list: verb = "LIST"
        case .watch: verb = "WATCH"
        case .create: verb = "POST"
        case .update: verb = "PUT"
        case .patch: verb = method == "PATCH" ? "PATCH" : "APPLY"
        case .delete: verb = "DELETE"
        case .deletecollection: verb = "DELETECOLLECTION"
        }
        let scope = target.name != nil ? "resource" : (target.namespace != nil ? "namespace" : "cluster")
        return [verb, target.resource.group, target.resource.version, target.resource.plural, target.subresource ?? "", scope, "apiserver"]
    }
}

/// A responder that records the request's metrics when it answers: one count (with the code) and
/// the latency for a complete response; for a stream (watch, followed log) the count at its start
/// and the long-running gauge while it is open.
final class MeasuredResponder: HTTPResponder, @unchecked Sendable {
    /// Every request, once, at debug: verb, path (never the query or a header), status, latency.
    static let log = Logger("apiserver")
    private let inner: any HTTPResponder
    private let started = DispatchTime.now().uptimeNanoseconds
    private let method: String
    private let path: String
    private let kind: String
    /// Set by the router once the path is parsed.
    var target: ResourceRequest?
    private let lock = NSLock()
    private var answered = false

    init(_ inner: any HTTPResponder, method: String, path: String) {
        self.inner = inner
        self.method = method
        self.path = path
        kind = ["GET", "HEAD", "OPTIONS"].contains(method) ? "readOnly" : "mutating"
        RequestMetrics.inflight.add(1, kind)
    }

    /// Ends the in-flight count once, whichever way the request is answered.
    private func finish() -> Bool {
        let first = lock.withLock { () -> Bool in
            defer { answered = true }
            return !answered
        }
        if first { RequestMetrics.inflight.add(-1, kind) }
        return first
    }

    func respond(_ response: HTTPResponse) {
        if finish() {
            let values = RequestMetrics.values(method: method, target: target)
            RequestMetrics.total.inc(values + [String(response.status)])
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            RequestMetrics.duration.observe(seconds, values)
            logRequest(status: response.status, seconds: seconds)
        }
        inner.respond(response)
    }

    func stream(status: Int, headers: [(String, String)]) -> HTTPStream {
        let stream = inner.stream(status: status, headers: headers)
        if finish() {
            let values = RequestMetrics.values(method: method, target: target)
            RequestMetrics.total.inc(values + [String(status)])
            RequestMetrics.longRunning.add(1, values)
            stream.onClose { RequestMetrics.longRunning.add(-1, values) }
            logRequest(status: status, seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9, streaming: true)
        }
        return stream
    }

    private func logRequest(status: Int, seconds: Double, streaming: Bool = false) {
        guard Self.log.isEnabled(.debug) else { return }
        Self.log.debug(streaming ? "request streaming" : "request", ["verb": method, "path": path, "status": String(status),
                                                                      "latency": String(format: "%.3fms", seconds * 1000)])
    }
}
