import Client
import Model

/// An `APIClient` that hands every call to a `FakeAPIClient`; tests subclass it and override only
/// the calls they want to intercept (a binding endpoint, a hook before creates).
open class ForwardingAPIClient: APIClient, @unchecked Sendable {
    public let fake: FakeAPIClient

    public init(fake: FakeAPIClient = FakeAPIClient()) {
        self.fake = fake
    }

    open func get(_ resource: ResourceInfo, namespace: String?, name: String) async throws -> JSONValue {
        try await fake.get(resource, namespace: namespace, name: name)
    }

    open func list(_ resource: ResourceInfo, namespace: String?, options: ListOptions) async throws -> ObjectList {
        try await fake.list(resource, namespace: namespace, options: options)
    }

    open func create(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue {
        try await fake.create(resource, namespace: namespace, object: object)
    }

    open func update(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue {
        try await fake.update(resource, namespace: namespace, object: object)
    }

    open func updateStatus(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue {
        try await fake.updateStatus(resource, namespace: namespace, object: object)
    }

    open func patch(_ resource: ResourceInfo, namespace: String?, name: String, type: PatchType, body: JSONValue,
                    subresource: String?) async throws -> JSONValue {
        try await fake.patch(resource, namespace: namespace, name: name, type: type, body: body, subresource: subresource)
    }

    open func delete(_ resource: ResourceInfo, namespace: String?, name: String, options: DeleteOptions) async throws -> JSONValue {
        try await fake.delete(resource, namespace: namespace, name: name, options: options)
    }

    open func watch(_ resource: ResourceInfo, namespace: String?, options: WatchOptions) -> AsyncThrowingStream<WatchEvent, any Error> {
        fake.watch(resource, namespace: namespace, options: options)
    }

    open func raw(_ request: RawRequest) async throws -> RawResponse {
        try await fake.raw(request)
    }
}
