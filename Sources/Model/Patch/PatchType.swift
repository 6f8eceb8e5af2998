/// The patch formats a PATCH request can carry, named by their Content-Type.
/// (`application/apply-patch+yaml`, server-side apply, is handled elsewhere.)
public enum PatchType: String, Sendable, CaseIterable {
    /// RFC 6902 JSON patch: `rollout undo`, Python list bodies.
    case json = "application/json-patch+json"
    /// RFC 7386 JSON merge patch: `scale`.
    case merge = "application/merge-patch+json"
    /// Kubernetes strategic merge patch: `apply`, `cordon`, `set image`, Python dict bodies.
    case strategicMerge = "application/strategic-merge-patch+json"

    /// The patch type of a Content-Type header value; parameters such as `; charset=utf-8` are ignored.
    public init?(contentType: String) {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        self.init(rawValue: mediaType.trimmingSpaces.lowercased())
    }

    /// Parses a PATCH body and applies it to `original`. Bodies that are not JSON, or not the shape
    /// this patch type needs, are 400s; patches that cannot apply to this object are 422s.
    public func apply(body: [UInt8], to original: JSONValue) throws(StatusError) -> JSONValue {
        let patch: JSONValue
        do {
            patch = try JSONValue.parse(body)
        } catch {
            throw .badRequest("the patch body is not valid JSON: \(error.description).")
        }
        return try apply(patch, to: original)
    }

    /// Applies an already parsed patch to `original`.
    public func apply(_ patch: JSONValue, to original: JSONValue) throws(StatusError) -> JSONValue {
        switch self {
        case .json:
            return try JSONPatch(parsing: patch).applied(to: original)
        case .merge:
            guard patch.object != nil else {
                throw .badRequest("a JSON merge patch must be a JSON object, not \(patch.typeName).")
            }
            return original.mergePatched(with: patch)
        case .strategicMerge:
            return try StrategicMergePatch.apply(patch, to: original)
        }
    }
}
