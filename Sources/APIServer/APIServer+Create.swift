import Foundation
import Model
import Store

extension APIServer {
    /// POST: defaulting, validation, then a store create (201 with the stored object).
    func create(_ context: RequestContext) throws(StatusError) -> Reply {
        let body = try context.body()
        var object = body.object
        try checkBody(&object, context: context, requireName: false)
        let namespace = try targetNamespace(context, object: object)
        return try createObject(object, context: context, namespace: namespace, mayContainNUL: body.mayContainNUL)
    }

    /// Creates `object` (already checked against the request) in `namespace`; `mayContainNUL` is
    /// the body parser's note (`RequestBody`).
    func createObject(_ input: JSONValue, context: RequestContext, namespace: String?, mayContainNUL: Bool) throws(StatusError) -> Reply {
        let resource = context.resource
        var object = input
        try checkStrictFields(object, context: context)
        if let namespace { try requireActiveNamespace(namespace) }
        let explicitName = object.value(at: ["metadata", "name"])?.string ?? ""
        let generateName = object.value(at: ["metadata", "generateName"])?.string ?? ""
        if explicitName.isEmpty && generateName.isEmpty {
            throw .invalid(kind: resource.kind, group: resource.group, name: "",
                           causes: [StatusCause(reason: "FieldValueRequired", message: "name or generateName is required", field: "metadata.name")])
        }
        ObjectMetaPolicy.prepareForCreate(&object, resource: resource, namespace: namespace, now: context.now)
        if resource == ResourceCatalog.pods { try resolvePriority(&object) }
        if resource == ResourceCatalog.priorityClasses { try requireSingleGlobalDefault(object) }
        var attempts = explicitName.isEmpty ? 8 : 1
        while true {
            attempts -= 1
            if explicitName.isEmpty {
                object.setValue(.string(generateName + ObjectMetaPolicy.randomSuffix()), at: ["metadata", "name"])
            }
            let name = object.value(at: ["metadata", "name"])?.string ?? ""
            var admitted = object
            try ModelHooks.admit(&admitted, resource: resource, old: nil, statusOnly: false, now: context.now, mayContainNUL: mayContainNUL)
            if resource == ResourceCatalog.jobs { try checkJobDependencies(admitted, old: nil, namespace: namespace ?? "") }
            if context.dryRun { return .object(201, admitted) }
            let key = context.target.key(name: name)
            let uid = admitted.value(at: ["metadata", "uid"])?.string ?? ""
            do {
                let stored = try store.create(key, uid: uid, json: admitted.serialized())
                return .raw(201, stored.json)
            } catch .alreadyExists where attempts > 0 {
                continue  // a generated name collided; draw another suffix
            } catch {
                throw statusError(error, resource: resource, name: name)
            }
        }
    }

    /// Checks kind/apiVersion against the endpoint and, when `requireName`, that the body names the
    /// object of the URL. Fills in kind/apiVersion when absent.
    func checkBody(_ object: inout JSONValue, context: RequestContext, requireName: Bool) throws(StatusError) {
        guard object.object != nil else {
            throw .badRequest("the request body must be a JSON object, not a \(object.typeName)")
        }
        let resource = context.resource
        if let kind = object["kind"], kind.string != resource.kind, !(kind.string ?? "").isEmpty {
            throw .badRequest("the kind in the data (\(kind.string ?? kind.typeName)) does not match the expected kind (\(resource.kind))")
        }
        if let apiVersion = object["apiVersion"], apiVersion.string != resource.apiVersion, !(apiVersion.string ?? "").isEmpty {
            throw .badRequest("the API version in the data (\(apiVersion.string ?? apiVersion.typeName)) does not match the expected API version (\(resource.apiVersion))")
        }
        if let meta = object["metadata"], meta.object == nil {
            throw .badRequest("metadata must be an object, not a \(meta.typeName)")
        }
        if requireName, let urlName = context.target.name {
            let bodyName = object.value(at: ["metadata", "name"])?.string ?? ""
            if bodyName.isEmpty {
                object.setValue(.string(urlName), at: ["metadata", "name"])
            } else if bodyName != urlName {
                throw .badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(urlName))")
            }
        }
    }

    /// The namespace a write goes to: the URL's, which the body must not contradict.
    func targetNamespace(_ context: RequestContext, object: JSONValue) throws(StatusError) -> String? {
        guard context.resource.namespaced else { return nil }
        guard let namespace = context.target.namespace else {
            throw .methodNotSupported("the server does not allow this method on the requested resource: \(context.resource.plural) must be created in a namespace")
        }
        if let bodyNamespace = object.value(at: ["metadata", "namespace"])?.string, !bodyNamespace.isEmpty, bodyNamespace != namespace {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        return namespace
    }

    /// 404 when the namespace does not exist, 403 while it is being deleted. The watch hub's view
    /// answers the common case without a store read; anything it has not seen as active is checked
    /// in the store. (A create racing a namespace deletion by milliseconds is still cleaned up: the
    /// namespace cleaner lists until the namespace is empty.)
    func requireActiveNamespace(_ namespace: String) throws(StatusError) {
        if hub.namespaceIsActive(namespace) == true { return }
        let key = ObjectKey(resource: ResourceCatalog.namespaces.storageName, namespace: "", name: namespace)
        let stored = try withStore(ResourceCatalog.namespaces, namespace) { () throws(StoreError) in try store.get(key) }
        let object = try parse(stored)
        if object.value(at: ["metadata", "deletionTimestamp"]) != nil {
            throw StatusError(code: 403, reason: "Forbidden",
                              message: "unable to create new content in namespace \(namespace) because it is being terminated",
                              name: namespace, kind: "namespaces")
        }
    }

    /// The Priority admission plugin: `spec.priority` from the pod's PriorityClass (or the global
    /// default). A name the hub has not seen is looked up in the store, since the hub may lag a
    /// class created a moment ago.
    func resolvePriority(_ pod: inout JSONValue) throws(StatusError) {
        try PriorityClasses.resolve(&pod, lookup: { name in
            if let known = hub.priorityClass(name) { return known }
            let key = ObjectKey(resource: ResourceCatalog.priorityClasses.storageName, namespace: "", name: name)
            return (try? store.get(key)).flatMap { try? parse($0) }.flatMap(PriorityClasses.Class.init)
        }, globalDefault: hub.defaultPriorityClass())
    }

    /// Only one PriorityClass may be the global default (upstream's admission answers 403).
    func requireSingleGlobalDefault(_ object: JSONValue, updating name: String? = nil) throws(StatusError) {
        guard object["globalDefault"]?.bool == true, let existing = hub.defaultPriorityClass(), existing.name != name else { return }
        let own = object.value(at: ["metadata", "name"])?.string ?? ""
        throw StatusError(code: 403, reason: "Forbidden",
                          message: "priorityclasses.scheduling.k8s.io \"\(own)\" is forbidden: PriorityClass \(existing.name) is already marked as default. Only one default can exist",
                          name: own, group: "scheduling.k8s.io", kind: "priorityclasses")
    }

    /// With fieldValidation=Strict, unknown fields are a 400 listing their paths.
    func checkStrictFields(_ object: JSONValue, context: RequestContext) throws(StatusError) {
        guard context.strictFields else { return }
        let unknown = ModelHooks.unknownFields(in: object, kind: context.resource.kind)
        guard !unknown.isEmpty else { return }
        throw .badRequest("strict decoding error: " + unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", "))
    }
}
