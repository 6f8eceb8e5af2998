import Dispatch
import Foundation
import Model
import Store
import Testing
import TestSupport

/// The store contract for the change log, compaction, subscriptions and concurrent writers.
@Suite struct ContractChangeLogTests {
    @Test(arguments: StoreFactory.all)
    func changesListEveryWriteInOrderWithItsType(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let start = try store.currentResourceVersion()
        let a1 = try store.create(ObjectBuilders.pod("a"))
        let a2 = try store.update(ObjectBuilders.pod("a", nodeName: "n1"), ifResourceVersion: a1.resourceVersion)
        let b1 = try store.create(ObjectBuilders.pod("b"))
        let aGone = try store.delete(podKey("a"), ifResourceVersion: nil)

        let changes = try store.changes(after: start, resource: nil, limit: 100)
        #expect(changes.map(\.type) == [.added, .modified, .added, .deleted])
        #expect(changes.map(\.object.summary) == [a1, a2, b1, aGone].map(\.summary))
    }

    @Test(arguments: StoreFactory.all)
    func theDeletedChangeCarriesTheLastStateAtTheDeletionsResourceVersion(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let created = try store.create(ObjectBuilders.pod("a"))
        let bound = try store.update(ObjectBuilders.pod("a", nodeName: "n1", phase: "Running"), ifResourceVersion: created.resourceVersion)
        let deleted = try store.delete(podKey("a"), ifResourceVersion: bound.resourceVersion)

        let changes = try store.changes(after: bound.resourceVersion, resource: "pods", limit: 10)
        #expect(changes.count == 1)
        let change = try #require(changes.first)
        #expect(change.type == .deleted)
        #expect(change.resourceVersion == deleted.resourceVersion)
        #expect(change.object == deleted)
        #expect(change.object.uid == bound.uid)
        #expect(try change.object.bodyWithoutResourceVersion() == bound.bodyWithoutResourceVersion())
        #expect(try change.object.bodyResourceVersion() == String(deleted.resourceVersion))
    }

