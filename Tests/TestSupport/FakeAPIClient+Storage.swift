import Client
import Foundation
import Model

extension FakeAPIClient {
    func key(_ resource: ResourceInfo, _ namespace: String?, _ name: String) -> Key {
        Key(resource: resource.storageName, namespace: resource.namespaced ? (namespace ?? "") : "", name: name)
    }

    func notFound(_ resource: ResourceInfo, _ name: String) -> StatusError {
        .notFound(resource: resource.plural, group: resource.group, name: name)
    }

    func parseLabels(_ text: String?) throws -> LabelSelector {
        do { return try LabelSelector.parse(text ?? "") } catch { throw StatusError.badRequest(error.message) }
    }

    func parseFields(_ text: String?, _ resource: ResourceInfo) throws -> FieldSelector {
        do { return try FieldSelector.parse(text ?? "", for: resource) } catch { throw StatusError.badRequest(error.message) }
    }

    func matches(_ k: Key, _ object: JSONValue, _ resource: ResourceInfo, _ namespace: String?,
                 _ labels: LabelSelector, _ fields: FieldSelector) -> Bool {
        k.resource == resource.storageName
            && (namespace == nil || !resource.namespaced || k.namespace == namespace)
            && labels.matches(object.value(at: ["metadata", "labels"])?.stringMap ?? [:])
            && fields.matches(object)
    }

    /// Records an event in the history a watch from a resourceVersion replays, and returns the
    /// watchers it goes to now. Called with the lock held.
    func publish(_ type: WatchEvent.EventType, _ resource: ResourceInfo, _ object: JSONValue) -> [Watcher] {
        history.append(HistoryEntry(type: type, resource: resource, object: object,
                                    version: Int64(object.value(at: ["metadata", "resourceVersion"])?.string ?? "") ?? resourceVersion))
        if history.count > 20_000 { history.removeFirst(history.count - 10_000) }
        let namespace = object.value(at: ["metadata", "namespace"])?.string
        return watchers.filter { w in
            w.resource == resource && (w.namespace == nil || !resource.namespaced || w.namespace == namespace)
                && w.labels.matches(object.value(at: ["metadata", "labels"])?.stringMap ?? [:]) && w.fields.matches(object)
        }
    }

    /// Records a call and throws an injected error for it, if any. Called with the lock held.
    func begin(_ verb: String, _ resource: ResourceInfo?, _ namespace: String?, _ name: String?, _ body: JSONValue?,
               path: String? = nil) throws {
        recorded.append(Call(verb: verb, resource: path ?? resource?.storageName ?? "", namespace: namespace, name: name, body: body))
        if var queue = injectedErrors[verb], !queue.isEmpty {
            let error = queue.removeFirst()
            injectedErrors[verb] = queue
            throw error
        }
    }

    /// Stores a new object with server-set metadata. Called with the lock held.
    func store(_ resource: ResourceInfo, namespace: String?, object: JSONValue) throws -> JSONValue {
        var object = object
        let namespace = resource.namespaced ? (namespace ?? object.value(at: ["metadata", "namespace"])?.string ?? "default") : nil
        var name = object.value(at: ["metadata", "name"])?.string ?? ""
        if name.isEmpty, let prefix = object.value(at: ["metadata", "generateName"])?.string, !prefix.isEmpty {
            name = prefix + String(resourceVersion + 1, radix: 36)
        }
        guard !name.isEmpty else {
            throw StatusError.invalid(kind: resource.kind, group: resource.group, name: "",
                                      causes: [StatusCause(reason: "FieldValueRequired", message: "Required value", field: "metadata.name")])
        }
        let k = key(resource, namespace, name)
        guard objects[k] == nil else { throw StatusError.alreadyExists(resource: resource.plural, group: resource.group, name: name) }
        resourceVersion += 1
        object["apiVersion"] = .string(resource.apiVersion)
        object["kind"] = .string(resource.kind)
        object.setValue(.string(name), at: ["metadata", "name"])
        if let namespace { object.setValue(.string(namespace), at: ["metadata", "namespace"]) }
        object.setValue(.string("uid-\(resourceVersion)"), at: ["metadata", "uid"])
        object.setValue(.string(String(resourceVersion)), at: ["metadata", "resourceVersion"])
        object.setValue(.int(1), at: ["metadata", "generation"])
        object.setValue(.string(Date.now.formatted(.iso8601)), at: ["metadata", "creationTimestamp"])
        objects[k] = object
        return object
    }

