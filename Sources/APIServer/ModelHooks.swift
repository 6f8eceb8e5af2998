import Foundation
import Model

/// Calls into Model's admission, patch and table code, gathered in one place so the handlers do
/// not depend on the exact spelling of those APIs.
enum ModelHooks {
    /// Defaulting then validation for a create, update or status update.
    static func admit(_ object: inout JSONValue, resource: ResourceInfo, old: JSONValue?, statusOnly: Bool, now: Date) throws(StatusError) {
        // Pending the admission module.
    }

    /// Paths of fields no schema knows, for fieldValidation=Strict.
    static func unknownFields(in object: JSONValue, kind: String) -> [String] { [] }

    static func mergePatch(_ target: JSONValue, _ patch: JSONValue) throws(StatusError) -> JSONValue {
        guard case .object(let p) = patch else { return patch }
        var result = target.object == nil ? JSONValue.emptyObject : target
        for (k, v) in p.pairs {
            if v.isNull { result[k] = nil } else { result[k] = try mergePatch(result[k] ?? .null, v) }
        }
        return result
    }

    static func jsonPatch(_ target: JSONValue, _ patch: JSONValue) throws(StatusError) -> JSONValue {
        throw StatusError.badRequest("json patch is not available yet")
    }

    static func strategicMergePatch(_ target: JSONValue, _ patch: JSONValue) throws(StatusError) -> JSONValue {
        try mergePatch(target, patch)
    }

    /// How much of each object a Table row carries (`includeObject`).
    enum IncludeObject: String { case none = "None", metadata = "Metadata", object = "Object" }

    /// A meta.k8s.io/v1 Table for objects of `resource`.
    static func table(resource: ResourceInfo, objects: [JSONValue], resourceVersion: String, continueToken: String?,
                      includeObject: IncludeObject, includeHeaders: Bool, now: Date) -> JSONValue {
        var columns: [JSONValue] = []
        if includeHeaders {
            columns = [["name": "Name", "type": "string", "format": "name", "description": "Name", "priority": 0],
                       ["name": "Age", "type": "string", "format": "", "description": "Age", "priority": 0]]
        }
        let rows: [JSONValue] = objects.map { o in
            var row: JSONValue = ["cells": [o.value(at: ["metadata", "name"]) ?? "", "<unknown>"]]
            switch includeObject {
            case .none: break
            case .metadata: row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"] ?? .emptyObject]
            case .object: row["object"] = o
            }
            return row
        }
        var meta: JSONValue = ["resourceVersion": .string(resourceVersion)]
        if let continueToken { meta["continue"] = .string(continueToken) }
        return ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": meta, "columnDefinitions": .array(columns), "rows": .array(rows)]
    }
}
