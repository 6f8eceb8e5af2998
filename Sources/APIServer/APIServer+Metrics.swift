import Foundation
import HTTP
import Model

extension APIServer {
    static let metricsPrefix = "/apis/metrics.k8s.io/v1beta1/"

    /// GET/LIST of metrics.k8s.io/v1beta1 nodes and pods (what metrics-server serves), answered
    /// from the scraper's cache: `nodes[/NAME]`, `pods`, `namespaces/NS/pods[/NAME]`, with
    /// labelSelector on lists. Nil when the path is not a metrics path.
    func metricsReply(_ request: HTTPRequest) throws(StatusError) -> Reply? {
        guard request.path.hasPrefix(Self.metricsPrefix) else { return nil }
        let parts = request.path.dropFirst(Self.metricsPrefix.count).split(separator: "/").map(String.init)
        let (resource, namespace, name): (String, String?, String?)
        if (parts.count == 1 || parts.count == 2), parts[0] == "nodes" || parts[0] == "pods" {
            (resource, namespace, name) = (parts[0], nil, parts.count == 2 ? parts[1] : nil)
        } else if (parts.count == 3 || parts.count == 4), parts[0] == "namespaces", parts[2] == "pods" {
            (resource, namespace, name) = ("pods", parts[1], parts.count == 4 ? parts[3] : nil)
        } else {
            throw .pathNotFound()
        }
        guard request.method == "GET" else {
            throw .methodNotSupported("the server does not allow this method on the requested resource")
        }
        if request.query["watch"] == "true" || request.query["watch"] == "1" {
            throw .methodNotSupported("the server does not allow this method on the requested resource")
        }
        var selector = LabelSelector.everything
        do {
            if let text = request.query["labelSelector"] { selector = try LabelSelector.parse(text) }
        } catch {
            throw .badRequest("unable to parse requirement: \(error.message)")
        }
        let now = config.clock()
        let scrapes = metricsScraper?.scrapes ?? []
        if resource == "nodes" {
            let nodes = scrapes.compactMap { scrape in ResourceMetrics.nodeMetrics(scrape, now: now).map { (scrape, $0) } }
            if let name {
                guard let found = nodes.first(where: { $0.0.nodeName == name }) else {
                    throw .notFound(resource: "nodes", group: "metrics.k8s.io", name: name)
                }
                return .object(200, found.1)
            }
            return .object(200, ResourceMetrics.list(kind: "NodeMetricsList",
                                                     nodes.filter { selector.matches($0.0.nodeLabels) }.map(\.1)))
        }
        let pods = scrapes.flatMap { ResourceMetrics.podMetrics($0, now: now) }
            .filter { namespace == nil || $0.namespace == namespace }
            .sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        if let name {
            guard let found = pods.first(where: { $0.name == name }) else {
                throw .notFound(resource: "pods", group: "metrics.k8s.io", name: name)
            }
            return .object(200, found.object)
        }
        return .object(200, ResourceMetrics.list(kind: "PodMetricsList", pods.filter { selector.matches($0.labels) }.map(\.object)))
    }
}

extension Discovery {
    /// metrics.k8s.io/v1beta1's resources: read-only, served from agents' usage.
    static let metricsResources: [JSONValue] = [
        ["name": "nodes", "singularName": "", "namespaced": false, "kind": "NodeMetrics", "verbs": ["get", "list"]],
        ["name": "pods", "singularName": "", "namespaced": true, "kind": "PodMetrics", "verbs": ["get", "list"]],
    ]
}
