import Foundation
import Model
import Postgres
import Store
import Testing
import TestSupport

/// PostgresStore against a real PostgreSQL (one embedded cluster per test process, a database per test).
@Suite struct PostgresStoreTests {
    let pods = "pods"

    func key(_ name: String, namespace: String = "default") -> ObjectKey {
        ObjectKey(resource: pods, namespace: namespace, name: name)
    }

    func body(_ name: String, namespace: String = "default", labels: [String: String] = [:], extra: JSONValue = .null) -> [UInt8] {
        var object: JSONValue = ["apiVersion": "v1", "kind": "Pod",
                                 "metadata": ["name": .string(name), "namespace": .string(namespace)]]
        if !labels.isEmpty { object.setValue(.stringMap(labels), at: ["metadata", "labels"]) }
        if !extra.isNull { object["spec"] = extra }
        return object.serialized()
    }

    @Test func createStampsResourceVersionIntoBodyAndGetReturnsIt() throws {
        let store = try TemporaryPostgres.makeStore()
        defer { store.close() }
        let created = try store.create(key("a"), uid: "u1", json: body("a"))
        #expect(created.resourceVersion == 1)
        #expect(try created.parsed().value(at: ["metadata", "resourceVersion"]) == .string("1"))
        let got = try store.get(key("a"))
        #expect(got == created)
        #expect(try store.currentResourceVersion() == 1)
    }

    @Test func largeBodiesAreCompressedWithLZ4() throws {
        let conninfo = try TemporaryPostgres.createDatabase()
        let store = try PostgresStore(conninfo: conninfo)
        defer { store.close() }
        // Over the TOAST threshold (~2 kB) and compressible, as a pod with its status is.
        let big: JSONValue = ["containers": .array((0..<100).map { i in ["name": .string("c\(i)"), "image": "busybox:1.36"] })]
        _ = try store.create(key("big"), uid: "u1", json: body("big", extra: big))
        let rows = try Connection(conninfo).exec("""
            SELECT (SELECT pg_column_compression(body) FROM objects WHERE name = 'big'),
                   (SELECT pg_column_compression(body) FROM changes WHERE name = 'big')
            """)
        #expect(rows.string(0, 0) == "lz4")
        #expect(rows.string(0, 1) == "lz4")
    }

    @Test func bodiesComeBackAsCompactJSONWithStringsUntouched() throws {
        let store = try TemporaryPostgres.makeStore()
        defer { store.close() }
        let tricky: JSONValue = ["text": "a, b: \"c\" \\ d\n", "list": [1, 2.5, true, .null], "empty": [:]]
        let created = try store.create(key("a"), uid: "u1", json: body("a", extra: tricky))
        let text = String(decoding: created.json, as: UTF8.self)
        #expect(!text.contains(", \"") && !text.contains("\": "))
        #expect(try created.parsed()["spec"] == tricky)
        #expect(try store.get(key("a")).json == created.json)
    }

    @Test func createOfExistingKeyIsAlreadyExistsAndConsumesNoResourceVersion() throws {
        let store = try TemporaryPostgres.makeStore()
        defer { store.close() }
        _ = try store.create(key("a"), uid: "u1", json: body("a"))
        #expect(throws: StoreError.alreadyExists(key("a"))) { try store.create(key("a"), uid: "u2", json: body("a")) }
        #expect(try store.create(key("b"), uid: "u3", json: body("b")).resourceVersion == 2)
    }

