import Foundation
import Model
import Store

extension APIServer {
    /// How many times an unconditional write re-reads and retries after losing a race.
    static let writeAttempts = 8

    /// PUT of an object or its status.
    func update(_ context: RequestContext) throws(StatusError) -> Reply {
        let body = try context.body()
        var object = body.object
        try checkBody(&object, context: context, requireName: true)
        _ = try targetNamespace(context, object: object)
        try checkStrictFields(object, context: context)
        let precondition = try resourceVersionPrecondition(object)
        return try readModifyWrite(context) { current throws(StatusError) in
            if let precondition, precondition != current.stored.resourceVersion { throw conflict(context) }
            if let reply = try writeUpdate(context, current: current, proposed: object, mayContainNUL: body.mayContainNUL) { return reply }
            if precondition != nil { throw conflict(context) }
            return nil
        }
    }

    /// PATCH (merge, JSON, strategic, apply) of an object or its status; apply creates when absent.
    func patch(_ context: RequestContext) throws(StatusError) -> Reply {
        try patch(context, storage: context, toServed: { $0 }, toStorage: { $0 })
    }

    /// PATCH as above, of an object `context` names in a version it is served in and `storage`
    /// names in the version it is stored in: the patch applies to the served form (as upstream
    /// patches the version the client speaks), the result is stored in the stored form.
    func patch(_ context: RequestContext, storage: RequestContext, toServed: (JSONValue) -> JSONValue,
               toStorage: (JSONValue) -> JSONValue) throws(StatusError) -> Reply {
        let patchType = context.patchType
        let body = try context.body()
        let patchBody = body.object
        let applies = patchType == "application/apply-patch+yaml" && context.target.subresource == nil
        return try readModifyWrite(storage, absent: { notFound throws(StatusError) in
            // Server-side apply creates the object when it is absent.
            guard applies else { throw notFound }
            var object = patchBody
            try self.checkBody(&object, context: context, requireName: true)
            return try self.createObject(toStorage(object), context: storage, namespace: try self.targetNamespace(context, object: object),
                                         mayContainNUL: body.mayContainNUL)
        }) { current throws(StatusError) in
            var patched = try applyPatch(patchType, patchBody, to: toServed(current.object))
            try checkBody(&patched, context: context, requireName: true)
            try checkStrictFields(patched, context: context)
            // The patch itself may carry metadata.resourceVersion as a precondition (kubectl diff).
            let precondition = patchSetsResourceVersion(patchBody) ? try resourceVersionPrecondition(patched) : nil
            if let precondition, precondition != current.stored.resourceVersion { throw conflict(context) }
            // The patched object is what admission checks for NULs: a patch's NUL may land in a
            // key (a JSON patch path) or vanish (a failed-over `test` value); only stored ones count.
            if let reply = try writeUpdate(storage, current: current, proposed: toStorage(patched), mayContainNUL: body.mayContainNUL) {
                return reply
            }
            if precondition != nil { throw conflict(context) }
            return nil
        }
    }

    /// A read-modify-write of the object `context` names, up to `writeAttempts` times: the first
    /// attempt decides on the store's memory of it, later ones on a fresh read, and anything
    /// decided on a remembered state (a lost compare-and-swap, a precondition, a validation, a
    /// no-op) is decided again on the store's, since the memory may be stale. `decide` returns
    /// nil to retry (it lost the compare-and-swap); `absent` answers for an object that is not
    /// there (it gets the 404, which it throws by default).
    func readModifyWrite(_ context: RequestContext, absent: (StatusError) throws(StatusError) -> Reply = { (e: StatusError) throws(StatusError) in throw e },
                         decide: (CurrentObject) throws(StatusError) -> Reply?) throws(StatusError) -> Reply {
        for attempt in 0..<Self.writeAttempts {
            let current: CurrentObject
            do {
                current = try loadForWrite(context, fresh: attempt > 0)
            } catch let e where e.code == 404 {
                return try absent(e)
            }
            do throws(StatusError) {
                if let reply = try decide(current) { return reply }
            } catch where current.remembered {
                continue
            }
        }
        throw conflict(context)
    }

    /// Applies one PATCH body by its content type.
    func applyPatch(_ type: String, _ patch: JSONValue, to old: JSONValue) throws(StatusError) -> JSONValue {
        switch type {
        case "application/merge-patch+json", "application/apply-patch+yaml":
            guard patch.object != nil else { throw .badRequest("a merge patch must be a JSON object") }
            return try ModelHooks.mergePatch(old, patch)
        case "application/strategic-merge-patch+json":
            guard patch.object != nil else { throw .badRequest("a strategic merge patch must be a JSON object") }
            return try ModelHooks.strategicMergePatch(old, patch)
        case "application/json-patch+json":
            guard patch.array != nil else { throw .badRequest("a JSON patch must be a JSON array of operations") }
            return try ModelHooks.jsonPatch(old, patch)
        default:
            throw .unsupportedMediaType(type)
        }
    }

