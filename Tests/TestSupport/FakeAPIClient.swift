import Client
import Foundation
import Model

/// An in-memory `APIClient` for unit tests of controllers and the CLI: objects by
/// resource/namespace/name, a global resourceVersion counter, selectors on list and watch, live
/// watch streams, and a record of every call.
///
/// Patches of every type except JSON patch are applied as JSON merge patches (close enough for
/// tests: strategic merge differs only for keyed lists). A write that changes nothing keeps the
/// resourceVersion, as the real server does.
public final class FakeAPIClient: APIClient, @unchecked Sendable {
    /// One recorded call.
    public struct Call: Sendable, Equatable {
        /// `get`, `list`, `create`, `update`, `updateStatus`, `patch`, `delete`, `watch`, `raw`.
        public var verb: String
        /// `ResourceInfo.storageName`, or the path for `raw`.
        public var resource: String
        public var namespace: String?
        public var name: String?
        /// The request body, when there is one.
        public var body: JSONValue?
    }

    struct Key: Hashable, Comparable {
        var resource: String
        var namespace: String
        var name: String
        static func < (a: Key, b: Key) -> Bool { (a.resource, a.namespace, a.name) < (b.resource, b.namespace, b.name) }
    }

    struct Watcher {
        var id: Int
        var resource: ResourceInfo
        var namespace: String?
        var labels: LabelSelector
        var fields: FieldSelector
        var continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation
    }

    /// One change, kept so a watch from a resourceVersion misses nothing written after it.
    struct HistoryEntry {
        var type: WatchEvent.EventType
        var resource: ResourceInfo
        var object: JSONValue
        var version: Int64
    }

    let lock = NSLock()
    var history: [HistoryEntry] = []
    var objects: [Key: JSONValue] = [:]
    var resourceVersion: Int64 = 100
    var recorded: [Call] = []
    var watchers: [Watcher] = []
    var nextWatcherID = 0
    var injectedErrors: [String: [any Error]] = [:]
    var rawHandler: (@Sendable (RawRequest) -> RawResponse?)?

    public init() {}

    // MARK: Test controls

    /// Every call so far, in order.
    public var calls: [Call] { lock.withLock { recorded } }

    /// The current global resourceVersion.
    public var currentResourceVersion: Int64 { lock.withLock { resourceVersion } }

    /// The stored object, without recording a call.
    public func object(_ resource: ResourceInfo, namespace: String?, name: String) -> JSONValue? {
        lock.withLock { objects[key(resource, namespace, name)] }
    }

    /// Every stored object of `resource`, sorted by namespace and name, without recording a call.
    public func snapshot(_ resource: ResourceInfo) -> [JSONValue] {
        lock.withLock { objects.keys.sorted().filter { $0.resource == resource.storageName }.compactMap { objects[$0] } }
    }

    /// Stores objects as if created through the API (no call is recorded).
    public func seed(_ resource: ResourceInfo, _ items: JSONValue...) throws {
        for item in items {
            _ = try lock.withLock { try store(resource, namespace: nil, object: item) }
        }
    }

    /// Makes the next call of `verb` fail with `error` (queued per verb).
    public func failNext(_ verb: String, with error: any Error) {
        lock.withLock { injectedErrors[verb, default: []].append(error) }
    }

    /// Answers `raw` requests; returning nil falls back to the built-in handling (GET of resource paths).
    public func setRawHandler(_ handler: @escaping @Sendable (RawRequest) -> RawResponse?) {
        lock.withLock { rawHandler = handler }
    }

    /// Ends every open watch with `error` (e.g. `ClientError.watchExpired`), or normally with nil.
    public func endWatches(throwing error: (any Error)? = nil) {
        let ended = lock.withLock { () -> [Watcher] in
            defer { watchers.removeAll() }
            return watchers
        }
        for watcher in ended { watcher.continuation.finish(throwing: error) }
    }

    // MARK: APIClient

    public func get(_ resource: ResourceInfo, namespace: String?, name: String) async throws -> JSONValue {
        try lock.withLock {
            try begin("get", resource, namespace, name, nil)
            guard let object = objects[key(resource, namespace, name)] else { throw notFound(resource, name) }
            return object
        }
    }

    public func list(_ resource: ResourceInfo, namespace: String?, options: ListOptions) async throws -> ObjectList {
        try lock.withLock {
            try begin("list", resource, namespace, nil, nil)
            let labels = try parseLabels(options.labelSelector)
            let fields = try parseFields(options.fieldSelector, resource)
            var items = objects.keys.sorted()
                .filter { matches($0, objects[$0]!, resource, namespace, labels, fields) }
                .map { objects[$0]! }
            var token: String?
            if !options.allPages, let limit = options.limit, limit > 0 {
                let start = Int(options.continueToken ?? "0") ?? 0
                let end = min(items.count, start + limit)
                token = end < items.count ? String(end) : nil
                items = Array(items[min(start, items.count)..<end])
            }
            return ObjectList(kind: resource.listKind, apiVersion: resource.apiVersion, items: items,
                              resourceVersion: String(resourceVersion), continueToken: token)
        }
    }

