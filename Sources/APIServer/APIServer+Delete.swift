import Foundation
import Model
import Store

extension APIServer {
    /// DELETE of one object: graceful for bound pods, deferred while finalizers remain, immediate otherwise.
    func delete(_ context: RequestContext) throws(StatusError) -> Reply {
        let body: JSONValue? = context.request.body.isEmpty ? nil : try context.jsonBody()
        let options = try DeleteOptions(body: body, query: context.query)
        if context.resource == ResourceCatalog.namespaces { return try deleteNamespace(context, options: options) }
        return try deleteObject(context, options: options)
    }

    /// Deletes the object a context names with `options`; shared by DELETE and eviction.
    func deleteObject(_ context: RequestContext, options: DeleteOptions) throws(StatusError) -> Reply {
        let resource = context.resource
        let name = context.target.name ?? ""
        for _ in 0..<Self.writeAttempts {
            let current = try load(context)
            var object = try parse(current)
            try checkPreconditions(options, object: object, current: current, context: context)
            var finalizers = (object.value(at: ["metadata", "finalizers"])?.array ?? []).compactMap(\.string)
            if let extra = options.finalizer, !finalizers.contains(extra) { finalizers.append(extra) }
            let grace = gracePeriod(for: object, resource: resource, options: options)
            if finalizers.isEmpty && grace == 0 {
                if options.dryRun || context.dryRun { return .object(200, successStatus(resource, name: name, uid: current.uid)) }
                do {
                    let deleted = try store.delete(current.key, ifResourceVersion: current.resourceVersion)
                    return resource == ResourceCatalog.pods ? .raw(200, deleted.json)
                        : .object(200, successStatus(resource, name: name, uid: current.uid))
                } catch .conflict {
                    continue
                } catch {
                    throw statusError(error, resource: resource, name: name)
                }
            }
            // Deferred deletion: mark it; the agent (grace) or the finalizers' owners finish it.
            let deadline = context.now.addingTimeInterval(TimeInterval(grace))
            if object.value(at: ["metadata", "deletionTimestamp"]) != nil {
                let existingGrace = object.value(at: ["metadata", "deletionGracePeriodSeconds"])?.int ?? 0
                if grace >= existingGrace { return .raw(200, current.json) }  // only shortening changes anything
            }
            object.setValue(.string(Timestamp.format(deadline)), at: ["metadata", "deletionTimestamp"])
            object.setValue(.int(grace), at: ["metadata", "deletionGracePeriodSeconds"])
            object.setValue(finalizers.isEmpty ? nil : .array(finalizers.map { .string($0) }), at: ["metadata", "finalizers"])
            object.setValue(nil, at: ["metadata", "resourceVersion"])
            if options.dryRun || context.dryRun { return .object(200, object) }
            do {
                let stored = try store.update(current.key, json: object.serialized(), ifResourceVersion: current.resourceVersion)
                return .raw(200, stored.json)
            } catch .conflict {
                continue
            } catch {
                throw statusError(error, resource: resource, name: name)
            }
        }
        throw conflict(context)
    }

    /// Seconds of graceful termination: only pods on a node that are not finished get any.
    func gracePeriod(for object: JSONValue, resource: ResourceInfo, options: DeleteOptions) -> Int64 {
        guard resource == ResourceCatalog.pods else { return 0 }
        let bound = !(object.value(at: ["spec", "nodeName"])?.string ?? "").isEmpty
        let phase = object.value(at: ["status", "phase"])?.string ?? ""
        guard bound, phase != "Succeeded", phase != "Failed" else { return 0 }
        return options.gracePeriodSeconds ?? object.value(at: ["spec", "terminationGracePeriodSeconds"])?.int ?? 30
    }

    private func checkPreconditions(_ options: DeleteOptions, object: JSONValue, current: StoredObject, context: RequestContext) throws(StatusError) {
        if let uid = options.preconditionUID, uid != current.uid {
            throw StatusError(code: 409, reason: "Conflict",
                              message: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(current.uid)",
                              name: context.target.name, group: context.resource.group, kind: context.resource.plural)
        }
        if let rv = options.preconditionResourceVersion, rv != current.resourceVersion {
            throw StatusError(code: 409, reason: "Conflict",
                              message: "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(current.resourceVersion)",
                              name: context.target.name, group: context.resource.group, kind: context.resource.plural)
        }
    }

    /// The Status kube-apiserver returns for an immediate delete.
    func successStatus(_ resource: ResourceInfo, name: String, uid: String) -> JSONValue {
        ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success",
         "details": ["name": .string(name), "group": .string(resource.group), "kind": .string(resource.plural), "uid": .string(uid)]]
    }

    /// DELETE on a collection: every matching object, each with the single-object rules.
    func deleteCollection(_ context: RequestContext) throws(StatusError) -> Reply {
        guard context.resource != ResourceCatalog.namespaces else {
            throw .methodNotSupported("the server does not allow deleting all namespaces at once")
        }
        let body: JSONValue? = context.request.body.isEmpty ? nil : try context.jsonBody()
        let options = try DeleteOptions(body: body, query: context.query)
        var query = try listQuery(context)
        query.limit = nil
        query.continueToken = nil
        let items = try withStore(context.resource, "") { () throws(StoreError) in try store.list(query).items }
        for item in items {
            var itemContext = context
            itemContext.target.name = item.key.name
            itemContext.target.namespace = item.key.namespace.isEmpty ? nil : item.key.namespace
            do {
                _ = try deleteObject(itemContext, options: options)
            } catch where error.code == 404 {
                continue  // already gone
            }
        }
        return .object(200, ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success"])
    }

    /// Namespaces are marked Terminating, emptied in the background, then removed.
    func deleteNamespace(_ context: RequestContext, options: DeleteOptions) throws(StatusError) -> Reply {
        let name = context.target.name ?? ""
        if (Self.systemNamespaces + ["kube-public"]).contains(name) {
            throw StatusError(code: 403, reason: "Forbidden", message: "namespaces \"\(name)\" is forbidden: this namespace may not be deleted",
                              name: name, kind: "namespaces")
        }
        for _ in 0..<Self.writeAttempts {
            let current = try load(context)
            var object = try parse(current)
            if object.value(at: ["metadata", "deletionTimestamp"]) != nil { return .raw(200, current.json) }
            object.setValue(.string(Timestamp.format(context.now)), at: ["metadata", "deletionTimestamp"])
            object.setValue(0, at: ["metadata", "deletionGracePeriodSeconds"])
            object.setValue(["kubernetes"], at: ["spec", "finalizers"])
            object.setValue("Terminating", at: ["status", "phase"])
            object.setValue(nil, at: ["metadata", "resourceVersion"])
            if options.dryRun || context.dryRun { return .object(200, object) }
            do {
                let stored = try store.update(current.key, json: object.serialized(), ifResourceVersion: current.resourceVersion)
                namespaceCleaner.clean(name)
                return .raw(200, stored.json)
            } catch .conflict {
                continue
            } catch {
                throw statusError(error, resource: context.resource, name: name)
            }
        }
        throw conflict(context)
    }
}
