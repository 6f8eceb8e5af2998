import Foundation
import Model
import Store

extension APIServer {
    /// A request to a version served by conversion (autoscaling/v1 HorizontalPodAutoscalers): the
    /// body is converted to the stored version and the request runs against it, and the answer is
    /// converted back. A patch applies to the served form of the stored object, as upstream
    /// patches the version the client speaks.
    func performConverted(_ context: RequestContext) throws(StatusError) -> Reply {
        let served = context.resource
        var inner = context
        inner.target.resource = ResourceCatalog.storageVersion(of: served)
        switch context.target.verb {
        case .create, .update:
            var object = try context.body().object
            try checkBody(&object, context: context, requireName: context.target.verb == .update)
            inner.request.body = ResourceConversion.toStorage(object, from: served).serialized()
            inner.request.headers["content-type"] = "application/json"
            return converted(try perform(inner), to: served)
        case .patch:
            return converted(try patchConverted(context, inner: inner), to: served)
        default:
            return converted(try perform(inner), to: served)
        }
    }

    private func patchConverted(_ context: RequestContext, inner: RequestContext) throws(StatusError) -> Reply {
        let served = context.resource
        let patchType = context.patchType
        let body = try context.body()
        for _ in 0..<Self.writeAttempts {
            let current: StoredObject
            do {
                current = try load(inner)
            } catch let e where e.code == 404 && patchType == "application/apply-patch+yaml" && context.target.subresource == nil {
                var object = body.object
                try checkBody(&object, context: context, requireName: true)
                let stored = ResourceConversion.toStorage(object, from: served)
                return try createObject(stored, context: inner, namespace: try targetNamespace(context, object: object),
                                        mayContainNUL: body.mayContainNUL)
            }
            var patched = try applyPatch(patchType, body.object, to: ResourceConversion.fromStorage(try parse(current), to: served))
            try checkBody(&patched, context: context, requireName: true)
            let precondition = patchSetsResourceVersion(body.object) ? try resourceVersionPrecondition(patched) : nil
            if let precondition, precondition != current.resourceVersion { throw conflict(context) }
            let proposed = ResourceConversion.toStorage(patched, from: served)
            if let reply = try writeUpdate(inner, current: current, proposed: proposed, mayContainNUL: body.mayContainNUL) { return reply }
            if precondition != nil { throw conflict(context) }
        }
        throw conflict(context)
    }

    /// An answer of the stored version in the served one: objects and lists of the kind are
    /// converted; Tables and Status objects pass unchanged.
    func converted(_ reply: Reply, to served: ResourceInfo) -> Reply {
        switch reply {
        case .raw(let code, let bytes):
            guard let tree = try? JSONValue.parse(bytes) else { return reply }
            return .object(code, converted(tree, to: served))
        case .object(let code, let tree):
            return .object(code, converted(tree, to: served))
        case .document, .error:
            return reply
        }
    }

    private func converted(_ tree: JSONValue, to served: ResourceInfo) -> JSONValue {
        switch tree["kind"]?.string {
        case served.kind?:
            return ResourceConversion.fromStorage(tree, to: served)
        case served.listKind?:
            var list = tree
            list["apiVersion"] = .string(served.apiVersion)
            list["items"] = .array((tree["items"]?.array ?? []).map { ResourceConversion.fromStorage($0, to: served) })
            return list
        default:
            return tree
        }
    }
}
