import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTP
import Model
import Store

extension APIServer {
    /// The node annotation where an agent publishes its log endpoint's URL.
    static let logEndpointAnnotation = "drover.dev/log-endpoint"
    /// The query parameters of pods/log passed on to the agent.
    static let logParameters = ["container", "follow", "tailLines", "sinceSeconds", "timestamps", "previous", "limitBytes"]

    /// GET pods/NAME/log: proxied to the log endpoint of the agent on the pod's node, with the
    /// same parameters and the shared agent token; followed logs stream through as they come.
    func proxyLogs(_ context: RequestContext, responder: any HTTPResponder) throws(StatusError) {
        let name = context.target.name ?? ""
        let namespace = context.target.namespace ?? "default"
        let pod = try parse(load(context))
        guard let nodeName = pod.value(at: ["spec", "nodeName"])?.string, !nodeName.isEmpty else {
            throw .badRequest("pod \(name) is not bound to a node yet, so it has no logs")
        }
        let nodeKey = ObjectKey(resource: ResourceCatalog.nodes.storageName, namespace: "", name: nodeName)
        let node = try parse(withStore(ResourceCatalog.nodes, nodeName) { () throws(StoreError) in try store.get(nodeKey) })
        guard let endpoint = node.value(at: ["metadata", "annotations", Self.logEndpointAnnotation])?.string,
              var components = URLComponents(string: endpoint) else {
            throw .serviceUnavailable("node \(nodeName) does not publish a log endpoint (annotation \(Self.logEndpointAnnotation))")
        }
        components.path = "/logs/\(namespace)/\(name)"
        components.queryItems = Self.logParameters.compactMap { key in context.query[key].map { URLQueryItem(name: key, value: $0) } }
        guard let url = components.url else { throw .internalError("the log endpoint \(endpoint) of node \(nodeName) is not a URL") }
        var request = URLRequest(url: url, timeout: context.query["follow"] == "true" ? 24 * 3600 : 60)
        if let token = config.agentToken { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let delegate = LogProxyDelegate(responder: responder, follow: context.query["follow"] == "true", nodeName: nodeName)
        let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
        let task = session.dataTask(with: request)
        delegate.task = task
        task.resume()
    }
}

private extension URLRequest {
    init(url: URL, timeout: TimeInterval) {
        self.init(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
    }
}

/// Relays an agent's log answer: a followed 200 streams chunk by chunk, anything else is
/// collected and answered at once (an agent error becomes a Status with the agent's message).
final class LogProxyDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let responder: any HTTPResponder
    private let follow: Bool
    private let nodeName: String
    private let lock = NSLock()
    private var status = 0
    private var body: [UInt8] = []
    private var stream: (any HTTPStream)?
    private var answered = false
    weak var task: URLSessionDataTask?

    init(responder: any HTTPResponder, follow: Bool, nodeName: String) {
        self.responder = responder
        self.follow = follow
        self.nodeName = nodeName
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        lock.withLock {
            status = code
            if follow, code == 200 {
                let opened = responder.stream(status: 200, headers: [("Content-Type", "text/plain")])
                opened.onClose { [weak dataTask] in dataTask?.cancel() }
                stream = opened
                answered = true
            }
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let open = lock.withLock { () -> Bool in
            if let stream { return stream.write([UInt8](data)) }
            body.append(contentsOf: data)
            return true
        }
        if !open { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let reply = lock.withLock { () -> HTTPResponse? in
            if let stream {
                stream.close()
                return nil
            }
            guard !answered else { return nil }
            answered = true
            if let error {
                let status = StatusError.serviceUnavailable("the agent on node \(nodeName) cannot be reached: \(error.localizedDescription)")
                return HTTPResponse(status: 503, headers: [("Content-Type", "application/json")], body: status.statusObject.serialized())
            }
            if status == 200 { return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: body) }
            let message = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let code = status == 401 ? 503 : status
            let reason = [400: "BadRequest", 404: "NotFound", 503: "ServiceUnavailable"][code] ?? "InternalError"
            let refusal = StatusError(code: code, reason: reason,
                                      message: status == 401 ? "the agent on node \(nodeName) refused the API server's agent token" : message)
            return HTTPResponse(status: code, headers: [("Content-Type", "application/json")], body: refusal.statusObject.serialized())
        }
        if let reply { responder.respond(reply) }
        session.finishTasksAndInvalidate()
    }
}
