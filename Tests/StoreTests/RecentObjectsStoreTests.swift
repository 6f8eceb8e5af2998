import Foundation
import Model
import Store
import Testing

/// The memory of recent objects: what it remembers, forgets and refreshes, and its bound.
@Suite struct RecentObjectsStoreTests {
    let key = ObjectKey(resource: "pods", namespace: "default", name: "a")

    func body(_ value: String) -> [UInt8] { (["metadata": ["name": "a"], "data": .string(value)] as JSONValue).serialized() }

    @Test func aWriteIsRememberedForTheNextWriteAndAReadFillsTheMemory() throws {
        let base = MemoryStore()
        let store = RecentObjectsStore(base)
        let created = try store.create(key, uid: "u", json: body("1"))
        #expect(try store.getForWrite(key) == (created, true))
        let updated = try store.update(key, json: body("2"), ifResourceVersion: created.resourceVersion)
        #expect(try store.getForWrite(key) == (updated, true))

        let other = ObjectKey(resource: "pods", namespace: "default", name: "b")
        let stored = try base.create(other, uid: "v", json: body("3"))
        #expect(try store.getForWrite(other) == (stored, false))
        #expect(try store.getForWrite(other) == (stored, true))
    }

    @Test func aDeletionOrAFailedCompareAndSwapForgets() throws {
        let base = MemoryStore()
        let store = RecentObjectsStore(base)
        let created = try store.create(key, uid: "u", json: body("1"))
        // Behind the memory's back (another server): the remembered state is stale now…
        let behind = try base.update(key, json: body("2"), ifResourceVersion: created.resourceVersion)
        #expect(try store.getForWrite(key) == (created, true))
        // …so the write based on it fails, and the next read for a write goes to the store.
        #expect(throws: StoreError.conflict(key, current: behind.resourceVersion)) {
            try store.update(key, json: body("3"), ifResourceVersion: created.resourceVersion)
        }
        #expect(try store.getForWrite(key) == (behind, false))
        _ = try store.delete(key, ifResourceVersion: nil)
        #expect(throws: StoreError.notFound(key)) { try store.getForWrite(key) }
        #expect(store.rememberedCount == 0)
    }

    @Test func theChangeLogRefreshesRememberedKeysAndNeverBringsBackForgottenOnes() throws {
        let base = MemoryStore()
        let store = RecentObjectsStore(base)
        let created = try store.create(key, uid: "u", json: body("1"))
        let behind = try base.update(key, json: body("2"), ifResourceVersion: created.resourceVersion)
        _ = try store.changes(after: 0, resource: nil, limit: 100)
        #expect(try store.getForWrite(key) == (behind, true))

        // A deletion through the store forgets; reading the older changes afterwards (the watch hub
        // lags) must not remember the deleted object again.
        _ = try store.delete(key, ifResourceVersion: nil)
        _ = try store.changes(after: 0, resource: nil, limit: 100)
        #expect(store.rememberedCount == 0)

        // A newer remembered state is not replaced by an older change.
        let again = try store.create(key, uid: "w", json: body("3"))
        _ = try store.changes(after: 0, resource: nil, limit: 100)
        #expect(try store.getForWrite(key) == (again, true))
    }

    @Test func anOlderResultNeverReplacesANewerRememberedState() throws {
        let base = MemoryStore()
        let store = RecentObjectsStore(base)
        let created = try store.create(key, uid: "u", json: body("1"))
        let newer = try store.update(key, json: body("2"), ifResourceVersion: created.resourceVersion)
        // getAll of the key answers the newer state; the batch read keeps it.
        _ = store.getAll([key])
        #expect(try store.getForWrite(key) == (newer, true))
        #expect(store.getAllForWrite([key, ObjectKey(resource: "pods", namespace: "default", name: "none")]).map { try? $0.get() }
                == [newer, nil])
    }

    @Test func theMemoryKeepsTheMostRecentlyUsedWithinItsBytes() throws {
        let base = MemoryStore()
        let one = body("x").count
        // Room for about four bodies: two per generation.
        let store = RecentObjectsStore(base, capacityBytes: 4 * one)
        let keys = (0..<10).map { ObjectKey(resource: "pods", namespace: "default", name: "p\($0)") }
        for k in keys { _ = try store.create(k, uid: k.name, json: body("x")) }
        #expect(store.rememberedCount <= 5)
        #expect(try store.getForWrite(keys[9]).remembered)
        #expect(try !store.getForWrite(keys[0]).remembered)
        // A key used again survives the generations that follow.
        for k in keys.prefix(6) { _ = try store.get(k); _ = try store.getForWrite(keys[9]) }
        #expect(try store.getForWrite(keys[9]).remembered)
    }
}
