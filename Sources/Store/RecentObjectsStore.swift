import Foundation
import Metrics
import Synchronization

/// An `ObjectStore` in front of another that remembers the newest state of the objects recently
/// written or read through it, so a read-modify-write (update, patch, binding) can start from
/// memory (`getForWrite`) instead of a database round trip. Upstream's apiserver does the same:
/// its watch cache's copy is the first guess of a GuaranteedUpdate.
///
/// A remembered state may be stale — a write through another server, a race between two writers
/// of one key — but it is only ever the base of a compare-and-swap, which then fails (`.conflict`,
/// `.notFound`) and the caller reads again with `get`. Reads (`get`, `list`, `changes`) and every
/// write go to the base store unchanged; what passes through keeps the memory fresh: successful
/// writes and reads remember, deletions and failed compare-and-swaps forget, and the change log
/// (which the watch hub reads, including other servers' writes) refreshes remembered keys.
public final class RecentObjectsStore: ObjectStore {
    /// The store every call goes to.
    public let base: any ObjectStore
    private let memory: Mutex<Generations>

    /// Remembers the most recently used objects (roughly) up to `capacityBytes` of JSON bodies:
    /// 64 MiB holds some 25,000 pods, several seconds of writes at the highest rates measured.
    public init(_ base: any ObjectStore, capacityBytes: Int = 64 << 20) {
        self.base = base
        memory = Mutex(Generations(halfBytes: max(1, capacityBytes / 2)))
    }

    /// Lookups for writes, by outcome: `hit` (remembered) or `miss` (read from the base store).
    static let lookups = MetricsRegistry.shared.counter(
        "drover_store_recent_objects_lookups_total", "Reads for a write answered from the store's memory of recent objects (hit) or read (miss).",
        labels: ["outcome"])

    public func getForWrite(_ key: ObjectKey) throws(StoreError) -> (object: StoredObject, remembered: Bool) {
        if let object = memory.withLock({ $0.lookup(key) }) {
            Self.lookups.inc(["hit"])
            return (object, true)
        }
        Self.lookups.inc(["miss"])
        return (try get(key), false)
    }

    public func getAllForWrite(_ keys: [ObjectKey]) -> [Result<StoredObject, StoreError>] {
        var results: [Result<StoredObject, StoreError>?] = memory.withLock { generations in
            keys.map { key in generations.lookup(key).map { .success($0) } }
        }
        let missing = keys.indices.filter { results[$0] == nil }
        Self.lookups.inc(["hit"], by: Double(keys.count - missing.count))
        Self.lookups.inc(["miss"], by: Double(missing.count))
        for (i, loaded) in zip(missing, getAll(missing.map { keys[$0] })) { results[i] = loaded }
        return results.compactMap { $0 }
    }

    public func get(_ key: ObjectKey) throws(StoreError) -> StoredObject {
        remember(try base.get(key))
    }

    public func list(_ query: ListQuery) throws(StoreError) -> ListResult { try base.list(query) }

    public func create(_ key: ObjectKey, uid: String, json: [UInt8]) throws(StoreError) -> StoredObject {
        remember(try base.create(key, uid: uid, json: json))
    }

    public func update(_ key: ObjectKey, json: [UInt8], ifResourceVersion: Int64) throws(StoreError) -> StoredObject {
        do {
            return remember(try base.update(key, json: json, ifResourceVersion: ifResourceVersion))
        } catch {
            forget(key)
            throw error
        }
    }

    public func delete(_ key: ObjectKey, ifResourceVersion: Int64?) throws(StoreError) -> StoredObject {
        defer { forget(key) }
        return try base.delete(key, ifResourceVersion: ifResourceVersion)
    }

    public func getAll(_ keys: [ObjectKey]) -> [Result<StoredObject, StoreError>] {
        let results = base.getAll(keys)
        memory.withLock { generations in
            for case .success(let object) in results { generations.remember(object) }
        }
        return results
    }

    public func updateAll(_ updates: [ObjectUpdate]) -> [Result<StoredObject, StoreError>] {
        let results = base.updateAll(updates)
        memory.withLock { generations in
            for (update, result) in zip(updates, results) {
                switch result {
                case .success(let object): generations.remember(object)
                case .failure: generations.forget(update.key)
                }
            }
        }
        return results
    }

    public func changes(after: Int64, resource: String?, limit: Int) throws(StoreError) -> [Change] {
        let changes = try base.changes(after: after, resource: resource, limit: limit)
        memory.withLock { generations in
            for change in changes { generations.refresh(change) }
        }
        return changes
    }

    public func currentResourceVersion() throws(StoreError) -> Int64 { try base.currentResourceVersion() }
    public func oldestResourceVersion() throws(StoreError) -> Int64 { try base.oldestResourceVersion() }
    public func compact(through resourceVersion: Int64) throws(StoreError) { try base.compact(through: resourceVersion) }
    public func subscribe(_ handler: @escaping @Sendable () -> Void) -> Int { base.subscribe(handler) }
    public func unsubscribe(_ token: Int) { base.unsubscribe(token) }
    public func close() { base.close() }

    /// How many objects are remembered (for tests).
    public var rememberedCount: Int { memory.withLock { $0.count } }

    @discardableResult
    private func remember(_ object: StoredObject) -> StoredObject {
        memory.withLock { $0.remember(object) }
        return object
    }

    private func forget(_ key: ObjectKey) {
        memory.withLock { $0.forget(key) }
    }
}

/// Two generations of remembered objects: new ones go into `young`; when its bodies add up to
/// `halfBytes`, it becomes `old` (the previous `old` is dropped) and a lookup that finds a key in
/// `old` moves it back. At most about 2 × `halfBytes` of bodies, with no per-access bookkeeping.
struct Generations {
    let halfBytes: Int
    private var young: [ObjectKey: StoredObject] = [:]
    private var old: [ObjectKey: StoredObject] = [:]
    /// The bodies put into `young` since it was last emptied (replaced ones included: an upper bound).
    private var youngBytes = 0

    init(halfBytes: Int) { self.halfBytes = halfBytes }

    /// A key is in one generation at most: moving it to `young` takes it out of `old`.
    var count: Int { young.count + old.count }

    mutating func lookup(_ key: ObjectKey) -> StoredObject? {
        if let object = young[key] { return object }
        guard let object = old.removeValue(forKey: key) else { return nil }
        insert(object)
        return object
    }

    /// Keeps `object` unless a newer state of its key is remembered (two writers racing).
    mutating func remember(_ object: StoredObject) {
        if let known = young[object.key] ?? old[object.key], known.resourceVersion >= object.resourceVersion { return }
        old[object.key] = nil
        insert(object)
    }

    mutating func forget(_ key: ObjectKey) {
        young[key] = nil
        old[key] = nil
    }

    /// A change from the log replaces an older remembered state of its key (or forgets it when it
    /// is the deletion); keys not remembered stay so: the log must not bring back what a deletion
    /// through this store forgot.
    mutating func refresh(_ change: Change) {
        let key = change.object.key
        guard let known = young[key] ?? old[key], known.resourceVersion < change.resourceVersion else { return }
        if change.type == .deleted {
            forget(key)
        } else if young[key] != nil {
            young[key] = change.object
        } else {
            old[key] = change.object
        }
    }

    private mutating func insert(_ object: StoredObject) {
        if youngBytes >= halfBytes {
            old = young
            young = [:]
            youngBytes = 0
        }
        young[object.key] = object
        youngBytes += object.json.count
    }
}
