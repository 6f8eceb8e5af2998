import Foundation
import Model
import Store
import Testing
import TestSupport

/// Many writers at once through the group-commit writer, a polling reader, and LISTEN wake-ups.
@Suite struct PostgresStoreConcurrencyTests {
    func body(_ name: String, _ n: Int) -> [UInt8] {
        let object: JSONValue = ["kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"],
                                 "spec": ["n": .int(Int64(n))]]
        return object.serialized()
    }

    @Test func concurrentWritersGetUniqueIncreasingVersionsAndReadersNeverSeeThemGoBackwards() async throws {
        try await offCooperativePool { try concurrentWritersGetUniqueIncreasingVersionsAndReadersNeverSeeThemGoBackwardsBlocking() }
    }

    func concurrentWritersGetUniqueIncreasingVersionsAndReadersNeverSeeThemGoBackwardsBlocking() throws {
        let store = try TemporaryPostgres.makeStore()
        defer { store.close() }
        let threads = 16, perThread = 40
        let versions = Atomic<[Int64]>([])
        let failures = Atomic<[String]>([])
        let stopReading = Atomic(false)
        let readerSeen = Atomic<[Int64]>([])
        let readerErrors = Atomic<[String]>([])
        let readerFinished = DispatchSemaphore(value: 0)
        let reader = Thread {
            var after: Int64 = 0
            while !stopReading.value {
                do {
                    for change in try store.changes(after: after, resource: "pods", limit: 500) {
                        if change.resourceVersion <= after { readerErrors.mutate { $0.append("saw \(change.resourceVersion) after \(after)") } }
                        after = change.resourceVersion
                        readerSeen.mutate { $0.append(after) }
                    }
                } catch { readerErrors.mutate { $0.append("\(error)") } }
            }
            readerFinished.signal()
        }
        reader.start()
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var local: [Int64] = []
            for i in 0..<perThread {
                let key = ObjectKey(resource: "pods", namespace: "default", name: "t\(t)-\(i % 10)")
                do {
                    if i < 10 {
                        local.append(try store.create(key, uid: "\(t)-\(i)", json: body(key.name, i)).resourceVersion)
                    } else {
                        let current = try store.get(key)
                        local.append(try store.update(key, json: body(key.name, i), ifResourceVersion: current.resourceVersion).resourceVersion)
                    }
                } catch { failures.mutate { $0.append("\(error)") } }
            }
            #expect(local == local.sorted(), "one thread's writes are ordered")
            versions.mutate { $0 += local }
        }
        let finalRV = try store.currentResourceVersion()
        // Let the reader catch up to the last write, then stop it.
        while (readerSeen.value.last ?? 0) < finalRV && readerErrors.value.isEmpty { usleep(1000) }
        stopReading.value = true
        readerFinished.wait()
        let all = versions.value
        #expect(failures.value.isEmpty)
        #expect(all.count == threads * perThread)
        #expect(Set(all).count == all.count, "no duplicate resourceVersion")
        #expect(all.sorted() == Array(1...Int64(threads * perThread)))
        #expect(readerErrors.value.isEmpty)
        #expect(readerSeen.value == all.sorted())
        #expect(try store.changes(after: 0, resource: nil, limit: 10_000).map(\.resourceVersion) == all.sorted())
    }

    @Test func subscribersAreWokenByWritesFromThisAndOtherStores() async throws {
        try await offCooperativePool { try subscribersAreWokenByWritesFromThisAndOtherStoresBlocking() }
    }

    func subscribersAreWokenByWritesFromThisAndOtherStoresBlocking() throws {
        let conninfo = try TemporaryPostgres.createDatabase()
        let store = try PostgresStore(conninfo: conninfo)
        let other = try PostgresStore(conninfo: conninfo)
        defer { store.close(); other.close() }
        let woken = DispatchSemaphore(value: 0)
        let token = store.subscribe { woken.signal() }
        _ = try store.create(ObjectKey(resource: "pods", namespace: "default", name: "a"), uid: "a", json: body("a", 0))
        #expect(woken.wait(timeout: .now() + 10) == .success)
        _ = try other.create(ObjectKey(resource: "pods", namespace: "default", name: "b"), uid: "b", json: body("b", 0))
        #expect(woken.wait(timeout: .now() + 10) == .success)
        #expect(try store.changes(after: 0, resource: nil, limit: 10).map(\.resourceVersion) == [1, 2])
        store.unsubscribe(token)
    }

    @Test func twoStoresSharingADatabaseAssignOneSequenceOfVersions() async throws {
        try await offCooperativePool { try twoStoresSharingADatabaseAssignOneSequenceOfVersionsBlocking() }
    }

    func twoStoresSharingADatabaseAssignOneSequenceOfVersionsBlocking() throws {
        let conninfo = try TemporaryPostgres.createDatabase()
        let stores = try (0..<2).map { _ in try PostgresStore(conninfo: conninfo) }
        defer { for s in stores { s.close() } }
        let versions = Atomic<[Int64]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            for i in 0..<25 {
                let key = ObjectKey(resource: "pods", namespace: "default", name: "t\(t)-\(i)")
                if let rv = try? stores[t % 2].create(key, uid: key.name, json: body(key.name, i)).resourceVersion {
                    versions.mutate { $0.append(rv) }
                }
            }
        }
        #expect(versions.value.sorted() == Array(1...200))
        #expect(try stores[0].changes(after: 0, resource: nil, limit: 1000).map(\.resourceVersion) == Array(1...200))
    }

    @Test func aFaultyWriteFailsAloneWithoutAbortingItsBatch() async throws {
        try await offCooperativePool { try aFaultyWriteFailsAloneWithoutAbortingItsBatchBlocking() }
    }

    func aFaultyWriteFailsAloneWithoutAbortingItsBatchBlocking() throws {
        let store = try TemporaryPostgres.makeStore()
        defer { store.close() }
        let outcomes = Atomic<[String: Bool]>([:])
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            let key = ObjectKey(resource: "pods", namespace: "default", name: "p\(i)")
            let json = i == 7 ? Array("{not json".utf8) : body(key.name, i)
            let ok = (try? store.create(key, uid: key.name, json: json)) != nil
            outcomes.mutate { $0[key.name] = ok }
        }
        #expect(outcomes.value.filter { !$0.value }.map(\.key) == ["p7"])
        #expect(try store.list(ListQuery(resource: "pods")).items.count == 15)
        #expect(try store.currentResourceVersion() == 15)
        // The writer's session is clean afterwards: a lone bad write, then a good one.
        #expect(throws: StoreError.self) {
            try store.create(ObjectKey(resource: "pods", namespace: "default", name: "bad"), uid: "x", json: Array("[".utf8))
        }
        #expect(try store.create(ObjectKey(resource: "pods", namespace: "default", name: "good"), uid: "g", json: body("good", 0)).resourceVersion == 16)
    }
}

/// A flag shared between threads.
final class Atomic<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
    func mutate(_ change: (inout Value) -> Void) {
        lock.lock()
        change(&stored)
        lock.unlock()
    }
}
