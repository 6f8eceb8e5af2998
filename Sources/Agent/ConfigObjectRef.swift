import Foundation
import Model

/// A Secret or ConfigMap a pod uses, by namespace and name.
struct ConfigObjectRef: Hashable, Sendable, CustomStringConvertible {
    enum Kind: String, Sendable {
        case secret = "Secret"
        case configMap = "ConfigMap"

        var resource: ResourceInfo { self == .secret ? ResourceCatalog.secrets : ResourceCatalog.configMaps }
        /// How upstream's NotFound names the resource: `secret "x" not found`, `configmap "x" not found`.
        var lowercased: String { rawValue.lowercased() }
    }

    var kind: Kind
    var namespace: String
    var name: String

    var description: String { "\(kind.rawValue) \(namespace)/\(name)" }

    /// Every Secret and ConfigMap the pod's containers (env, envFrom) and volumes (secret,
    /// configMap, projected) name.
    static func references(of pod: JSONValue) -> Set<ConfigObjectRef> {
        let namespace = pod.value(at: ["metadata", "namespace"])?.string ?? "default"
        var refs = Set<ConfigObjectRef>()
        func add(_ kind: Kind, _ name: String?) {
            if let name, !name.isEmpty { refs.insert(ConfigObjectRef(kind: kind, namespace: namespace, name: name)) }
        }
        for key in ["initContainers", "containers"] {
            for container in pod.value(at: ["spec", key])?.array ?? [] {
                for variable in container["env"]?.array ?? [] {
                    add(.secret, variable.value(at: ["valueFrom", "secretKeyRef", "name"])?.string)
                    add(.configMap, variable.value(at: ["valueFrom", "configMapKeyRef", "name"])?.string)
                }
                for source in container["envFrom"]?.array ?? [] {
                    add(.secret, source.value(at: ["secretRef", "name"])?.string)
                    add(.configMap, source.value(at: ["configMapRef", "name"])?.string)
                }
            }
        }
        for volume in pod.value(at: ["spec", "volumes"])?.array ?? [] {
            add(.secret, volume.value(at: ["secret", "secretName"])?.string)
            add(.configMap, volume.value(at: ["configMap", "name"])?.string)
            for source in volume.value(at: ["projected", "sources"])?.array ?? [] {
                add(.secret, source.value(at: ["secret", "name"])?.string)
                add(.configMap, source.value(at: ["configMap", "name"])?.string)
            }
        }
        return refs
    }
}

/// What the agent knows of a referenced object.
enum ConfigLookup: Equatable, Sendable {
    /// Not fetched yet: the container waits without an error.
    case pending
    case missing
    case found(JSONValue)
}

/// A referenced object's entries as bytes: a Secret's `data` decoded; a ConfigMap's `data` and
/// `binaryData` (decoded).
enum ConfigObjectData {
    static func entries(of object: JSONValue, kind: ConfigObjectRef.Kind) -> [String: [UInt8]] {
        var entries: [String: [UInt8]] = [:]
        func decoded(_ map: JSONValue?) {
            for (key, value) in map?.object?.pairs ?? [] {
                if let text = value.string, let bytes = Data(base64Encoded: text) { entries[key] = Array(bytes) }
            }
        }
        switch kind {
        case .secret:
            decoded(object["data"])
        case .configMap:
            for (key, value) in object["data"]?.object?.pairs ?? [] {
                if let text = value.string { entries[key] = Array(text.utf8) }
            }
            decoded(object["binaryData"])
        }
        return entries
    }

    /// The keys, in the order environment variables from them are set (sorted, as Go's map
    /// iteration is not: upstream sorts neither, so any order is upstream's).
    static func sortedKeys(_ entries: [String: [UInt8]]) -> [String] { entries.keys.sorted() }
}
