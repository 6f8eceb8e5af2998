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
            return converted(try patch(context, storage: inner, toServed: { ResourceConversion.fromStorage($0, to: served) },
                                       toStorage: { ResourceConversion.toStorage($0, from: served) }), to: served)
        default:
            return converted(try perform(inner), to: served)
        }
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
