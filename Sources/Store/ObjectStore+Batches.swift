/// One compare-and-swap update of a batch (see `ObjectStore.updateAll`).
public struct ObjectUpdate: Sendable, Equatable {
    public var key: ObjectKey
    public var json: [UInt8]
    public var ifResourceVersion: Int64

    public init(key: ObjectKey, json: [UInt8], ifResourceVersion: Int64) {
        self.key = key
        self.json = json
        self.ifResourceVersion = ifResourceVersion
    }
}

extension ObjectStore {
    /// A plain `get`: nothing is remembered.
    public func getForWrite(_ key: ObjectKey) throws(StoreError) -> (object: StoredObject, remembered: Bool) { (try get(key), false) }

    /// A plain `getAll`.
    public func getAllForWrite(_ keys: [ObjectKey]) -> [Result<StoredObject, StoreError>] { getAll(keys) }

    /// The objects at `keys`, one `get` each.
    public func getAll(_ keys: [ObjectKey]) -> [Result<StoredObject, StoreError>] { getEach(keys) }

    /// `getAll` as one `get` per key (the default, and what stores overriding it fall back to).
    func getEach(_ keys: [ObjectKey]) -> [Result<StoredObject, StoreError>] {
        keys.map { key in Result { () throws(StoreError) in try get(key) } }
    }

    /// One `update` after another.
    public func updateAll(_ updates: [ObjectUpdate]) -> [Result<StoredObject, StoreError>] {
        updates.map { u in Result { () throws(StoreError) in try update(u.key, json: u.json, ifResourceVersion: u.ifResourceVersion) } }
    }
}
