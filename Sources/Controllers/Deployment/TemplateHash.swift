import Model

/// The pod-template-hash (upstream's ComputeHash + rand.SafeEncodeString): FNV-32a over the
/// template and the collision count, written in decimal and mapped onto an alphabet without
/// vowels, so the ReplicaSet `<deployment>-<hash>` never spells a word. Upstream hashes Go's
/// printed struct; Drover hashes the template's canonical JSON (keys sorted) — the same idea, not
/// the same digits.
enum TemplateHash {
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func compute(_ template: JSONValue, collisionCount: Int?) -> String {
        var hash: UInt32 = 2_166_136_261
        func feed(_ byte: UInt8) {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        for byte in canonical(withoutNulls(template)).utf8 { feed(byte) }
        if let collisionCount {
            let value = UInt32(truncatingIfNeeded: collisionCount)
            for shift in stride(from: 0, to: 32, by: 8) { feed(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
        }
        return String(String(hash).utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    /// JSON with object keys sorted, so equal templates hash equally whatever their key order.
    static func canonical(_ value: JSONValue) -> String {
        switch value {
        case .object(let object):
            let members = object.keys.sorted().map { key in
                JSONValue.string(key).jsonString() + ":" + canonical(object[key] ?? .null)
            }
            return "{" + members.joined(separator: ",") + "}"
        case .array(let items):
            return "[" + items.map(canonical).joined(separator: ",") + "]"
        default:
            return value.jsonString()
        }
    }

    /// The value with every null member removed: upstream compares decoded Go structs, where
    /// `"creationTimestamp": null` (which kubectl sends in every template it writes, e.g. on
    /// `rollout undo`) and an absent field are the same.
    static func withoutNulls(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var result = JSONObject()
            for key in object.keys {
                guard let member = object[key], !member.isNull else { continue }
                result[key] = withoutNulls(member)
            }
            return .object(result)
        case .array(let items):
            return .array(items.map(withoutNulls))
        default:
            return value
        }
    }

    /// Upstream's EqualIgnoreHash: two templates are the same once the pod-template-hash label is
    /// taken out of both (an emptied label map counts as none; null members as absent).
    static func equalIgnoringHash(_ a: JSONValue, _ b: JSONValue) -> Bool {
        func strip(_ template: JSONValue) -> JSONValue {
            var copy = withoutNulls(template)
            copy.setValue(nil, at: ["metadata", "labels", DeploymentView.podTemplateHashLabel])
            if copy["metadata"]?["labels"]?.object?.isEmpty == true { copy.setValue(nil, at: ["metadata", "labels"]) }
            if copy["metadata"]?.object?.isEmpty == true { copy["metadata"] = nil }
            return copy
        }
        return strip(a) == strip(b)
    }
}
