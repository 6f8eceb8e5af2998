import Model

/// One file of a secret, configMap, downwardAPI or projected volume: its path inside the volume,
/// its bytes and its mode.
struct ProjectedFile: Equatable, Sendable {
    var path: String
    var bytes: [UInt8]
    var mode: UInt16
}

/// Why a volume cannot be set up yet (the pod's containers wait; reported as FailedMount).
struct VolumeSetUpError: Error, Equatable {
    var message: String
    /// Its object has not been fetched yet: no event.
    var pending = false
}

/// The files the volumes built from API objects hold, as the kubelet's secret, configMap,
/// downwardAPI and projected volume plugins compute their payloads: every key (or only `items`,
/// each at its `path` with its `mode`), `defaultMode` else 0644, `optional` objects and keys
/// skipped when missing. Pure: objects come through `lookup`.
struct VolumeContents {
    static let defaultMode: UInt16 = 0o644
    static let kinds = ["secret", "configMap", "downwardAPI", "projected"]

    var pod: JSONValue
    var lookup: (ConfigObjectRef) -> ConfigLookup

    /// Whether the agent fills this volume from the API.
    static func isProjected(_ volume: JSONValue) -> Bool { kinds.contains { volume[$0] != nil } }

    private var namespace: String { pod.value(at: ["metadata", "namespace"])?.string ?? "default" }

    /// The volume's files, sorted by path.
    func files(of volume: JSONValue) throws(VolumeSetUpError) -> [ProjectedFile] {
        var files: [ProjectedFile] = []
        if let source = volume["secret"] {
            files = try objectFiles(.secret, name: source["secretName"]?.string ?? "", source: source, defaultMode: mode(source["defaultMode"]))
        } else if let source = volume["configMap"] {
            files = try objectFiles(.configMap, name: source["name"]?.string ?? "", source: source, defaultMode: mode(source["defaultMode"]))
        } else if let source = volume["downwardAPI"] {
            files = try downwardFiles(source, defaultMode: mode(source["defaultMode"]))
        } else if let projected = volume["projected"] {
            let defaultMode = mode(projected["defaultMode"])
            for source in projected["sources"]?.array ?? [] {
                if let secret = source["secret"] {
                    files += try objectFiles(.secret, name: secret["name"]?.string ?? "", source: secret, defaultMode: defaultMode)
                } else if let map = source["configMap"] {
                    files += try objectFiles(.configMap, name: map["name"]?.string ?? "", source: map, defaultMode: defaultMode)
                } else if let downward = source["downwardAPI"] {
                    files += try downwardFiles(downward, defaultMode: defaultMode)
                }
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    private func mode(_ value: JSONValue?, or fallback: UInt16 = defaultMode) -> UInt16 {
        guard let mode = value?.int, (0...0o777).contains(mode) else { return fallback }
        return UInt16(mode)
    }

    private func objectFiles(_ kind: ConfigObjectRef.Kind, name: String, source: JSONValue,
                             defaultMode: UInt16) throws(VolumeSetUpError) -> [ProjectedFile] {
        let ref = ConfigObjectRef(kind: kind, namespace: namespace, name: name)
        let optional = source["optional"]?.bool ?? false
        let object: JSONValue
        switch lookup(ref) {
        case .pending: throw VolumeSetUpError(message: "waiting for \(ref)", pending: true)
        case .missing:
            if optional { return [] }
            throw VolumeSetUpError(message: "\(kind.lowercased) \"\(name)\" not found")
        case .found(let found): object = found
        }
        let entries = ConfigObjectData.entries(of: object, kind: kind)
        guard let items = source["items"]?.array, !items.isEmpty else {
            return ConfigObjectData.sortedKeys(entries).map { ProjectedFile(path: $0, bytes: entries[$0] ?? [], mode: defaultMode) }
        }
        var files: [ProjectedFile] = []
        for item in items {
            let key = item["key"]?.string ?? ""
            guard let bytes = entries[key] else {
                if optional { continue }
                throw VolumeSetUpError(message: kind == .secret ? "references non-existent secret key: \(key)"
                                                                : "configmap references non-existent config key: \(key)")
            }
            files.append(ProjectedFile(path: item["path"]?.string ?? key, bytes: bytes, mode: mode(item["mode"], or: defaultMode)))
        }
        return files
    }

    /// downwardAPI items: the pod's name, namespace, uid, one label or annotation, or all of them
    /// as `key="value"` lines (sorted, as the kubelet formats them).
    private func downwardFiles(_ source: JSONValue, defaultMode: UInt16) throws(VolumeSetUpError) -> [ProjectedFile] {
        var files: [ProjectedFile] = []
        for item in source["items"]?.array ?? [] {
            let path = item["path"]?.string ?? ""
            guard let fieldPath = item.value(at: ["fieldRef", "fieldPath"])?.string else {
                throw VolumeSetUpError(message: "downwardAPI item \(path): only fieldRef is supported by Drover")
            }
            guard let text = downwardValue(fieldPath) else {
                throw VolumeSetUpError(message: "downwardAPI item \(path): fieldRef \"\(fieldPath)\" is not supported")
            }
            files.append(ProjectedFile(path: path, bytes: Array(text.utf8), mode: mode(item["mode"], or: defaultMode)))
        }
        return files
    }

    private func downwardValue(_ fieldPath: String) -> String? {
        let metadata = pod["metadata"]
        switch fieldPath {
        case "metadata.name", "metadata.namespace", "metadata.uid":
            return metadata?[String(fieldPath.dropFirst("metadata.".count))]?.string ?? ""
        case "metadata.labels", "metadata.annotations":
            let map = metadata?[String(fieldPath.dropFirst("metadata.".count))]?.object?.pairs ?? []
            return map.compactMap { key, value in value.string.map { "\(key)=\(String(reflecting: $0))" } }.sorted().joined(separator: "\n")
        default:
            for map in ["labels", "annotations"] {
                let prefix = "metadata.\(map)['"
                if fieldPath.hasPrefix(prefix), fieldPath.hasSuffix("']") {
                    return metadata?[map]?[String(fieldPath.dropFirst(prefix.count).dropLast(2))]?.string ?? ""
                }
            }
            return nil
        }
    }
}
