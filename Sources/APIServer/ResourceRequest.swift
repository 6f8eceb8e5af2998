import Model
import Store

/// The verb a resource request performs, named as in Kubernetes authorization.
public enum Verb: String, Sendable {
    case get, list, watch, create, update, patch, delete, deletecollection

    /// True for verbs that change state (refused for read-only users).
    public var isWrite: Bool {
        switch self {
        case .get, .list, .watch: return false
        default: return true
        }
    }
}

/// A request for a REST resource, parsed from its path and method:
/// `/apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]`.
struct ResourceRequest: Sendable {
    var resource: ResourceInfo
    /// Namespace from the path; nil for cluster-scoped resources and cluster-wide lists.
    var namespace: String?
    var name: String?
    var subresource: String?
    var verb: Verb

    /// Parses `path` for `method`; nil when the path is not a resource path the server serves
    /// (the caller answers 404).
    static func parse(method: String, path: String, query: [String: String]) -> ResourceRequest? {
        var segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let group: String
        let version: String
        if segments.first == "api", segments.count >= 3 {
            group = ""
            version = segments[1]
            segments.removeFirst(2)
        } else if segments.first == "apis", segments.count >= 4 {
            group = segments[1]
            version = segments[2]
            segments.removeFirst(3)
        } else {
            return nil
        }
        var namespace: String?
        // `namespaces/{ns}/{plural}...` addresses a namespaced resource; `namespaces/{name}[/status]`
        // is the Namespace object itself.
        if segments.count >= 3, segments[0] == "namespaces",
           ResourceCatalog.lookup(group: group, version: version, plural: segments[2])?.namespaced == true {
            namespace = segments[1]
            segments.removeFirst(2)
        }
        guard let plural = segments.first, segments.count <= 3,
              let resource = ResourceCatalog.lookup(group: group, version: version, plural: plural) else { return nil }
        if namespace == nil, resource.namespaced, segments.count > 1 { return nil }
        let name = segments.count > 1 ? segments[1] : nil
        let subresource = segments.count > 2 ? segments[2] : nil
        if let subresource, !resource.subresources.contains(subresource) { return nil }
        guard let verb = verb(method: method, hasName: name != nil, query: query) else { return nil }
        return ResourceRequest(resource: resource, namespace: namespace, name: name, subresource: subresource, verb: verb)
    }

    private static func verb(method: String, hasName: Bool, query: [String: String]) -> Verb? {
        switch method {
        case "GET", "HEAD":
            if hasName { return .get }
            let watch = query["watch"].map { $0 == "true" || $0 == "1" } ?? false
            return watch ? .watch : .list
        case "POST": return .create
        case "PUT": return hasName ? .update : nil
        case "PATCH": return hasName ? .patch : nil
        case "DELETE": return hasName ? .delete : .deletecollection
        default: return nil
        }
    }

    /// The store key of the named object.
    func key(name: String) -> ObjectKey {
        ObjectKey(resource: resource.storageName, namespace: resource.namespaced ? (namespace ?? "") : "", name: name)
    }
}