    @Test func updateIsCompareAndSwapAndKeepsUid() throws {
        let store = try TemporaryPostgres.makeStore()
        defer { store.close() }
        let v1 = try store.create(key("a"), uid: "u1", json: body("a"))
        let v2 = try store.update(key("a"), json: body("a", labels: ["x": "1"]), ifResourceVersion: v1.resourceVersion)
        #expect(v2.resourceVersion == 2)
        #expect(v2.uid == "u1")
        #expect(throws: StoreError.conflict(key("a"), current: 2)) {
            try store.update(key("a"), json: body("a"), ifResourceVersion: v1.resourceVersion)
        }
        #expect(throws: StoreError.notFound(key("missing"))) {
            try store.update(key("missing"), json: body("missing"), ifResourceVersion: 1)
        }
    }

    @Test func deleteReturnsLastStateStampedWithTheDeletionsResourceVersion() throws {
        let store = try TemporaryPostgres.makeStore()
        defer { store.close() }
        let created = try store.create(key("a"), uid: "u1", json: body("a", labels: ["app": "web"]))
        #expect(throws: StoreError.conflict(key("a"), current: 1)) { try store.delete(key("a"), ifResourceVersion: 7) }
        let deleted = try store.delete(key("a"), ifResourceVersion: created.resourceVersion)
        #expect(deleted.resourceVersion == 2)
        #expect(deleted.uid == "u1")
        let parsed = try deleted.parsed()
        #expect(parsed.value(at: ["metadata", "resourceVersion"]) == .string("2"))
        #expect(parsed.value(at: ["metadata", "labels", "app"]) == .string("web"))
        #expect(throws: StoreError.notFound(key("a"))) { try store.get(key("a")) }
        #expect(throws: StoreError.notFound(key("a"))) { try store.delete(key("a"), ifResourceVersion: nil) }
        let log = try store.changes(after: 0, resource: nil, limit: 10)
        #expect(log.map(\.type) == [.added, .deleted])
        #expect(log.last?.object == deleted)
    }

    @Test func changesFilterByResourceAndRespectLimit() throws {
        let store = try TemporaryPostgres.makeStore()
        defer { store.close() }
        _ = try store.create(key("a"), uid: "u1", json: body("a"))
        _ = try store.create(ObjectKey(resource: "nodes", namespace: "", name: "n1"), uid: "u2", json: body("n1", namespace: ""))
        _ = try store.create(key("b"), uid: "u3", json: body("b"))
        #expect(try store.changes(after: 0, resource: pods, limit: 10).map(\.resourceVersion) == [1, 3])
        #expect(try store.changes(after: 0, resource: nil, limit: 2).map(\.resourceVersion) == [1, 2])
        #expect(try store.changes(after: 3, resource: nil, limit: 10).isEmpty)
    }

    @Test func compactionExpiresOlderReadsButKeepsLiveState() throws {
        let store = try TemporaryPostgres.makeStore()
        defer { store.close() }
        var a = try store.create(key("a"), uid: "u1", json: body("a"))
        for _ in 0..<3 { a = try store.update(key("a"), json: body("a"), ifResourceVersion: a.resourceVersion) }
        let b = try store.create(key("b"), uid: "u2", json: body("b"))
        _ = try store.delete(key("b"), ifResourceVersion: b.resourceVersion)
        let c = try store.create(key("c"), uid: "u3", json: body("c"))
        let page = try store.list(ListQuery(resource: pods, limit: 1))
        #expect(page.resourceVersion == 7)
        #expect(page.items == [a])
        try store.compact(through: 5)
        #expect(try store.oldestResourceVersion() == 5)
        #expect(throws: StoreError.expired(requested: 4, oldest: 5)) { try store.changes(after: 4, resource: nil, limit: 10) }
        #expect(try store.changes(after: 5, resource: nil, limit: 10).map(\.type) == [.deleted, .added])
        // The list continued at rv 7 still sees "c" although older history is gone.
        let token = try #require(page.continueToken)
        try store.compact(through: 7)
        #expect(throws: StoreError.expired(requested: 6, oldest: 7)) { try store.changes(after: 6, resource: nil, limit: 10) }
        #expect(try store.list(ListQuery(resource: pods, limit: 1, continueToken: token)).items == [c])
        try store.compact(through: 100)
        #expect(try store.oldestResourceVersion() == 7)
        #expect(try store.get(key("a")) == a)
    }

    @Test func continueTokenOlderThanCompactionIsExpiredAndGarbageIsInvalid() throws {
        let store = try TemporaryPostgres.makeStore()
        defer { store.close() }
        for name in ["a", "b", "c"] { _ = try store.create(key(name), uid: name, json: body(name)) }
        let page = try store.list(ListQuery(resource: pods, limit: 1))
        _ = try store.create(key("d"), uid: "d", json: body("d"))
        try store.compact(through: 4)
        let token = try #require(page.continueToken)
        #expect(throws: StoreError.expired(requested: 3, oldest: 4)) {
            try store.list(ListQuery(resource: pods, limit: 1, continueToken: token))
        }
        for garbage in ["%%%", "aGVsbG8=", Data("{\"rv\":\"x\"}".utf8).base64EncodedString()] {
            #expect(throws: StoreError.self) { try store.list(ListQuery(resource: pods, continueToken: garbage)) }
            do { _ = try store.list(ListQuery(resource: pods, continueToken: garbage)) } catch {
                guard case .invalidContinueToken = error else { Issue.record("expected invalidContinueToken, got \(error)"); continue }
            }
        }
    }
}
