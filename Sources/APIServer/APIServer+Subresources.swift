import Foundation
import Model
import Store

extension APIServer {
    /// GET deployments|replicasets/NAME/scale: the autoscaling/v1 Scale view.
    func getScale(_ context: RequestContext) throws(StatusError) -> Reply {
        let current = try load(context)
        return .object(200, scale(of: try parse(current)))
    }

    /// PUT or PATCH of .../scale: changes spec.replicas of the owner object.
    func updateScale(_ context: RequestContext) throws(StatusError) -> Reply {
        let body = try context.jsonBody()
        return try readModifyWrite(context) { current throws(StatusError) in
            let object = current.object
            let newScale = context.target.verb == .patch ? try applyPatch(context.patchType, body, to: scale(of: object)) : body
            guard let replicas = newScale.value(at: ["spec", "replicas"])?.int, replicas >= 0 else {
                throw .invalid(kind: "Scale", group: "autoscaling", name: context.target.name ?? "",
                               causes: [StatusCause(reason: "FieldValueInvalid", message: "Invalid value: must be greater than or equal to 0", field: "spec.replicas")])
            }
            if let rv = try resourceVersionPrecondition(newScale), context.target.verb == .update, rv != current.stored.resourceVersion {
                throw conflict(context)
            }
            var updated = object
            updated.setValue(.int(replicas), at: ["spec", "replicas"])
            var specContext = context
            specContext.target.subresource = nil
            if let reply = try writeUpdate(specContext, current: current, proposed: updated, mayContainNUL: false) {
                switch reply {
                case .raw(_, let bytes):
                    return .object(200, scale(of: (try? JSONValue.parse(bytes)) ?? updated))
                case .object(_, let value), .document(let value, _):
                    return .object(200, scale(of: value))
                case .error(let e):
                    throw e
                }
            }
            return nil
        }
    }

    private func scale(of object: JSONValue) -> JSONValue {
        let meta = object["metadata"] ?? .emptyObject
        var scaleMeta = JSONObject()
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] { scaleMeta[field] = meta[field] }
        let selector = (try? LabelSelector.from(object.value(at: ["spec", "selector"]) ?? .emptyObject))?.description ?? ""
        return ["kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(scaleMeta),
                "spec": ["replicas": object.value(at: ["spec", "replicas"]) ?? 1],
                "status": ["replicas": object.value(at: ["status", "replicas"]) ?? 0, "selector": .string(selector)]]
    }
}

/// Pod condition bookkeeping shared by the handlers that change conditions.
enum PodConditions {
    /// Sets condition `type`, keeping lastTransitionTime when the status did not change.
    static func set(_ pod: inout JSONValue, type: String, status: String, reason: String?, message: String?, now: Date) {
        var conditions = pod.value(at: ["status", "conditions"])?.array ?? []
        let existing = conditions.firstIndex { $0["type"]?.string == type }
        var condition: JSONValue = ["type": .string(type), "status": .string(status), "lastProbeTime": .null,
                                    "lastTransitionTime": .string(Timestamp.format(now))]
        if let reason { condition["reason"] = .string(reason) }
        if let message { condition["message"] = .string(message) }
        if let existing {
            if conditions[existing]["status"]?.string == status {
                condition["lastTransitionTime"] = conditions[existing]["lastTransitionTime"]
            }
            conditions[existing] = condition
        } else {
            conditions.append(condition)
        }
        pod.setValue(.array(conditions), at: ["status", "conditions"])
    }
}
