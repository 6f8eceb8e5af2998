extension JSONValue {
    /// This document with an RFC 7386 JSON merge patch applied: objects merge key by key, `null`
    /// deletes a key, and anything else (arrays included) replaces the target wholesale.
    /// A patch that is not an object replaces the whole document, as the RFC says.
    public func mergePatched(with patch: JSONValue) -> JSONValue {
        guard case .object(let patchObject) = patch else { return patch }
        var result = object ?? JSONObject()
        for (key, value) in patchObject.pairs {
            if value.isNull {
                result[key] = nil
            } else {
                result[key] = (result[key] ?? .null).mergePatched(with: value)
            }
        }
        return .object(result)
    }
}
