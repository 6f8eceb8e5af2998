import Foundation
import Model

/// List + watch of one resource into a thread-safe local cache keyed by `namespace/name`, with
/// handlers for adds, updates and deletes (client-go's SharedInformer, reduced).
///
/// The informer lists once, then watches from the list's resourceVersion. A watch that ends
/// normally (server timeout) resumes from the last resourceVersion seen; a 410 Gone
/// (`ClientError.watchExpired`) relists at once; any other failure (connection lost, server error)
/// relists after a back-off. A relist diffs against the cache, so handlers see adds, updates and
/// deletes that happened while the watch was down.
public final class Informer: @unchecked Sendable {
    /// The resource watched.
    public let resource: ResourceInfo
    private let client: any APIClient
    private let namespace: String?
    private let labelSelector: String?
    private let fieldSelector: String?
    private let backoff: InformerBackoff
    private let clock: any TimeSource

    private let lock = NSLock()
    private var cache: [String: JSONValue] = [:]
    private var handlers: [InformerHandler] = []
    private var indexers: [String: @Sendable (JSONValue) -> [String]] = [:]
    /// Index name → indexed value → keys of the cached objects with that value.
    private var indices: [String: [String: Set<String>]] = [:]
    private var synced = false
    private var lastResourceVersion = ""
    private var syncWaiters: [CheckedContinuation<Void, Never>] = []
    private var task: Task<Void, Never>?
    private var stopped = false

    /// An informer on `resource` (in `namespace`, or all namespaces when nil), optionally narrowed
    /// by selectors in query form.
    public init(client: any APIClient, resource: ResourceInfo, namespace: String? = nil, labelSelector: String? = nil,
                fieldSelector: String? = nil, backoff: InformerBackoff = InformerBackoff(), clock: any TimeSource = SystemTimeSource()) {
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.backoff = backoff
        self.clock = clock
    }

    deinit { task?.cancel() }

    /// Adds a handler; register handlers before `start()` so none misses the first list.
    public func addHandler(_ handler: InformerHandler) {
        lock.withLock { handlers.append(handler) }
    }

    /// Adds an index: `keys` gives the values an object is found under (`byIndex(name, value)`).
    /// Objects already cached are indexed at once; adding a name twice keeps the first.
    public func addIndex(_ name: String, _ keys: @escaping @Sendable (JSONValue) -> [String]) {
        lock.withLock {
            guard indexers[name] == nil else { return }
            indexers[name] = keys
            var index: [String: Set<String>] = [:]
            for (key, object) in cache {
                for value in keys(object) { index[value, default: []].insert(key) }
            }
            indices[name] = index
        }
    }

    /// The cached objects found under `value` in the index `name` (empty for an unknown index).
    public func byIndex(_ name: String, _ value: String) -> [JSONValue] {
        lock.withLock { (indices[name]?[value] ?? []).compactMap { cache[$0] } }
    }

    /// The keys of the cached objects found under `value` in the index `name`.
    public func keys(inIndex name: String, _ value: String) -> [String] {
        lock.withLock { Array(indices[name]?[value] ?? []) }
    }

    /// Hands every cached object to the handlers' `onUpdate` as both old and new state (a resync:
    /// controllers re-check everything now and then, so a missed event is eventually repaired).
    public func resync() {
        let (objects, current) = lock.withLock { (Array(cache.values), handlers) }
        for object in objects { current.forEach { $0.onUpdate(object, object) } }
    }

    /// Starts listing and watching in the background. Calling it twice does nothing.
    public func start() {
        lock.withLock {
            guard task == nil, !stopped else { return }
            task = Task { [weak self] in await self?.run() }
        }
    }

    /// Stops watching; the cache keeps its last contents. Releases anyone waiting for the sync.
    public func stop() {
        let (running, waiters) = lock.withLock { () -> (Task<Void, Never>?, [CheckedContinuation<Void, Never>]) in
            stopped = true
            defer { syncWaiters = [] }
            return (task, syncWaiters)
        }
        running?.cancel()
        waiters.forEach { $0.resume() }
    }

    /// True once the first list has been delivered to the handlers.
    public var hasSynced: Bool { lock.withLock { synced } }

