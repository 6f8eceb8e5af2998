import Model

/// The encryption layer between the API server and the database (DESIGN.md: one transformer at
/// the store boundary): wraps a store so that the bodies of `resources` (Secrets) are sealed by
/// `SecretEncryption` on every write and opened on every read — get, list pages, continue pages,
/// the change log the watch hub reads, the objects writes and deletes return. Everything above
/// sees plaintext; the wrapped store, and so PostgreSQL, only ever holds ciphertext.
/// The server puts `RecentObjectsStore` above it (its memory is plaintext, like upstream's watch cache).
public final class EncryptingStore: ObjectStore {
    private let base: any ObjectStore
    private let encryption: SecretEncryption
    private let resources: Set<String>

    public init(_ base: any ObjectStore, encryption: SecretEncryption,
                resources: Set<String> = [ResourceCatalog.secrets.storageName]) {
        self.base = base
        self.encryption = encryption
        self.resources = resources
    }

    private func sealed(_ key: ObjectKey, _ json: [UInt8]) throws(StoreError) -> [UInt8] {
        resources.contains(key.resource) ? try encryption.seal(json, key: key) : json
    }

    private func opened(_ object: StoredObject) throws(StoreError) -> StoredObject {
        resources.contains(object.key.resource) ? try encryption.open(object) : object
    }

    private func opened(_ result: Result<StoredObject, StoreError>) -> Result<StoredObject, StoreError> {
        result.flatMap { object in Result { () throws(StoreError) in try opened(object) } }
    }

    public func get(_ key: ObjectKey) throws(StoreError) -> StoredObject { try opened(base.get(key)) }

    public func list(_ query: ListQuery) throws(StoreError) -> ListResult {
        var result = try base.list(query)
        if resources.contains(query.resource) {
            var items: [StoredObject] = []
            items.reserveCapacity(result.items.count)
            for item in result.items { items.append(try opened(item)) }
            result.items = items
        }
        return result
    }

    public func create(_ key: ObjectKey, uid: String, json: [UInt8]) throws(StoreError) -> StoredObject {
        try opened(base.create(key, uid: uid, json: sealed(key, json)))
    }

    public func update(_ key: ObjectKey, json: [UInt8], ifResourceVersion: Int64) throws(StoreError) -> StoredObject {
        try opened(base.update(key, json: sealed(key, json), ifResourceVersion: ifResourceVersion))
    }

    public func delete(_ key: ObjectKey, ifResourceVersion: Int64?) throws(StoreError) -> StoredObject {
        try opened(base.delete(key, ifResourceVersion: ifResourceVersion))
    }

    public func getForWrite(_ key: ObjectKey) throws(StoreError) -> (object: StoredObject, remembered: Bool) {
        let (object, remembered) = try base.getForWrite(key)
        return (try opened(object), remembered)
    }

    public func getAllForWrite(_ keys: [ObjectKey]) -> [Result<StoredObject, StoreError>] { base.getAllForWrite(keys).map(opened) }

    public func getAll(_ keys: [ObjectKey]) -> [Result<StoredObject, StoreError>] { base.getAll(keys).map(opened) }

    public func updateAll(_ updates: [ObjectUpdate]) -> [Result<StoredObject, StoreError>] {
        var results = [Result<StoredObject, StoreError>?](repeating: nil, count: updates.count)
        var forwarded: [ObjectUpdate] = []
        var positions: [Int] = []
        for (i, update) in updates.enumerated() {
            do {
                forwarded.append(ObjectUpdate(key: update.key, json: try sealed(update.key, update.json),
                                              ifResourceVersion: update.ifResourceVersion))
                positions.append(i)
            } catch {
                results[i] = .failure(error)
            }
        }
        for (position, result) in zip(positions, base.updateAll(forwarded)) { results[position] = opened(result) }
        return results.map { $0 ?? .failure(.unavailable("update not run")) }
    }

    public func changes(after: Int64, resource: String?, limit: Int) throws(StoreError) -> [Change] {
        var changes = try base.changes(after: after, resource: resource, limit: limit)
        for i in changes.indices where resources.contains(changes[i].object.key.resource) {
            changes[i].object = try encryption.open(changes[i].object)
        }
        return changes
    }

    public func currentResourceVersion() throws(StoreError) -> Int64 { try base.currentResourceVersion() }
    public func oldestResourceVersion() throws(StoreError) -> Int64 { try base.oldestResourceVersion() }
    public func compact(through resourceVersion: Int64) throws(StoreError) { try base.compact(through: resourceVersion) }
    public func subscribe(_ handler: @escaping @Sendable () -> Void) -> Int { base.subscribe(handler) }
    public func unsubscribe(_ token: Int) { base.unsubscribe(token) }
    public func close() { base.close() }

    /// Re-encrypts with the first key every stored Secret sealed with another key or stored in the
    /// clear (the middle step of a key rotation); returns how many it rewrote. Each rewrite is a
    /// compare-and-swap of the unchanged object (a MODIFIED event with a new resourceVersion, as
    /// upstream's rewrite through the API); one that lost a race was rewritten by its writer anyway.
    public func rewriteStale() throws(StoreError) -> Int {
        var rewritten = 0
        for resource in resources {
            var token: String?
            repeat {
                var query = ListQuery(resource: resource, limit: 500)
                query.continueToken = token
                let page = try base.list(query)
                for item in page.items where SecretEncryption.keyName(of: item.json) != encryption.writeKeyName {
                    let plain = try encryption.open(item)
                    do {
                        _ = try base.update(item.key, json: try encryption.seal(plain.json, key: item.key),
                                            ifResourceVersion: item.resourceVersion)
                        rewritten += 1
                    } catch .conflict, .notFound {
                        continue
                    }
                }
                token = page.continueToken
            } while token != nil
        }
        return rewritten
    }
}
