import Model

/// The environment variables a container takes from Secrets and ConfigMaps, as the kubelet's
/// makeEnvironmentVariables: `envFrom` first (each key with its prefix; keys that are no valid
/// variable name skipped and reported), then `env` entries with `valueFrom.secretKeyRef` /
/// `configMapKeyRef` in order, later ones overriding. A missing object or key fails the
/// container's start with upstream's message unless the reference is `optional`. Pure: the
/// objects come through `lookup`.
struct EnvironmentSources {
    var namespace: String
    var lookup: (ConfigObjectRef) -> ConfigLookup

    /// Keys of an `envFrom` source skipped because they are no valid variable names, for the
    /// kubelet's `InvalidEnvironmentVariableNames` event.
    struct SkippedKeys: Equatable {
        var ref: ConfigObjectRef
        var keys: [String]

        var message: String {
            "Keys [\(keys.joined(separator: ", "))] from the EnvFrom \(ref.kind.lowercased) \(ref.namespace)/\(ref.name) were skipped since they are considered invalid environment variable names."
        }
    }

    /// The object a reference names, or the start failure when it is missing and not optional
    /// (nil: optional and missing).
    private func object(_ kind: ConfigObjectRef.Kind, _ name: String, optional: Bool) throws(ContainerConfigError) -> JSONValue? {
        let ref = ConfigObjectRef(kind: kind, namespace: namespace, name: name)
        switch lookup(ref) {
        case .found(let object): return object
        case .pending: throw ContainerConfigError(message: "waiting for \(ref)", pending: true)
        case .missing:
            if optional { return nil }
            throw ContainerConfigError(message: "\(kind.lowercased) \"\(name)\" not found", retryable: true)
        }
    }

    /// Variables from the container's `envFrom`, and the keys skipped.
    func fromEnvFrom(_ container: JSONValue) throws(ContainerConfigError) -> (variables: [(String, String)], skipped: [SkippedKeys]) {
        var variables: [(String, String)] = []
        var skipped: [SkippedKeys] = []
        for source in container["envFrom"]?.array ?? [] {
            let prefix = source["prefix"]?.string ?? ""
            let kind: ConfigObjectRef.Kind = source["secretRef"] != nil ? .secret : .configMap
            let ref = source[kind == .secret ? "secretRef" : "configMapRef"]
            guard let name = ref?["name"]?.string,
                  let object = try object(kind, name, optional: ref?["optional"]?.bool ?? false) else { continue }
            let entries = ConfigObjectData.entries(of: object, kind: kind)
            var invalid: [String] = []
            for key in ConfigObjectData.sortedKeys(entries) {
                let variable = prefix + key
                guard NameRules.envVarName(variable).isEmpty else {
                    invalid.append(variable)
                    continue
                }
                variables.append((variable, String(decoding: entries[key] ?? [], as: UTF8.self)))
            }
            if !invalid.isEmpty { skipped.append(SkippedKeys(ref: ConfigObjectRef(kind: kind, namespace: namespace, name: name), keys: invalid)) }
        }
        return (variables, skipped)
    }

    /// The value of one `env` entry's `secretKeyRef` / `configMapKeyRef`; nil when the reference
    /// is optional and its object or key is missing (the variable is then not set), or when the
    /// entry has neither.
    func value(of variable: JSONValue) throws(ContainerConfigError) -> String?? {
        for (field, kind) in [("secretKeyRef", ConfigObjectRef.Kind.secret), ("configMapKeyRef", .configMap)] {
            guard let ref = variable.value(at: ["valueFrom", field]) else { continue }
            let optional = ref["optional"]?.bool ?? false
            let name = ref["name"]?.string ?? "", key = ref["key"]?.string ?? ""
            guard let object = try object(kind, name, optional: optional) else { return .some(nil) }
            guard let bytes = ConfigObjectData.entries(of: object, kind: kind)[key] else {
                if optional { return .some(nil) }
                throw ContainerConfigError(message: "couldn't find key \(key) in \(kind.rawValue) \(namespace)/\(name)", retryable: true)
            }
            return .some(String(decoding: bytes, as: UTF8.self))
        }
        return nil
    }
}
