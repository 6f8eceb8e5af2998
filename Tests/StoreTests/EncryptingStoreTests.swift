import Foundation
import Model
import Postgres
import Store
import Testing
import TestSupport

/// Secrets through `EncryptingStore` on a real PostgreSQL: ciphertext in both tables, plaintext
/// for every reader above, and key rotation.
@Suite struct EncryptingStoreTests {
    static let value = "hunter2-plaintext-marker"
    static let annotation = "last-applied-marker"
    let key = ObjectKey(resource: "secrets", namespace: "default", name: "db")

    static func keys(_ lines: String...) throws -> SecretEncryption {
        SecretEncryption(keys: try EncryptionKeys(parsing: lines.joined(separator: "\n")))
    }

    static let old = EncryptionKeys.generateLine(name: "old")
    static let new = EncryptionKeys.generateLine(name: "new")

    func body(_ password: String = value) -> [UInt8] {
        let object: JSONValue = ["apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                                 "metadata": ["name": "db", "namespace": "default", "labels": ["app": "web"],
                                              "annotations": ["note": .string(Self.annotation)]],
                                 "data": ["password": .string(Data(password.utf8).base64EncodedString())]]
        return object.serialized()
    }

    /// Every body PostgreSQL holds for the Secret, as text (objects and the change log).
    func rawBodies(_ conninfo: String) throws -> [String] {
        let rows = try Connection(conninfo).exec("SELECT body::text FROM objects WHERE resource = 'secrets' UNION ALL SELECT body::text FROM changes WHERE resource = 'secrets'")
        return (0..<rows.rowCount).compactMap { rows.string($0, 0) }
    }

    func password(_ object: StoredObject) throws -> String? {
        guard let text = try object.parsed().value(at: ["data", "password"])?.string, let data = Data(base64Encoded: text) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    @Test func secretsAreCiphertextInPostgresAndPlaintextToReaders() throws {
        let conninfo = try TemporaryPostgres.createDatabase()
        let postgres = try PostgresStore(conninfo: conninfo)
        let store = EncryptingStore(postgres, encryption: try Self.keys(Self.old))
        defer { store.close() }
        let created = try store.create(key, uid: "u1", json: body())
        #expect(try password(created) == Self.value)
        #expect(try created.parsed().value(at: ["metadata", "resourceVersion"]) == .string(String(created.resourceVersion)))
        let updated = try store.update(key, json: body("second-\(Self.value)"), ifResourceVersion: created.resourceVersion)

        let raw = try rawBodies(conninfo)
        #expect(raw.count == 3)   // the object, and ADDED + MODIFIED in the change log
        let encodedValue = Data(Self.value.utf8).base64EncodedString()
        for text in raw {
            #expect(!text.contains(Self.value) && !text.contains(encodedValue) && !text.contains(Self.annotation), "\(text)")
            #expect(text.contains("k8s:enc:aesgcm:v1:old:"), "\(text)")
        }
        #expect(try password(store.get(key)) == "second-\(Self.value)")
        #expect(try store.get(key).parsed().value(at: ["metadata", "annotations", "note"]) == .string(Self.annotation))
        let listed = try store.list(ListQuery(resource: "secrets", labelSelector: try LabelSelector.parse("app=web")))
        #expect(try listed.items.map(password) == ["second-\(Self.value)"])
        let page = try store.list(ListQuery(resource: "secrets", limit: 1))
        #expect(page.items.count == 1)
        let changes = try store.changes(after: 0, resource: "secrets", limit: 10)
        #expect(try changes.map(\.object).map(password) == [Self.value, "second-\(Self.value)"])
        #expect(changes.last?.object.json == updated.json)
        let deleted = try store.delete(key, ifResourceVersion: nil)
        #expect(try password(deleted) == "second-\(Self.value)")
    }

    @Test func aCiphertextMovedToAnotherRowDoesNotOpen() throws {
        let conninfo = try TemporaryPostgres.createDatabase()
        let store = EncryptingStore(try PostgresStore(conninfo: conninfo), encryption: try Self.keys(Self.old))
        defer { store.close() }
        _ = try store.create(key, uid: "u1", json: body())
        let other = ObjectKey(resource: "secrets", namespace: "default", name: "other")
        _ = try store.create(other, uid: "u2", json: body("other"))
        _ = try Connection(conninfo).exec("UPDATE objects SET body = (SELECT body FROM objects WHERE name = 'db') WHERE name = 'other'")
        #expect(throws: StoreError.self) { try store.get(other) }
    }

    @Test func rotationAddsAKeyRewritesEverySecretThenDropsTheOldKey() throws {
        let conninfo = try TemporaryPostgres.createDatabase()
        let before = EncryptingStore(try PostgresStore(conninfo: conninfo), encryption: try Self.keys(Self.old))
        _ = try before.create(key, uid: "u1", json: body())
        before.close()

        // Step 1: the new key first, the old one still there: old Secrets still open.
        let both = EncryptingStore(try PostgresStore(conninfo: conninfo), encryption: try Self.keys(Self.new, Self.old))
        #expect(try password(both.get(key)) == Self.value)
        // Step 2: rewrite; every row is now under the new key.
        #expect(try both.rewriteStale() == 1)
        #expect(try both.rewriteStale() == 0)
        let rows = try Connection(conninfo).exec("SELECT body::text FROM objects WHERE resource = 'secrets'")
        #expect(rows.string(0, 0)?.contains("k8s:enc:aesgcm:v1:new:") == true)
        both.close()

        // Step 3: the old key removed: still readable; with only the old key it is not.
        let after = EncryptingStore(try PostgresStore(conninfo: conninfo), encryption: try Self.keys(Self.new))
        defer { after.close() }
        #expect(try password(after.get(key)) == Self.value)
        let stale = EncryptingStore(try PostgresStore(conninfo: conninfo), encryption: try Self.keys(Self.old))
        defer { stale.close() }
        #expect(throws: StoreError.self) { try stale.get(key) }
    }

    @Test func secretsStoredBeforeEncryptionWasConfiguredAreReadAndRewritten() throws {
        let conninfo = try TemporaryPostgres.createDatabase()
        let plain = try PostgresStore(conninfo: conninfo)
        _ = try plain.create(key, uid: "u1", json: body())
        plain.close()
        let store = EncryptingStore(try PostgresStore(conninfo: conninfo), encryption: try Self.keys(Self.new))
        defer { store.close() }
        #expect(try password(store.get(key)) == Self.value)
        #expect(try store.rewriteStale() == 1)
        let rows = try Connection(conninfo).exec("SELECT body::text FROM objects WHERE resource = 'secrets'")
        #expect(rows.string(0, 0)?.contains(Self.value) == false)
    }

    @Test(arguments: [
        ("", "the file holds no key"),
        ("k1", "line 1: expected NAME:BASE64"),
        ("k1:c2hvcnQ=", "line 1: key \"k1\" must be 32 bytes in base64"),
        ("bad name:AAAA", "line 1: a key name consists of letters, digits, '-', '_' or '.'"),
    ])
    func badKeyFilesAreRefusedWithTheLine(text: String, message: String) {
        #expect(throws: EncryptionKeyError.self) { try EncryptionKeys(parsing: text) }
        do { _ = try EncryptionKeys(parsing: text) } catch { #expect(error.message == message) }
    }

    @Test func aKeyFileOthersCanReadIsRefusedAndCreateFileWritesMode0600() throws {
        let path = NSTemporaryDirectory() + "drover-keys-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try EncryptionKeys.createFile(at: path))
        #expect(try !EncryptionKeys.createFile(at: path))   // never overwritten
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
        #expect(mode == 0o600)
        #expect(try EncryptionKeys(file: path).keys.map(\.name) == ["key1"])
        chmod(path, 0o644)
        #expect(throws: EncryptionKeyError.self) { try EncryptionKeys(file: path) }
    }
}