    /// Returns when the first list has been delivered (or the informer was stopped).
    public func waitForSync() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = lock.withLock { () -> Bool in
                if synced || stopped { return true }
                syncWaiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// The resourceVersion the next watch continues from.
    public var resourceVersion: String { lock.withLock { lastResourceVersion } }

    /// The cached object with this key (`namespace/name`, or `name` when cluster-scoped).
    public func get(_ key: String) -> JSONValue? { lock.withLock { cache[key] } }

    /// Every cached object, in no particular order.
    public func list() -> [JSONValue] { lock.withLock { Array(cache.values) } }

    /// Every cached key.
    public var keys: [String] { lock.withLock { Array(cache.keys) } }

    // MARK: The loop

    private func run() async {
        var needsList = true
        var failures = 0
        while !Task.isCancelled {
            do {
                if needsList {
                    try await relist()
                    needsList = false
                }
                try await watchOnce()
                failures = 0
            } catch is CancellationError {
                return
            } catch ClientError.watchExpired {
                needsList = true
            } catch {
                if Task.isCancelled { return }
                needsList = true
                failures += 1
                do { try await clock.sleep(seconds: backoff.delay(afterFailures: failures)) } catch { return }
            }
        }
    }

    private func relist() async throws {
        let list = try await client.list(resource, namespace: namespace,
                                         options: ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector))
        try Task.checkCancellation()
        var fresh: [String: JSONValue] = [:]
        for item in list.items { fresh[objectKey(item)] = item }
        let (old, current) = lock.withLock { () -> ([String: JSONValue], [InformerHandler]) in
            defer {
                cache = fresh
                lastResourceVersion = list.resourceVersion
                rebuildIndicesLocked()
            }
            return (cache, handlers)
        }
        // Differences against the cache, so handlers see what happened while the watch was down;
        // adds in the server's order.
        for (key, object) in old where fresh[key] == nil {
            current.forEach { $0.onDelete(object) }
        }
        for object in list.items {
            let key = objectKey(object)
            if let previous = old[key] {
                if previous != object { current.forEach { $0.onUpdate(previous, object) } }
            } else {
                current.forEach { $0.onAdd(object) }
            }
        }
        let waiters = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            synced = true
            defer { syncWaiters = [] }
            return syncWaiters
        }
        waiters.forEach { $0.resume() }
    }

    private func watchOnce() async throws {
        let options = WatchOptions(resourceVersion: resourceVersion, labelSelector: labelSelector, fieldSelector: fieldSelector,
                                   timeoutSeconds: Int.random(in: 300...600), allowBookmarks: true)
        for try await event in client.watch(resource, namespace: namespace, options: options) {
            try Task.checkCancellation()
            apply(event)
        }
        try Task.checkCancellation()
    }

    private func apply(_ event: WatchEvent) {
        let key = objectKey(event.object)
        let rv = event.resourceVersion
        let (current, previous) = lock.withLock { () -> ([InformerHandler], JSONValue?) in
            if !rv.isEmpty { lastResourceVersion = rv }
            let previous = cache[key]
            switch event.type {
            case .added, .modified:
                cache[key] = event.object
                reindexLocked(key, old: previous, new: event.object)
            case .deleted:
                cache[key] = nil
                reindexLocked(key, old: previous, new: nil)
            case .bookmark, .error: break
            }
            return (handlers, previous)
        }
        switch event.type {
        case .added, .modified:
            if let previous {
                current.forEach { $0.onUpdate(previous, event.object) }
            } else {
                current.forEach { $0.onAdd(event.object) }
            }
        case .deleted:
            current.forEach { $0.onDelete(previous ?? event.object) }
        case .bookmark, .error:
            break
        }
    }

    // MARK: Indexes (call with the lock held)

    private func rebuildIndicesLocked() {
        for (name, keys) in indexers {
            var index: [String: Set<String>] = [:]
            for (key, object) in cache {
                for value in keys(object) { index[value, default: []].insert(key) }
            }
            indices[name] = index
        }
    }

    private func reindexLocked(_ key: String, old: JSONValue?, new: JSONValue?) {
        for (name, keys) in indexers {
            let before = old.map(keys) ?? []
            let after = new.map(keys) ?? []
            guard before != after else { continue }
            for value in before where !after.contains(value) {
                indices[name]?[value]?.remove(key)
                if indices[name]?[value]?.isEmpty == true { indices[name]?[value] = nil }
            }
            for value in after { indices[name, default: [:]][value, default: []].insert(key) }
        }
    }
}