    @Test(arguments: StoreFactory.all)
    func changesStartAfterTheGivenVersionAndStopAtTheLimit(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let writes = try (0..<6).map { try store.create(ObjectBuilders.pod("p\($0)")) }

        let middle = try store.changes(after: writes[1].resourceVersion, resource: nil, limit: 3)
        #expect(middle.map(\.object.summary) == writes[2..<5].map(\.summary))
        let rest = try store.changes(after: try #require(middle.last).resourceVersion, resource: nil, limit: 100)
        #expect(rest.map(\.object.summary) == [writes[5].summary])
        #expect(try store.changes(after: writes[5].resourceVersion, resource: nil, limit: 100).isEmpty)
    }

    @Test(arguments: StoreFactory.all)
    func changesCanBeLimitedToOneResource(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let start = try store.currentResourceVersion()
        let pod = try store.create(ObjectBuilders.pod("a"))
        let job = try store.create(ObjectBuilders.job("a"), resource: "jobs.batch")
        let pod2 = try store.create(ObjectBuilders.pod("b"))
        let jobGone = try store.delete(job.key, ifResourceVersion: nil)

        #expect(try store.changes(after: start, resource: "pods", limit: 100).map(\.object.summary) == [pod, pod2].map(\.summary))
        #expect(try store.changes(after: start, resource: "jobs.batch", limit: 100).map(\.object.summary) == [job, jobGone].map(\.summary))
        #expect(try store.changes(after: start, resource: "pods", limit: 1).map(\.object.summary) == [pod.summary])
        #expect(try store.changes(after: start, resource: "events", limit: 100).isEmpty)
    }

    @Test(arguments: StoreFactory.all)
    func compactionExpiresOlderStartsAndKeepsNewerChanges(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let writes = try (0..<5).map { try store.create(ObjectBuilders.pod("p\($0)")) }
        let point = writes[2].resourceVersion
        try store.compact(through: point)

        #expect(try store.oldestResourceVersion() == point)
        #expect(try store.currentResourceVersion() == writes[4].resourceVersion)
        #expect(throws: StoreError.expired(requested: writes[1].resourceVersion, oldest: point)) {
            try store.changes(after: writes[1].resourceVersion, resource: nil, limit: 100)
        }
        #expect(throws: StoreError.expired(requested: writes[1].resourceVersion, oldest: point)) {
            try store.changes(after: writes[1].resourceVersion, resource: "pods", limit: 100)
        }
        #expect(try store.changes(after: point, resource: nil, limit: 100).map(\.object.summary) == writes[3...].map(\.summary))
    }

    @Test(arguments: StoreFactory.all)
    func compactionKeepsEveryLiveObject(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let a = try store.create(ObjectBuilders.pod("a"))
        let b = try store.create(ObjectBuilders.pod("b"))
        let b2 = try store.update(ObjectBuilders.pod("b", phase: "Running"), ifResourceVersion: b.resourceVersion)
        try store.create(ObjectBuilders.pod("c"))
        try store.delete(podKey("c"))
        try store.compact(through: try store.currentResourceVersion())

        #expect(try store.get(podKey("a")) == a)
        #expect(try store.get(podKey("b")) == b2)
        #expect(throws: StoreError.notFound(podKey("c"))) { try store.get(podKey("c")) }
        #expect(try store.list(ListQuery(resource: "pods")).items.map(\.summary) == [a, b2].map(\.summary))
    }

    @Test(arguments: StoreFactory.all)
    func oldestAndCurrentResourceVersionsTrackWritesAndCompaction(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let initialOldest = try store.oldestResourceVersion()
        #expect(initialOldest <= (try store.currentResourceVersion()))
        let first = try store.create(ObjectBuilders.pod("a"))
        #expect(try store.currentResourceVersion() == first.resourceVersion)
        let second = try store.create(ObjectBuilders.pod("b"))
        #expect(try store.currentResourceVersion() == second.resourceVersion)
        #expect(try store.oldestResourceVersion() == initialOldest, "writes do not move the oldest version")

        try store.compact(through: first.resourceVersion)
        #expect(try store.oldestResourceVersion() == first.resourceVersion)
        #expect(try store.currentResourceVersion() == second.resourceVersion)
    }

    @Test(arguments: StoreFactory.all)
    func aSubscribedHandlerIsCalledAfterAWrite(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let called = DispatchSemaphore(value: 0)
        let token = store.subscribe { called.signal() }
        defer { store.unsubscribe(token) }
        let created = try store.create(ObjectBuilders.pod("a"))

        // Implementations may notify from another thread; wait generously, never assert how long.
        #expect(called.wait(timeout: .now() + 30) == .success)
        let visible = try store.changes(after: created.resourceVersion - 1, resource: "pods", limit: 10)
        #expect(visible.map(\.object.summary) == [created.summary])
    }

    @Test(arguments: StoreFactory.all)
    func concurrentWritersGetUniqueResourceVersionsSeenInOrderWithoutGaps(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let writers = 8
        let perWriter = 200
        let start = try store.currentResourceVersion()
        let results = Results()
        let done = DispatchGroup()
        for writer in 0..<writers {
            done.enter()
            // Real threads, so the writers overlap however few cores the machine has.
            Thread {
                for n in 0..<perWriter {
                    do {
                        results.add(try store.create(ObjectBuilders.pod("w\(writer)-\(n)")))
                    } catch {
                        results.fail(error)
                    }
                }
                done.leave()
            }.start()
        }
        done.wait()

        #expect(results.errors.isEmpty)
        let created = results.objects
        #expect(created.count == writers * perWriter)
        let changes = try store.changes(after: start, resource: nil, limit: writers * perWriter + 10)
        let versions = changes.map(\.resourceVersion)
        #expect(zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 }, "changes come in strictly increasing order")
        #expect(Set(versions) == Set(created.map(\.resourceVersion)), "every write is visible, no other change appears")
        #expect(Set(changes.map(\.object.key)).count == writers * perWriter)
        #expect(versions.last == (try store.currentResourceVersion()))
        for change in changes {
            #expect(try change.object.bodyResourceVersion() == String(change.resourceVersion))
        }
    }
}

/// Collects the outcomes of concurrent writes.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var storedObjects: [StoredObject] = []
    private var storedErrors: [String] = []

    func add(_ object: StoredObject) { lock.withLock { storedObjects.append(object) } }
    func fail(_ error: any Error) { lock.withLock { storedErrors.append("\(error)") } }
    var objects: [StoredObject] { lock.withLock { storedObjects } }
    var errors: [String] { lock.withLock { storedErrors } }
}
