extension StrategicMergePatch {
    /// Merges a patch list into a list according to the field's `ListMergeStrategy`.
    static func mergeList(_ original: [JSONValue], _ patch: [JSONValue], field: String) throws(StatusError) -> [JSONValue] {
        switch ListMergeStrategy.forField(field) {
        case .replace:
            var result: [JSONValue] = []
            for element in patch {
                if case .object(let o) = element {
                    if let cleaned = try merge(JSONObject(), o) { result.append(.object(cleaned)) }
                } else {
                    result.append(element)
                }
            }
            return result
        case .mergePrimitives:
            var result: [JSONValue] = []
            for value in original + patch where !result.contains(where: { $0.isEquivalent(to: value) }) {
                result.append(value)
            }
            return result
        case .mergeByKey(let key):
            return try mergeByKey(original, patch, key: key, field: field)
        }
    }

    private static func mergeByKey(_ original: [JSONValue], _ patch: [JSONValue], key: String,
                                   field: String) throws(StatusError) -> [JSONValue] {
        // One `{"$patch":"replace"}` element makes the rest of the patch list the whole list.
        let replaces = patch.contains { $0[patchDirective]?.string == "replace" }
        var result = replaces ? [] : original
        for element in patch {
            guard case .object(var item) = element else {
                if case .array = element {
                    throw .unprocessablePatch("lists of lists are not supported (in \"\(field)\").")
                }
                throw .badRequest("the \"\(field)\" list merges objects by \"\(key)\", but the patch has \(element.jsonString()).")
            }
            if let directive = item[patchDirective] {
                item[patchDirective] = nil
                switch directive.string {
                case "replace": continue
                case "delete":
                    let keyValue = try mergeKeyValue(of: item, key: key, field: field)
                    result.removeAll { $0[key]?.isEquivalent(to: keyValue) ?? false }
                    continue
                case "merge": break
                default:
                    throw .badRequest("unknown strategic merge patch directive \"$patch\": \(directive.jsonString()) in \"\(field)\"; use replace, delete or merge.")
                }
            }
            let keyValue = try mergeKeyValue(of: item, key: key, field: field)
            if let match = result.firstIndex(where: { $0[key]?.isEquivalent(to: keyValue) ?? false }),
               case .object(let existing) = result[match] {
                if let merged = try merge(existing, item) {
                    result[match] = .object(merged)
                } else {
                    result.remove(at: match)
                }
            } else if let fresh = try merge(JSONObject(), item) {
                result.append(.object(fresh))
            }
        }
        return result
    }

    private static func mergeKeyValue(of item: JSONObject, key: String, field: String) throws(StatusError) -> JSONValue {
        guard let value = item[key], !value.isNull else {
            throw .badRequest("the \"\(field)\" element \(JSONValue.object(item).jsonString()) does not contain its merge key \"\(key)\".")
        }
        return value
    }

    /// Applies `$setElementOrder/<field>`: the elements the order names take the places such elements
    /// already hold, in the order given; elements it does not name keep their places.
    static func ordered(_ list: [JSONValue], by order: [JSONValue], field: String) throws(StatusError) -> [JSONValue] {
        let identity: (JSONValue) -> JSONValue?
        var wanted: [JSONValue]
        switch ListMergeStrategy.forField(field) {
        case .replace:
            return list
        case .mergePrimitives:
            identity = { $0 }
            wanted = order
        case .mergeByKey(let key):
            identity = { $0[key] }
            wanted = []
            for entry in order {
                guard let value = entry[key] else {
                    throw .badRequest("invalid patch format of setElementOrder list: each \"$setElementOrder/\(field)\" entry must name its \"\(key)\".")
                }
                wanted.append(value)
            }
        }
        func rank(_ element: JSONValue) -> Int? {
            guard let id = identity(element) else { return nil }
            return wanted.firstIndex { $0.isEquivalent(to: id) }
        }
        let slots = list.indices.filter { rank(list[$0]) != nil }
        let sorted = slots.map { list[$0] }.enumerated()
            .sorted { (rank($0.element) ?? 0, $0.offset) < (rank($1.element) ?? 0, $1.offset) }
            .map(\.element)
        var result = list
        for (slot, element) in zip(slots, sorted) { result[slot] = element }
        return result
    }
}