    /// Replaces an existing object with `combine(old, new)`, honouring a resourceVersion
    /// precondition and leaving unchanged objects alone.
    func replace(_ verb: String, _ resource: ResourceInfo, _ namespace: String?, _ new: JSONValue,
                 recordedBody: JSONValue? = nil, combine: (JSONValue, JSONValue) throws -> JSONValue) async throws -> JSONValue {
        let name = new.value(at: ["metadata", "name"])?.string ?? ""
        let (result, event) = try lock.withLock { () -> (JSONValue, [(Watcher, Bool)]) in
            try begin(verb, resource, namespace, name, recordedBody ?? new)
            let namespace = namespace ?? new.value(at: ["metadata", "namespace"])?.string
            let k = key(resource, namespace, name)
            guard let old = objects[k] else { throw notFound(resource, name) }
            let expected = new.value(at: ["metadata", "resourceVersion"])?.string ?? ""
            let current = old.value(at: ["metadata", "resourceVersion"])?.string ?? ""
            if !expected.isEmpty && expected != current {
                throw StatusError.conflict(resource: resource.plural, group: resource.group, name: name)
            }
            var updated = try combine(old, new)
            // Identity and server-owned metadata cannot be changed by writes.
            for field in ["name", "namespace", "uid", "creationTimestamp", "generation", "resourceVersion"] {
                updated.setValue(old.value(at: ["metadata", field]), at: ["metadata", field])
            }
            updated["apiVersion"] = old["apiVersion"]
            updated["kind"] = old["kind"]
            if updated == old { return (old, []) }
            resourceVersion += 1
            if updated["spec"] != old["spec"] {
                updated.setValue(.int((old.value(at: ["metadata", "generation"])?.int ?? 0) + 1), at: ["metadata", "generation"])
            }
            updated.setValue(.string(String(resourceVersion)), at: ["metadata", "resourceVersion"])
            // An object being deleted goes once its last finalizer is removed, as on the server.
            let finished = old.value(at: ["metadata", "deletionTimestamp"]) != nil
                && !(old.value(at: ["metadata", "finalizers"])?.array ?? []).isEmpty
                && (updated.value(at: ["metadata", "finalizers"])?.array ?? []).isEmpty
            objects[k] = finished ? nil : updated
            return (updated, publish(finished ? .deleted : .modified, resource, updated).map { ($0, finished) })
        }
        for (watcher, finished) in event {
            watcher.continuation.yield(WatchEvent(type: finished ? .deleted : .modified, object: result))
        }
        return result
    }

    /// Serves `GET` of resource paths (`/api/v1/namespaces/NS/pods[/NAME]`, `/apis/G/V/PLURAL`) as plain
    /// JSON, the way a server that does not produce Tables would.
    static func serveResourceGet(_ request: RawRequest, client: FakeAPIClient) async -> RawResponse {
        var parts = request.path.split(separator: "/").map(String.init)
        var group = ""
        if parts.first == "api", parts.count >= 2 {
            parts.removeFirst()
        } else if parts.first == "apis", parts.count >= 3 {
            group = parts[1]
            parts.removeFirst(2)
        } else {
            return RawResponse(status: 404, json: StatusError.pathNotFound().statusObject)
        }
        let version = parts.removeFirst()
        var namespace: String?
        if parts.count >= 3, parts[0] == "namespaces" {
            namespace = parts[1]
            parts.removeFirst(2)
        }
        guard request.method == "GET", let plural = parts.first,
              let resource = ResourceCatalog.lookup(group: group, version: version, plural: plural), parts.count <= 2 else {
            return RawResponse(status: 404, json: StatusError.pathNotFound().statusObject)
        }
        do {
            if parts.count == 2 {
                return RawResponse(status: 200, json: try await client.get(resource, namespace: namespace, name: parts[1]))
            }
            let options = ListOptions(labelSelector: request.queryValue("labelSelector"),
                                      fieldSelector: request.queryValue("fieldSelector"))
            return RawResponse(status: 200, json: try await client.list(resource, namespace: namespace, options: options).json)
        } catch let error as StatusError {
            return RawResponse(status: error.code, json: error.statusObject)
        } catch {
            return RawResponse(status: 500, json: StatusError.internalError("\(error)").statusObject)
        }
    }
}