    public func create(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue {
        let (stored, event) = try lock.withLock {
            try begin("create", resource, namespace, object.value(at: ["metadata", "name"])?.string, object)
            let stored = try store(resource, namespace: namespace, object: object)
            return (stored, publish(.added, resource, stored))
        }
        for watcher in event { watcher.continuation.yield(WatchEvent(type: .added, object: stored)) }
        return stored
    }

    public func update(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue {
        try await replace("update", resource, namespace, object) { old, new in
            var merged = new
            merged["status"] = old["status"]
            return merged
        }
    }

    public func updateStatus(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue {
        try await replace("updateStatus", resource, namespace, object) { old, new in
            var merged = old
            merged["status"] = new["status"]
            return merged
        }
    }

    public func patch(_ resource: ResourceInfo, namespace: String?, name: String, type: PatchType, body: JSONValue,
                      subresource: String?) async throws -> JSONValue {
        var target = body.object != nil ? body : .emptyObject
        target["metadata"] = body["metadata"] ?? .emptyObject
        target.setValue(.string(name), at: ["metadata", "name"])
        return try await replace("patch", resource, namespace, target, recordedBody: body) { old, _ in
            try type.apply(body, to: old)
        }
    }

    public func delete(_ resource: ResourceInfo, namespace: String?, name: String, options: DeleteOptions) async throws -> JSONValue {
        let (deleted, type, event) = try lock.withLock { () -> (JSONValue, WatchEvent.EventType, [Watcher]) in
            try begin("delete", resource, namespace, name, options.body)
            let k = key(resource, namespace, name)
            guard var object = objects[k] else { throw notFound(resource, name) }
            if let uid = options.preconditionUID, uid != object.value(at: ["metadata", "uid"])?.string {
                throw StatusError.conflict(resource: resource.plural, group: resource.group, name: name)
            }
            resourceVersion += 1
            object.setValue(.string(String(resourceVersion)), at: ["metadata", "resourceVersion"])
            // As the server: finalizers (and the one a Foreground or Orphan propagation adds) defer
            // the deletion; the object is marked and goes once the last finalizer is removed.
            var finalizers = (object.value(at: ["metadata", "finalizers"])?.array ?? []).compactMap(\.string)
            switch options.propagationPolicy {
            case .foreground?: if !finalizers.contains("foregroundDeletion") { finalizers.append("foregroundDeletion") }
            case .orphan?: if !finalizers.contains("orphan") { finalizers.append("orphan") }
            default: break
            }
            if !finalizers.isEmpty {
                if object.value(at: ["metadata", "deletionTimestamp"]) == nil {
                    object.setValue(.string(Timestamp.format(Date())), at: ["metadata", "deletionTimestamp"])
                }
                object.setValue(.array(finalizers.map { .string($0) }), at: ["metadata", "finalizers"])
                objects[k] = object
                return (object, .modified, publish(.modified, resource, object))
            }
            objects[k] = nil
            return (object, .deleted, publish(.deleted, resource, object))
        }
        for watcher in event { watcher.continuation.yield(WatchEvent(type: type, object: deleted)) }
        if type == .modified { return deleted }
        return ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success",
                "details": ["name": .string(name), "group": .string(resource.group), "kind": .string(resource.plural)]]
    }

    public func watch(_ resource: ResourceInfo, namespace: String?, options: WatchOptions) -> AsyncThrowingStream<WatchEvent, any Error> {
        AsyncThrowingStream { continuation in
            do {
                let initial = try lock.withLock { () -> [WatchEvent] in
                    try begin("watch", resource, namespace, nil, nil)
                    let labels = try parseLabels(options.labelSelector)
                    let fields = try parseFields(options.fieldSelector, resource)
                    let id = nextWatcherID
                    nextWatcherID += 1
                    watchers.append(Watcher(id: id, resource: resource, namespace: namespace, labels: labels,
                                            fields: fields, continuation: continuation))
                    continuation.onTermination = { [weak self] _ in
                        self?.lock.withLock { self?.watchers.removeAll { $0.id == id } }
                    }
                    // From a resourceVersion: what changed since, as the server's change log replays it.
                    if let from = options.resourceVersion.flatMap({ Int64($0) }), from > 0 {
                        return history.filter { entry in
                            entry.version > from && entry.resource == resource
                                && matches(key(resource, entry.object.value(at: ["metadata", "namespace"])?.string, ""), entry.object,
                                           resource, namespace, labels, fields)
                        }.map { WatchEvent(type: $0.type, object: $0.object) }
                    }
                    return objects.keys.sorted()
                        .filter { matches($0, objects[$0]!, resource, namespace, labels, fields) }
                        .map { WatchEvent(type: .added, object: objects[$0]!) }
                }
                for event in initial { continuation.yield(event) }
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }

    public func raw(_ request: RawRequest) async throws -> RawResponse {
        let handler = try lock.withLock { () -> (@Sendable (RawRequest) -> RawResponse?)? in
            try begin("raw", nil, nil, nil, request.body.flatMap { try? JSONValue.parse($0) }, path: request.path)
            return rawHandler
        }
        if let response = handler?(request) { return response }
        return await FakeAPIClient.serveResourceGet(request, client: self)
    }
}
