import Foundation
import HTTP
import Model
import Store

/// The Kubernetes-shaped API server: routes HTTP requests to discovery, OpenAPI, static files and
/// the resource handlers, authenticates and authorizes them, and answers every error with a
/// Kubernetes Status object. Runs handlers on the HTTP worker threads (they may block on the store).
public final class APIServer: HTTPHandler, @unchecked Sendable {
    let config: APIServerConfiguration
    var store: any ObjectStore { config.store }
    let hub: WatchHub
    private let compactor: Compactor
    let eventExpiry: EventExpiry
    let namespaceCleaner: NamespaceCleaner
    private let staticFiles: StaticFiles?
    /// Polls agents for metrics.k8s.io; nil when disabled.
    let metricsScraper: MetricsScraper?
    /// The named checks of `/livez` and `/readyz` (the process adds its own: informers, leader).
    public let healthChecks = HealthChecks()
    /// Overload protection; nil when unlimited.
    let requestGate: RequestGate?
    /// Lease holders as fenced writes last saw them.
    let leaderHolders = LeaderHolderCache()

    /// The namespaces every server makes sure exist, which may not be deleted.
    static let systemNamespaces = ["default", "kube-system", NodeLease.namespace]

    /// Creates the server, making sure the system namespaces exist, and starts
    /// the watch hub, the history compactor and event expiry.
    public init(configuration: APIServerConfiguration) throws {
        self.config = configuration
        self.hub = try WatchHub(store: configuration.store, heartbeatSeconds: configuration.watchHeartbeatSeconds, clock: configuration.clock)
        self.compactor = Compactor(store: configuration.store, windowSeconds: configuration.historyWindowSeconds)
        self.eventExpiry = EventExpiry(store: configuration.store, ttlSeconds: configuration.eventTTLSeconds, clock: configuration.clock)
        self.namespaceCleaner = NamespaceCleaner(store: configuration.store, clock: configuration.clock)
        self.staticFiles = configuration.webDirectory.map(StaticFiles.init(directory:))
        self.requestGate = configuration.requestLimits == .none ? nil : RequestGate(limits: configuration.requestLimits)
        self.metricsScraper = configuration.metricsScrapeInterval.map {
            MetricsScraper(store: configuration.store, token: configuration.agentToken, interval: $0)
        }
        try bootstrapNamespaces()
        addStandardHealthChecks()
        namespaceCleaner.resumePending()
        metricsScraper?.start()
    }

    /// Stops background work and ends open watches.
    public func shutdown() {
        hub.stop()
        compactor.stop()
        eventExpiry.stop()
        metricsScraper?.stop()
    }

    /// Single-object reads are one short store lookup: answered on the I/O thread, they skip two
    /// thread hand-offs (the difference between ~7k and over 10k GETs/s on two cores).
    public func answersInline(_ request: HTTPRequest) -> Bool {
        guard request.method == "GET" else { return false }
        switch request.path {
        case "/healthz", "/livez", "/version": return true
        default: break
        }
        guard let target = ResourceRequest.parse(method: request.method, path: request.path, query: request.query) else { return false }
        return target.verb == .get && target.subresource != "log"
    }

    public func handle(_ request: HTTPRequest, responder: any HTTPResponder) {
        let measured = MeasuredResponder(responder, method: request.method, path: request.path)
        do {
            try route(request, responder: measured)
        } catch {
            measured.respond(Reply.status(error).httpResponse)
        }
    }

