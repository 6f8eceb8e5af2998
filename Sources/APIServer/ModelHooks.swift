import Foundation
import Model

/// Calls into Model's admission, patch, schema and table code, gathered in one place so the
/// handlers read as API semantics rather than Model plumbing.
enum ModelHooks {
    /// Defaulting then validation for a create, update or status update; every write of a client's
    /// body passes here. `mayContainNUL` comes from the body's parse (`RequestBody`): when set,
    /// strings holding U+0000 are refused with a 422 naming their paths (PostgreSQL cannot store them).
    static func admit(_ object: inout JSONValue, resource: ResourceInfo, old: JSONValue?, statusOnly: Bool, now: Date,
                      mayContainNUL: Bool) throws(StatusError) {
        let operation: AdmissionOperation
        if let old {
            operation = statusOnly ? .updateStatus(old: old) : .update(old: old)
        } else {
            operation = .create
        }
        try Admission.admit(&object, resource: resource, operation: operation, now: now, mayContainNUL: mayContainNUL)
    }

    /// Paths of fields no schema knows, for fieldValidation=Strict.
    static func unknownFields(in object: JSONValue, kind: String) -> [String] {
        Schema.unknownFields(in: object, kind: kind)
    }

    /// RFC 7386 merge patch (also used for apply patches, which kubectl sends as JSON).
    static func mergePatch(_ target: JSONValue, _ patch: JSONValue) throws(StatusError) -> JSONValue {
        try PatchType.merge.apply(patch, to: target)
    }

    /// RFC 6902 JSON patch.
    static func jsonPatch(_ target: JSONValue, _ patch: JSONValue) throws(StatusError) -> JSONValue {
        try PatchType.json.apply(patch, to: target)
    }

    /// Kubernetes strategic merge patch.
    static func strategicMergePatch(_ target: JSONValue, _ patch: JSONValue) throws(StatusError) -> JSONValue {
        try PatchType.strategicMerge.apply(patch, to: target)
    }

    typealias IncludeObject = TableRenderer.IncludeObject

    /// A meta.k8s.io/v1 Table for objects of `resource`.
    static func table(resource: ResourceInfo, objects: [JSONValue], resourceVersion: String, continueToken: String?,
                      includeObject: IncludeObject, includeHeaders: Bool, now: Date) -> JSONValue {
        TableRenderer(now: now, includeObject: includeObject)
            .table(for: resource, objects: objects, resourceVersion: resourceVersion, continueToken: continueToken,
                   includeColumnDefinitions: includeHeaders)
    }
}
