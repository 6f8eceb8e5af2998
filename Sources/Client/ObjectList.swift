import Model

/// One list answer (or several pages merged): the items and the list's resourceVersion, from which
/// a watch can continue.
public struct ObjectList: Sendable, Equatable {
    /// `JobList`, as the server sent it.
    public var kind: String
    /// `batch/v1`.
    public var apiVersion: String
    public var items: [JSONValue]
    /// The list's `metadata.resourceVersion`.
    public var resourceVersion: String
    /// `metadata.continue` when more pages remain and they were not fetched.
    public var continueToken: String?

    public init(kind: String, apiVersion: String, items: [JSONValue], resourceVersion: String, continueToken: String? = nil) {
        self.kind = kind
        self.apiVersion = apiVersion
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
    }

    /// Reads a list document; items missing → empty.
    public init(json: JSONValue, resource: ResourceInfo) throws {
        guard json.object != nil else { throw ClientError.invalidResponse("the list answer is not a JSON object") }
        kind = json["kind"]?.string ?? resource.listKind
        apiVersion = json["apiVersion"]?.string ?? resource.apiVersion
        items = json["items"]?.array ?? []
        resourceVersion = json.value(at: ["metadata", "resourceVersion"])?.string ?? ""
        let token = json.value(at: ["metadata", "continue"])?.string ?? ""
        continueToken = token.isEmpty ? nil : token
    }

    /// The list as a JSON document.
    public var json: JSONValue {
        var metadata: JSONValue = ["resourceVersion": .string(resourceVersion)]
        if let continueToken { metadata["continue"] = .string(continueToken) }
        return ["kind": .string(kind), "apiVersion": .string(apiVersion), "metadata": metadata, "items": .array(items)]
    }
}
