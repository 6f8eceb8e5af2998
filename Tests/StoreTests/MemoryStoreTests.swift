import Foundation
import Model
import Store
import Testing
import TestSupport

/// Behaviour specific to `MemoryStore`, beyond the shared contract.
@Suite struct MemoryStoreTests {
    @Test func resourceVersionsStartAtOne() throws {
        let store = MemoryStore()
        #expect(try store.currentResourceVersion() == 0)
        #expect(try store.oldestResourceVersion() == 0)
        #expect(try store.create(ObjectBuilders.pod("a")).resourceVersion == 1)
    }

    @Test func handlersAreCalledSynchronouslyOutsideTheLockUntilUnsubscribed() throws {
        let store = MemoryStore()
        let seen = Box()
        // Reading the store from the handler would deadlock if it ran under the store's lock.
        let token = store.subscribe { seen.append((try? store.currentResourceVersion()) ?? -1) }
        try store.create(ObjectBuilders.pod("a"))
        try store.create(ObjectBuilders.pod("b"))
        store.unsubscribe(token)
        try store.create(ObjectBuilders.pod("c"))

        #expect(seen.values == [1, 2])
    }

    @Test func closeDropsEverySubscription() throws {
        let store = MemoryStore()
        let seen = Box()
        _ = store.subscribe { seen.append(1) }
        store.close()
        try store.create(ObjectBuilders.pod("a"))

        #expect(seen.values.isEmpty)
    }

    @Test func aFailedWriteDoesNotNotify() throws {
        let store = MemoryStore()
        try store.create(ObjectBuilders.pod("a"))
        let seen = Box()
        _ = store.subscribe { seen.append(1) }
        #expect(throws: StoreError.self) { try store.create(ObjectBuilders.pod("a")) }

        #expect(seen.values.isEmpty)
    }

    @Test(arguments: ["not json", "[1,2]", "\"text\""])
    func aBodyThatIsNotAJSONObjectIsRefused(body: String) throws {
        let store = MemoryStore()
        #expect(throws: StoreError.self) { try store.create(podKey("a"), uid: "u", json: Array(body.utf8)) }
        #expect(try store.currentResourceVersion() == 0)
    }

    @Test func compactingPastTheNewestWriteStopsAtIt() throws {
        let store = MemoryStore()
        try store.create(ObjectBuilders.pod("a"))
        try store.compact(through: 100)

        #expect(try store.oldestResourceVersion() == 1)
        let next = try store.create(ObjectBuilders.pod("b"))
        #expect(try store.changes(after: 1, resource: nil, limit: 10).map(\.object) == [next])
    }

    @Test func compactingBackwardsChangesNothing() throws {
        let store = MemoryStore()
        for n in 0..<3 { try store.create(ObjectBuilders.pod("p\(n)")) }
        try store.compact(through: 2)
        try store.compact(through: 1)

        #expect(try store.oldestResourceVersion() == 2)
    }

    @Test func aContinueTokenFromTheFutureIsInvalid() throws {
        let store = MemoryStore()
        for n in 0..<3 { try store.create(ObjectBuilders.pod("p\(n)")) }
        let token = try #require(try store.list(ListQuery(resource: "pods", limit: 1)).continueToken)
        let other = MemoryStore()
        try other.create(ObjectBuilders.pod("x"))

        #expect {
            try other.list(ListQuery(resource: "pods", limit: 1, continueToken: token))
        } throws: { error in
            if case StoreError.invalidContinueToken = error { return true }
            return false
        }
    }

    @Test func continueTokensAreURLSafe() throws {
        let store = MemoryStore()
        for n in 0..<3 { try store.create(ObjectBuilders.pod("p\(n)", namespace: "n?>~")) }
        let token = try #require(try store.list(ListQuery(resource: "pods", limit: 1)).continueToken)

        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }
}

/// Values appended from handlers.
private final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Int64] = []
    func append(_ value: Int64) { lock.withLock { stored.append(value) } }
    var values: [Int64] { lock.withLock { stored } }
}
