import Foundation
import HTTP
import Metrics
import Model

/// The agent's log endpoint: `GET /logs/<namespace>/<pod>/<container>` with the pods/log query
/// (follow, tailLines, sinceSeconds, timestamps, previous, limitBytes), answered from the log
/// files as text/plain, chunked when following. Requires `Authorization: Bearer <token>` when a
/// token is configured (the API server proxies with the same shared token). `GET /stats/summary`
/// answers the usage sampler's summary as JSON, and `GET /metrics` the agent's Prometheus metrics,
/// authorized the same way.
final class LogServer: HTTPHandler, @unchecked Sendable {
    private let index: LogIndex
    private let paths: AgentPaths
    private let token: String?
    private let sampler: UsageSampler?
    private let now: @Sendable () -> Date
    /// How often a followed log is checked for new output.
    private let pollInterval: TimeInterval

    init(index: LogIndex, paths: AgentPaths, token: String?, sampler: UsageSampler? = nil, now: @escaping @Sendable () -> Date = { Date() },
         pollInterval: TimeInterval = 0.1) {
        self.index = index
        self.paths = paths
        self.token = token
        self.sampler = sampler
        self.now = now
        self.pollInterval = pollInterval
    }

    func handle(_ request: HTTPRequest, responder: any HTTPResponder) {
        if request.path == "/metrics" {
            guard token == nil || request.header("authorization") == "Bearer \(token ?? "")" else {
                return responder.respond(HTTPResponse(status: 401, headers: [("Content-Type", "text/plain")],
                                                      body: Array("Unauthorized: the metrics endpoint needs the agent token\n".utf8)))
            }
            return responder.respond(HTTPResponse(status: 200, headers: [("Content-Type", MetricsRegistry.contentType)],
                                                  body: Array(MetricsRegistry.shared.exposition().utf8)))
        }
        if request.path == "/stats/summary", let sampler {
            guard token == nil || request.header("authorization") == "Bearer \(token ?? "")" else {
                return responder.respond(HTTPResponse(status: 401, headers: [("Content-Type", "text/plain")],
                                                      body: Array("Unauthorized: the stats endpoint needs the agent token\n".utf8)))
            }
            return responder.respond(HTTPResponse(status: 200, headers: [("Content-Type", "application/json")],
                                                  body: sampler.summary().serialized()))
        }
        switch resolve(request) {
        case .failure(let error):
            responder.respond(HTTPResponse(status: error.code, headers: [("Content-Type", "text/plain")],
                                           body: Array((error.message + "\n").utf8)))
        case .success(let (options, path, namespace, pod, container, restart)):
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let modified = attributes?[.modificationDate] as? Date ?? now()
            let content = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
            let body = options.render(content, modified: modified, now: now())
            guard options.follow, !options.previous else {
                return responder.respond(HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: body))
            }
            let stream = responder.stream(status: 200, headers: [("Content-Type", "text/plain")])
            if !body.isEmpty { stream.write(body) }
            follow(stream, path: path, offset: content.count, sent: body.count, options: options,
                   stillRunning: { [index] in
                       let state = index.pod(namespace: namespace, name: pod)?.container(container)
                       return state?.running == true && state?.restart == restart
                   })
        }
    }

    private struct Failure: Error {
        var code: Int
        var message: String
    }

    /// The request's options and log file, or the error answer.
    private func resolve(_ request: HTTPRequest) -> Result<(LogRequest, String, String, String, String, Int), Failure> {
        if let token, request.header("authorization") != "Bearer \(token)" {
            return .failure(Failure(code: 401, message: "Unauthorized: the log endpoint needs the agent token"))
        }
        let parts = request.path.split(separator: "/").map(String.init)
        guard request.method == "GET", parts.count >= 3, parts.count <= 4, parts[0] == "logs" else {
            return .failure(Failure(code: 404, message: "Not found: use GET /logs/<namespace>/<pod>/<container>"))
        }
        let options: LogRequest
        do {
            options = try LogRequest(query: request.query)
        } catch {
            return .failure(Failure(code: 400, message: error.message))
        }
        let (namespace, name) = (parts[1], parts[2])
        guard let pod = index.pod(namespace: namespace, name: name) else {
            return .failure(Failure(code: 404, message: "pod \"\(name)\" in namespace \"\(namespace)\" does not run on this node"))
        }
        guard let container = parts.count == 4 ? parts[3] : options.container ?? (pod.containers.count == 1 ? pod.containers.first?.name : nil) else {
            let names = pod.containers.map(\.name).joined(separator: " ")
            return .failure(Failure(code: 400, message: "a container name must be specified for pod \(name), choose one of: [\(names)]"))
        }
        guard let state = pod.container(container) else {
            return .failure(Failure(code: 400, message: "container \(container) is not valid for pod \(name)"))
        }
        if options.previous, !state.hasPrevious {
            return .failure(Failure(code: 400, message: "previous terminated container \"\(container)\" in pod \"\(name)\" not found"))
        }
        let restart = options.previous ? state.restart - 1 : state.restart
        let path = paths.log(pod.uid, container: container, restart: restart)
        guard FileManager.default.fileExists(atPath: path) else {
            return .failure(Failure(code: 400, message: "container \"\(container)\" in pod \"\(name)\" is waiting to start"))
        }
        return .success((options, path, namespace, name, container, restart))
    }

    /// Sends what is appended to the file until the instance has ended and everything is sent, the
    /// client leaves, or limitBytes is reached.
    private func follow(_ stream: any HTTPStream, path: String, offset: Int, sent: Int, options: LogRequest,
                        stillRunning: @escaping @Sendable () -> Bool) {
        let interval = pollInterval
        let now = self.now
        Thread.detachNewThread {
            var offset = offset
            var sent = sent
            while stream.isOpen {
                let running = stillRunning()
                var chunk: [UInt8] = []
                if let handle = FileHandle(forReadingAtPath: path) {
                    try? handle.seek(toOffset: UInt64(offset))
                    chunk = [UInt8]((try? handle.readToEnd()) ?? Data())
                    try? handle.close()
                }
                if !chunk.isEmpty {
                    offset += chunk.count
                    var text = chunk
                    if options.timestamps {
                        let prefix = Array((Timestamp.format(now()) + " ").utf8)
                        text = LogRequest.lines(chunk).flatMap { prefix + $0 }
                    }
                    if let limit = options.limitBytes { text = Array(text.prefix(max(0, limit - sent))) }
                    sent += text.count
                    if !text.isEmpty, !stream.write(text) { break }
                    if let limit = options.limitBytes, sent >= limit { break }
                } else if !running {
                    break
                }
                Thread.sleep(forTimeInterval: interval)
            }
            stream.close()
        }
    }
}
