import Model

/// Everything a Drover component does against the API server, in Kubernetes terms.
///
/// Errors: the server's refusals arrive as `StatusError` (decoded from the `Status` body); transport
/// problems as `ClientError`. Paths come from `ResourceInfo`, so callers never spell URLs.
/// `namespace` is ignored for cluster-scoped resources; for namespaced ones `nil` means
/// "all namespaces" on list and watch and is an error elsewhere.
public protocol APIClient: Sendable {
    /// `GET …/{plural}/{name}`.
    func get(_ resource: ResourceInfo, namespace: String?, name: String) async throws -> JSONValue

    /// `GET …/{plural}`; follows `continue` tokens when `options.allPages` is set.
    func list(_ resource: ResourceInfo, namespace: String?, options: ListOptions) async throws -> ObjectList

    /// `POST …/{plural}`; the stored object comes back.
    func create(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue

    /// `PUT …/{plural}/{metadata.name}`; a stale `metadata.resourceVersion` gets 409 Conflict.
    func update(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue

    /// `PUT …/{plural}/{metadata.name}/status`.
    func updateStatus(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue

    /// `PATCH …/{plural}/{name}[/{subresource}]` with the Content-Type of `type`.
    func patch(_ resource: ResourceInfo, namespace: String?, name: String, type: PatchType, body: JSONValue,
               subresource: String?) async throws -> JSONValue

    /// `DELETE …/{plural}/{name}` with a `DeleteOptions` body; returns the server's answer (a
    /// `Status`, or the object while a graceful deletion is under way).
    func delete(_ resource: ResourceInfo, namespace: String?, name: String, options: DeleteOptions) async throws -> JSONValue

    /// `GET …/{plural}?watch=true`: events until the server ends the stream or the consumer stops
    /// iterating. An `ERROR` event with code 410 ends the stream with `ClientError.watchExpired`,
    /// any other `ERROR` event with its `StatusError`.
    func watch(_ resource: ResourceInfo, namespace: String?, options: WatchOptions) -> AsyncThrowingStream<WatchEvent, any Error>

    /// Any request, for what the typed calls do not cover (Table output, logs, discovery). Never
    /// throws for a non-2xx answer; call `RawResponse.checked()` for that.
    func raw(_ request: RawRequest) async throws -> RawResponse

    /// Any request whose body arrives over time (a followed log): its chunks as they come; a
    /// non-2xx answer ends the stream with its `StatusError`.
    func stream(_ request: RawRequest) -> AsyncThrowingStream<[UInt8], any Error>
}

extension APIClient {
    /// The whole body as one chunk, for clients that have no streaming transport (test fakes).
    public func stream(_ request: RawRequest) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    continuation.yield(try await raw(request).checked().body)
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Lists with default options (everything, all pages).
    public func list(_ resource: ResourceInfo, namespace: String?) async throws -> ObjectList {
        try await list(resource, namespace: namespace, options: ListOptions())
    }

    /// Patches the main resource.
    public func patch(_ resource: ResourceInfo, namespace: String?, name: String, type: PatchType,
                      body: JSONValue) async throws -> JSONValue {
        try await patch(resource, namespace: namespace, name: name, type: type, body: body, subresource: nil)
    }

    /// Deletes with background propagation, as kubectl does.
    public func delete(_ resource: ResourceInfo, namespace: String?, name: String) async throws -> JSONValue {
        try await delete(resource, namespace: namespace, name: name, options: DeleteOptions())
    }

    /// The object, or nil when the server answers 404.
    public func getIfPresent(_ resource: ResourceInfo, namespace: String?, name: String) async throws -> JSONValue? {
        do {
            return try await get(resource, namespace: namespace, name: name)
        } catch let error as StatusError where error.code == 404 {
            return nil
        }
    }
}
