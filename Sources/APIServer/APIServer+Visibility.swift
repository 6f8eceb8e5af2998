import Foundation
import HTTP
import Model
import Store

extension APIServer {
    static let visibilityPrefix = "/apis/\(PendingWorkloads.apiVersion)/"

    /// Kueue's visibility API: `GET clusterqueues/NAME/pendingworkloads` and
    /// `GET namespaces/NS/localqueues/NAME/pendingworkloads` (query `limit`, default 1000, and
    /// `offset`, default 0), a PendingWorkloadsSummary computed from the stored Workloads and
    /// LocalQueues (`PendingWorkloads`, pure). Nil when the path is not a visibility path.
    func visibilityReply(_ request: HTTPRequest) throws(StatusError) -> Reply? {
        guard request.path.hasPrefix(Self.visibilityPrefix) else { return nil }
        let parts = request.path.dropFirst(Self.visibilityPrefix.count).split(separator: "/").map(String.init)
        let target: (resource: ResourceInfo, namespace: String?, name: String)
        if parts.count == 3, parts[0] == "clusterqueues", parts[2] == "pendingworkloads" {
            target = (ResourceCatalog.clusterQueues, nil, parts[1])
        } else if parts.count == 5, parts[0] == "namespaces", parts[2] == "localqueues", parts[4] == "pendingworkloads" {
            target = (ResourceCatalog.localQueues, parts[1], parts[3])
        } else {
            throw .pathNotFound()
        }
        guard request.method == "GET" else {
            throw .methodNotSupported("the server does not allow this method on the requested resource")
        }
        let limit = try Self.visibilityParameter(request.query["limit"], name: "limit", default: PendingWorkloads.defaultLimit, minimum: 1)
        let offset = try Self.visibilityParameter(request.query["offset"], name: "offset", default: 0, minimum: 0)
        let key = ObjectKey(resource: target.resource.storageName, namespace: target.namespace ?? "", name: target.name)
        guard let queue = try? parse(store.get(key)) else {
            throw .notFound(resource: target.resource.plural, group: Kueue.group, name: target.name)
        }
        let locals = try visibilityList(ResourceCatalog.localQueues).map(LocalQueueView.init)
        let workloads = try visibilityList(ResourceCatalog.workloads).map(WorkloadView.init)
        let entries = target.namespace == nil
            ? PendingWorkloads.inClusterQueue(target.name, localQueues: locals, workloads: workloads)
            : PendingWorkloads.inLocalQueue(LocalQueueView(queue), localQueues: locals, workloads: workloads)
        return .object(200, PendingWorkloads.summary(entries, offset: offset, limit: limit))
    }

    private func visibilityList(_ resource: ResourceInfo) throws(StatusError) -> [JSONValue] {
        let items = try withStore(resource, "") { () throws(StoreError) in try store.list(ListQuery(resource: resource.storageName)).items }
        return items.compactMap { try? JSONValue.parse($0.json) }
    }

    /// A non-negative integer query parameter; anything else is 400 naming the parameter.
    static func visibilityParameter(_ text: String?, name: String, default value: Int, minimum: Int) throws(StatusError) -> Int {
        guard let text else { return value }
        guard let parsed = Int(text), parsed >= minimum else {
            let message = "\(name): Invalid value: \"\(text)\": must be an integer greater than or equal to \(minimum)"
            throw .badRequest(message, causes: [StatusCause(reason: "FieldValueInvalid", message: message, field: name)])
        }
        return parsed
    }
}

extension Discovery {
    /// visibility.kueue.x-k8s.io/v1beta1's resources, as Kueue's visibility server lists them.
    static let visibilityResources: [JSONValue] = [
        ["name": "clusterqueues", "singularName": "clusterqueue", "namespaced": false, "kind": "ClusterQueue", "verbs": ["get"]],
        ["name": "clusterqueues/pendingworkloads", "singularName": "", "namespaced": false, "kind": "PendingWorkloadsSummary",
         "verbs": ["get"]],
        ["name": "localqueues", "singularName": "localqueue", "namespaced": true, "kind": "LocalQueue", "verbs": ["get"]],
        ["name": "localqueues/pendingworkloads", "singularName": "", "namespaced": true, "kind": "PendingWorkloadsSummary",
         "verbs": ["get"]],
    ]

    /// The resources served outside the catalogue for a group (metrics, visibility).
    static func extraResources(_ group: String) -> [JSONValue] {
        switch group {
        case "metrics.k8s.io": return metricsResources
        case PendingWorkloads.group: return visibilityResources
        default: return []
        }
    }
}
