import Model

extension HTTPAPIClient {
    public func get(_ resource: ResourceInfo, namespace: String?, name: String) async throws -> JSONValue {
        let path = try ResourcePath.object(resource, namespace: namespace, name: name)
        return try await send(RawRequest(method: "GET", path: path))
    }

    public func list(_ resource: ResourceInfo, namespace: String?, options: ListOptions) async throws -> ObjectList {
        let path = ResourcePath.collection(resource, namespace: namespace)
        var continueToken = options.continueToken
        var result: ObjectList?
        repeat {
            var query: [(String, String)] = []
            if let s = options.labelSelector, !s.isEmpty { query.append(("labelSelector", s)) }
            if let s = options.fieldSelector, !s.isEmpty { query.append(("fieldSelector", s)) }
            if let limit = options.limit { query.append(("limit", String(limit))) }
            if let continueToken { query.append(("continue", continueToken)) }
            if let rv = options.resourceVersion, continueToken == nil { query.append(("resourceVersion", rv)) }
            let page = try ObjectList(json: try await send(RawRequest(method: "GET", path: path, query: query)),
                                      resource: resource)
            if var merged = result {
                merged.items += page.items
                merged.continueToken = page.continueToken
                result = merged
            } else {
                result = page
            }
            continueToken = page.continueToken
        } while options.allPages && continueToken != nil
        // `result` is always set: the loop body runs at least once.
        return result ?? ObjectList(kind: resource.listKind, apiVersion: resource.apiVersion, items: [], resourceVersion: "")
    }

    public func create(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue {
        let namespace = namespace ?? object.value(at: ["metadata", "namespace"])?.string
        if resource.namespaced && (namespace ?? "").isEmpty {
            throw ClientError.invalidRequest("\(resource.storageName) are namespaced, so creating one needs a namespace")
        }
        let path = ResourcePath.collection(resource, namespace: namespace)
        return try await send(RawRequest(method: "POST", path: path, json: object))
    }

    public func update(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue {
        try await put(resource, namespace: namespace, object: object, subresource: nil)
    }

    public func updateStatus(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue {
        try await put(resource, namespace: namespace, object: object, subresource: "status")
    }

    public func patch(_ resource: ResourceInfo, namespace: String?, name: String, type: PatchType, body: JSONValue,
                      subresource: String?) async throws -> JSONValue {
        let path = try ResourcePath.object(resource, namespace: namespace, name: name, subresource: subresource)
        return try await send(RawRequest(method: "PATCH", path: path, json: body, contentType: type.rawValue))
    }

    public func delete(_ resource: ResourceInfo, namespace: String?, name: String, options: DeleteOptions) async throws -> JSONValue {
        let path = try ResourcePath.object(resource, namespace: namespace, name: name)
        return try await send(RawRequest(method: "DELETE", path: path, json: options.body))
    }

    private func put(_ resource: ResourceInfo, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue {
        let namespace = namespace ?? object.value(at: ["metadata", "namespace"])?.string
        let path = try ResourcePath.object(resource, namespace: namespace, name: object.metadataName, subresource: subresource)
        return try await send(RawRequest(method: "PUT", path: path, json: object))
    }

    /// Sends a request and returns its JSON body, throwing `StatusError` for non-2xx answers.
    private func send(_ request: RawRequest) async throws -> JSONValue {
        try await raw(request).checked().json()
    }
}
