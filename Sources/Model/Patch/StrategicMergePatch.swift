/// Kubernetes strategic merge patch (`application/strategic-merge-patch+json`), as the API server
/// applies it to the built-in kinds: a JSON merge patch whose lists merge by their patch merge key
/// (see `ListMergeStrategy`), plus upstream's directives:
///
/// - `null` deletes a field (`{"spec":{"unschedulable":null}}` uncordons a node);
/// - `"$patch": "replace" | "delete" | "merge"` in a map, and `{"$patch":"delete", <key>: v}` or
///   `{"$patch":"replace"}` as list elements;
/// - `"$retainKeys": [...]` drops every field of the map that the list does not name;
/// - `"$setElementOrder/<list>": [...]` orders the merged list;
/// - `"$deleteFromPrimitiveList/<list>": [...]` removes values from a list of primitives.
///
/// Directives never reach the result. Malformed patches are 400s; a list of lists is a 422.
public enum StrategicMergePatch {
    static let patchDirective = "$patch"
    static let retainKeysDirective = "$retainKeys"
    static let setElementOrderPrefix = "$setElementOrder/"
    static let deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/"

    /// `original` with `patch` applied. A non-object original is treated as `{}`.
    public static func apply(_ patch: JSONValue, to original: JSONValue) throws(StatusError) -> JSONValue {
        guard case .object(let patchObject) = patch else {
            throw .badRequest("a strategic merge patch must be a JSON object, not \(patch.typeName).")
        }
        // A top-level `$patch: delete` leaves nothing behind.
        return .object(try merge(original.object ?? JSONObject(), patchObject) ?? JSONObject())
    }

    /// Merges a patch map into a map; nil means the patch asked for the map to be deleted.
    /// Merging into an empty map is also how new values are cleaned of nulls and directives.
    static func merge(_ original: JSONObject, _ patchObject: JSONObject) throws(StatusError) -> JSONObject? {
        var patch = patchObject
        var result = original
        if let directive = patch[patchDirective] {
            patch[patchDirective] = nil
            switch directive.string {
            case "replace": result = JSONObject()
            case "delete": return nil
            case "merge": break
            default:
                throw .badRequest("unknown strategic merge patch directive \"$patch\": \(directive.jsonString()); use replace, delete or merge.")
            }
        }
        if let retained = patch[retainKeysDirective] {
            patch[retainKeysDirective] = nil
            try retainKeys(retained, patch: patch, in: &result)
        }
        var orders: [(field: String, order: [JSONValue])] = []
        for (key, value) in patch.pairs {
            if key.hasPrefix(deleteFromPrimitiveListPrefix) {
                let field = String(key.dropFirst(deleteFromPrimitiveListPrefix.count))
                guard case .array(let doomed) = value else {
                    throw .badRequest("invalid patch format of primitive list: \"\(key)\" must be a list.")
                }
                if case .array(let list) = result[field] {
                    result[field] = .array(list.filter { item in !doomed.contains { $0.isEquivalent(to: item) } })
                }
            } else if key.hasPrefix(setElementOrderPrefix) {
                guard case .array(let order) = value else {
                    throw .badRequest("invalid patch format of setElementOrder list: \"\(key)\" must be a list.")
                }
                orders.append((String(key.dropFirst(setElementOrderPrefix.count)), order))
            } else if value.isNull {
                result[key] = nil
            } else {
                result[key] = try mergeValue(result[key], value, field: key)
            }
        }
        for (field, order) in orders {
            if case .array(let list) = result[field] {
                result[field] = .array(try ordered(list, by: order, field: field))
            }
        }
        return result
    }

    /// One field: maps merge, lists follow their strategy, anything else replaces. Nil deletes the field.
    private static func mergeValue(_ original: JSONValue?, _ patch: JSONValue, field: String) throws(StatusError) -> JSONValue? {
        switch (original, patch) {
        case (.object(let o)?, .object(let p)):
            return try merge(o, p).map(JSONValue.object)
        case (_, .object(let p)):
            return try merge(JSONObject(), p).map(JSONValue.object)
        case (.array(let o)?, .array(let p)):
            return .array(try mergeList(o, p, field: field))
        case (_, .array(let p)):
            return .array(try mergeList([], p, field: field))
        default:
            return patch
        }
    }

    /// Applies `$retainKeys`: every field the patch sets must be listed, and unlisted fields go.
    private static func retainKeys(_ directive: JSONValue, patch: JSONObject, in result: inout JSONObject) throws(StatusError) {
        let names = directive.array?.compactMap(\.string)
        guard let names, names.count == directive.array?.count else {
            throw .badRequest("invalid patch format of retainKeys: \"$retainKeys\" must be a list of field names.")
        }
        let retained = Set(names)
        for (key, value) in patch.pairs where !value.isNull && !key.hasPrefix("$") && !retained.contains(key) {
            throw .badRequest("invalid patch format of retainKeys: the patch sets \"\(key)\", which \"$retainKeys\" does not list.")
        }
        for key in result.keys where !retained.contains(key) {
            result[key] = nil
        }
    }
}