    private func route(_ request: HTTPRequest, responder: MeasuredResponder) throws(StatusError) {
        let path = request.path
        switch path {
        case "/healthz":
            return responder.respond(HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: Array("ok".utf8)))
        case "/version":
            return responder.respond(Reply.object(200, Discovery.version(gitVersion: config.version)).httpResponse)
        case "/metrics":
            return responder.respond(try metricsExposition(request))
        default: break
        }
        if path.hasPrefix("/livez") || path.hasPrefix("/readyz"), let answer = healthChecks.response(path: path, query: request.query) {
            return responder.respond(answer)
        }
        if !isAPIPath(path) {
            guard let staticFiles, request.method == "GET" || request.method == "HEAD" else { throw .pathNotFound() }
            return responder.respond(staticFiles.response(for: path))
        }
        let user = try config.authenticator.authenticate(authorization: request.header("authorization"))
        if let reply = try discoveryReply(request) {
            return responder.respond(reply.httpResponse)
        }
        if let reply = try metricsReply(request) { return responder.respond(reply.httpResponse) }
        if let reply = try visibilityReply(request) { return responder.respond(reply.httpResponse) }
        if path == Self.bindingListPath { return responder.respond(try bindingList(request, user: user).httpResponse) }
        guard let resourceRequest = ResourceRequest.parse(method: request.method, path: path, query: request.query) else {
            throw .pathNotFound()
        }
        responder.target = resourceRequest
        if resourceRequest.verb.isWrite, user.role != .admin {
            throw .forbidden(user: user.name, verb: resourceRequest.verb.rawValue, resource: resourceRequest.resource.plural,
                             group: resourceRequest.resource.group, namespace: resourceRequest.namespace)
        }
        if resourceRequest.verb.isWrite, let fence = Self.leaderFence(request) { try checkLeaderFence(fence) }
        let context = RequestContext(request: request, target: resourceRequest, now: config.clock())
        if resourceRequest.verb == .watch {
            return try watch(context, responder: responder)
        }
        if resourceRequest.verb == .get, resourceRequest.subresource == "log" {
            return try proxyLogs(context, responder: responder)
        }
        if resourceRequest.verb == .list, try streamListIfUnpaginated(context, responder: responder) { return }
        responder.respond(try perform(context).httpResponse)
    }

    /// Drover's batch binding endpoint: POST only, for writers.
    private func bindingList(_ request: HTTPRequest, user: User) throws(StatusError) -> Reply {
        guard request.method == "POST" else {
            throw .methodNotSupported("the server does not allow this method on the requested resource")
        }
        guard user.role == .admin else {
            throw .forbidden(user: user.name, verb: "create", resource: "bindings", group: "", namespace: nil)
        }
        if let fence = Self.leaderFence(request) { try checkLeaderFence(fence) }
        let target = ResourceRequest(resource: ResourceCatalog.pods, namespace: nil, name: nil, subresource: "binding", verb: .create)
        return try bindList(RequestContext(request: request, target: target, now: config.clock()))
    }

    private func isAPIPath(_ path: String) -> Bool {
        path == "/api" || path == "/apis" || path.hasPrefix("/api/") || path.hasPrefix("/apis/") || path.hasPrefix("/openapi")
    }

    /// Discovery and OpenAPI documents; nil when the path is a resource path.
    private func discoveryReply(_ request: HTTPRequest) throws(StatusError) -> Reply? {
        let path = request.path.hasSuffix("/") ? String(request.path.dropLast()) : request.path
        let segments = path.split(separator: "/").map(String.init)
        switch segments.count {
        case 1 where segments[0] == "api" || segments[0] == "apis":
            let core = segments[0] == "api"
            if let version = Discovery.aggregatedVersion(accept: request.header("accept") ?? "") {
                return .document(Discovery.aggregated(core: core, version: version), contentType: Discovery.aggregatedMediaType(version))
            }
            return .object(200, core ? Discovery.coreVersions : Discovery.groupList)
        case 2 where segments[0] == "api":
            guard let list = Discovery.resourceList(group: "", version: segments[1]) else { throw .pathNotFound() }
            return .object(200, list)
        case 3 where segments[0] == "apis":
            guard let list = Discovery.resourceList(group: segments[1], version: segments[2]) else { throw .pathNotFound() }
            return .object(200, list)
        default: break
        }
        if segments.first == "openapi" {
            if segments == ["openapi", "v3"] { return .object(200, OpenAPIDocument.index) }
            if segments.count > 2, segments[1] == "v3",
               let doc = OpenAPIDocument.document(for: segments.dropFirst(2).joined(separator: "/")) {
                return .object(200, doc)
            }
            throw .pathNotFound()
        }
        return nil
    }

    /// Runs a non-watch resource request.
    func perform(_ context: RequestContext) throws(StatusError) -> Reply {
        let target = context.target
        if ResourceConversion.isConverted(target.resource) { return try performConverted(context) }
        switch (target.verb, target.subresource) {
        case (.get, nil): return try get(context)
        case (.list, _): return try list(context)
        case (.create, nil): return try create(context)
        case (.create, "binding"): return try bind(context)
        case (.create, "eviction"): return try evict(context)
        case (.get, "status"): return try get(context)
        case (.get, "scale"): return try getScale(context)
        case (.update, nil), (.update, "status"): return try update(context)
        case (.update, "scale"), (.patch, "scale"): return try updateScale(context)
        case (.patch, nil), (.patch, "status"): return try patch(context)
        case (.delete, nil): return try delete(context)
        case (.deletecollection, nil): return try deleteCollection(context)
        default:
            throw .methodNotSupported("the server does not allow this method on the requested resource")
        }
    }

    /// The namespaces `default`, `kube-system` and `kube-node-lease` (the agents' heartbeat
    /// Leases) and the built-in PriorityClasses, created when missing.
    private func bootstrapNamespaces() throws {
        let namespaces = Self.systemNamespaces.map { name -> (ResourceInfo, JSONValue) in
            (ResourceCatalog.namespaces, ["kind": "Namespace", "apiVersion": "v1", "metadata": ["name": .string(name)]])
        }
        let classes = PriorityClasses.builtIn.map { (ResourceCatalog.priorityClasses, $0.json) }
        for (resource, template) in namespaces + classes {
            let name = template.value(at: ["metadata", "name"])?.string ?? ""
            let key = ObjectKey(resource: resource.storageName, namespace: "", name: name)
            if (try? store.get(key)) != nil { continue }
            var object = template
            ObjectMetaPolicy.prepareForCreate(&object, resource: resource, namespace: nil, now: config.clock())
            do {
                _ = try store.create(key, uid: object.value(at: ["metadata", "uid"])?.string ?? "", json: object.serialized())
            } catch {
                if case .alreadyExists = error { continue }  // another server created it first
                throw error
            }
        }
    }
}