    /// Writes `proposed` over `current` with compare-and-swap. Returns nil when the CAS lost, or
    /// for a no-op on a remembered state (the caller re-reads and retries), the reply otherwise.
    /// `mayContainNUL`: see `RequestBody`.
    func writeUpdate(_ context: RequestContext, current base: CurrentObject, proposed: JSONValue,
                     mayContainNUL: Bool) throws(StatusError) -> Reply? {
        let resource = context.resource
        let statusOnly = context.target.subresource == "status"
        let (current, old) = (base.stored, base.object)
        if let uid = proposed.value(at: ["metadata", "uid"])?.string, !uid.isEmpty,
           let stored = old.value(at: ["metadata", "uid"])?.string, uid != stored {
            throw .uidPrecondition(resource: resource.plural, group: resource.group, name: current.key.name, expected: uid, actual: stored)
        }
        var object = proposed
        if resource == ResourceCatalog.priorityClasses && !statusOnly { try requireSingleGlobalDefault(object, updating: current.key.name) }
        ObjectMetaPolicy.prepareForUpdate(&object, old: old, resource: resource, statusOnly: statusOnly)
        try ModelHooks.admit(&object, resource: resource, old: old, statusOnly: statusOnly, now: context.now, mayContainNUL: mayContainNUL)
        if resource == ResourceCatalog.jobs && !statusOnly { try checkJobDependencies(object, old: old, namespace: current.key.namespace) }
        if !statusOnly { ObjectMetaPolicy.bumpGeneration(&object, old: old, resource: resource) }
        if context.dryRun { return .object(200, object) }
        let key = current.key
        if finishesDeletion(old: old, new: object) {
            do {
                let deleted = try store.delete(key, ifResourceVersion: current.resourceVersion)
                return .raw(200, deleted.json)
            } catch .conflict {
                return nil
            } catch {
                throw statusError(error, resource: resource, name: key.name)
            }
        }
        object.setValue(.string(String(current.resourceVersion)), at: ["metadata", "resourceVersion"])
        if object == old {  // no-op writes do not bump resourceVersion
            // A remembered state may be stale: the caller reads the store's and decides again.
            return base.remembered ? nil : .raw(200, current.json)
        }
        object.setValue(nil, at: ["metadata", "resourceVersion"])
        do {
            let stored = try store.update(key, json: object.serialized(), ifResourceVersion: current.resourceVersion)
            return .raw(200, stored.json)
        } catch .conflict {
            return nil
        } catch {
            throw statusError(error, resource: resource, name: key.name)
        }
    }

    /// An object being deleted goes away once its last finalizer is removed (pods in a graceful
    /// deletion wait for their agent instead).
    func finishesDeletion(old: JSONValue, new: JSONValue) -> Bool {
        guard old.value(at: ["metadata", "deletionTimestamp"]) != nil else { return false }
        let oldFinalizers = old.value(at: ["metadata", "finalizers"])?.array ?? []
        let newFinalizers = new.value(at: ["metadata", "finalizers"])?.array ?? []
        let graceRemaining = (old.value(at: ["metadata", "deletionGracePeriodSeconds"])?.int ?? 0) > 0
        return !oldFinalizers.isEmpty && newFinalizers.isEmpty && !graceRemaining
    }

    /// `metadata.resourceVersion` in a body is a precondition; empty means unconditional.
    func resourceVersionPrecondition(_ object: JSONValue) throws(StatusError) -> Int64? {
        guard let value = object.value(at: ["metadata", "resourceVersion"]) else { return nil }
        let text = value.string ?? ""
        if text.isEmpty { return nil }
        guard let rv = Int64(text) else {
            throw .badRequest("metadata.resourceVersion \"\(text)\" is not a resourceVersion this server issued")
        }
        return rv
    }

    /// Whether a patch body names metadata.resourceVersion.
    func patchSetsResourceVersion(_ patch: JSONValue) -> Bool {
        if let ops = patch.array {
            return ops.contains { $0["path"]?.string == "/metadata/resourceVersion" }
        }
        return patch.value(at: ["metadata", "resourceVersion"]) != nil
    }

    func conflict(_ context: RequestContext) -> StatusError {
        .conflict(resource: context.resource.plural, group: context.resource.group, name: context.target.name ?? "")
    }
}
