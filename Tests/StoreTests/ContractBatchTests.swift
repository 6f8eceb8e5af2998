import Model
import Store
import Testing
import TestSupport

/// The store contract for batches: `getAll` and `updateAll` behave like their single-key calls,
/// one result per key, in order.
@Suite struct ContractBatchTests {
    @Test(arguments: StoreFactory.all)
    func getAllAnswersEachKeyInOrderMissingOnesNotFound(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        // Names and namespaces a naive array literal would break: quotes, backslashes, commas, braces.
        let tricky = #"q"u\o,t{e}"#
        let a = try store.create(ObjectBuilders.pod("a"))
        let b = try store.create(ObjectBuilders.pod("b", namespace: "other"))
        let t = try store.create(podKey(tricky), uid: "uid-t", json: ObjectBuilders.pod(tricky).serialized())

        let results = store.getAll([podKey("b", "other"), podKey("missing"), podKey(tricky), podKey("a"), podKey("b")])
        #expect(try results[0].get() == b)
        #expect(results[1] == .failure(.notFound(podKey("missing"))))
        #expect(try results[2].get() == t)
        #expect(try results[3].get() == a)
        #expect(results[4] == .failure(.notFound(podKey("b"))), "b lives in namespace other")
        #expect(store.getAll([]).isEmpty)
    }

    @Test(arguments: StoreFactory.all)
    func updateAllAppliesEachCompareAndSwapOnItsOwnWithIncreasingVersions(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let a = try store.create(ObjectBuilders.pod("a"))
        let b = try store.create(ObjectBuilders.pod("b"))
        let c = try store.create(ObjectBuilders.pod("c"))
        let node = { (name: String, on: String) in ObjectBuilders.pod(name, nodeName: on).serialized() }

        let results = store.updateAll([
            ObjectUpdate(key: podKey("a"), json: node("a", "n1"), ifResourceVersion: a.resourceVersion),
            ObjectUpdate(key: podKey("b"), json: node("b", "n1"), ifResourceVersion: b.resourceVersion - 1),
            ObjectUpdate(key: podKey("gone"), json: node("gone", "n1"), ifResourceVersion: 1),
            ObjectUpdate(key: podKey("c"), json: node("c", "n2"), ifResourceVersion: c.resourceVersion),
        ])

        let updatedA = try results[0].get()
        let updatedC = try results[3].get()
        #expect(results[1] == .failure(.conflict(podKey("b"), current: b.resourceVersion)))
        #expect(results[2] == .failure(.notFound(podKey("gone"))))
        // A failed write consumes no resourceVersion: a and c take the next two.
        #expect(updatedA.resourceVersion == c.resourceVersion + 1)
        #expect(updatedC.resourceVersion == c.resourceVersion + 2)
        #expect(try store.get(podKey("c")) == updatedC)
        #expect(try store.get(podKey("b")) == b)
        #expect(try store.currentResourceVersion() == updatedC.resourceVersion)
        #expect(try store.changes(after: c.resourceVersion, resource: nil, limit: 10).map(\.object) == [updatedA, updatedC])
    }
}
