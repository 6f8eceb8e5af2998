import Foundation
import Model

/// Upstream's `aesgcm` encryption transformer for Secrets. A sealed body keeps in the clear only
/// what the store's SQL reads (name, namespace, uid, labels for label selectors, `type` for field
/// selectors, the resourceVersion the store stamps) and holds the whole object — data,
/// annotations (kubectl's last-applied copy holds the data too) and all — in
/// `"encrypted": "k8s:enc:aesgcm:v1:<key name>:<base64 nonce ‖ ciphertext ‖ tag>"`, authenticated
/// with the object's key. Bodies without it were written before encryption was configured and
/// are read as they are (upstream's `identity` provider at the end of the list).
public struct SecretEncryption: Sendable {
    static let prefix = "k8s:enc:aesgcm:v1:"
    static let field = "encrypted"
    let keys: EncryptionKeys

    public init(keys: EncryptionKeys) { self.keys = keys }

    /// The name of the key that encrypts.
    public var writeKeyName: String { keys.keys[0].name }

    /// The body to store for `json` at `key`.
    func seal(_ json: [UInt8], key: ObjectKey) throws(StoreError) -> [UInt8] {
        guard var object = try? JSONValue.parse(json), object.object != nil else { throw .rejected("the body is not a JSON object") }
        var clear = JSONObject()
        for field in ["name", "namespace", "uid", "labels"] {
            if let value = object["metadata"]?[field] { clear[field] = value }
        }
        object["metadata"]?["resourceVersion"] = nil
        let writer = keys.keys[0]
        let sealed = writer.cipher.seal(object.serialized(), associatedData: Array(key.description.utf8))
        var envelope: JSONValue = ["metadata": .object(clear)]
        for field in ["apiVersion", "kind", "type"] {
            if let value = object[field], value.string != nil { envelope[field] = value }
        }
        envelope[Self.field] = .string(Self.prefix + writer.name + ":" + Data(sealed).base64EncodedString())
        return envelope.serialized()
    }

    /// The name of the key a stored body was sealed with; nil for a body stored in the clear.
    static func keyName(of json: [UInt8]) -> String? {
        guard let text = (try? JSONValue.parse(json))?[field]?.string, text.hasPrefix(prefix) else { return nil }
        return text.dropFirst(prefix.count).split(separator: ":", maxSplits: 1).first.map(String.init)
    }

    /// The object a stored body holds, with the resourceVersion the store stamped.
    func open(_ stored: StoredObject) throws(StoreError) -> StoredObject {
        guard let envelope = try? JSONValue.parse(stored.json), let text = envelope[Self.field]?.string else { return stored }
        let fail = { (why: String) in StoreError.unavailable("cannot decrypt \(stored.key): \(why)") }
        guard text.hasPrefix(Self.prefix) else { throw fail("unknown encryption provider") }
        let parts = text.dropFirst(Self.prefix.count).split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let sealed = Data(base64Encoded: parts[1]) else { throw fail("malformed ciphertext") }
        guard let key = keys.keys.first(where: { $0.name == parts[0] }) else {
            throw fail("it was encrypted with key \"\(parts[0])\", which is not in the encryption key file")
        }
        guard let plaintext = key.cipher.open(Array(sealed), associatedData: Array(stored.key.description.utf8)),
              var object = try? JSONValue.parse(plaintext) else {
            throw fail("key \"\(parts[0])\" does not open it (wrong key, or the row was tampered with)")
        }
        object["metadata"]?["resourceVersion"] = .string(String(stored.resourceVersion))
        var opened = stored
        opened.json = object.serialized()
        return opened
    }
}
