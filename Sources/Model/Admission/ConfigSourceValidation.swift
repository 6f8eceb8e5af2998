/// Validation of what pods take from Secrets and ConfigMaps, as upstream: `secretKeyRef` and
/// `configMapKeyRef`, `envFrom`, and secret, configMap, downwardAPI and projected volumes (items
/// with key, path and mode, defaultMode).
enum ConfigSourceValidation {
    static let fileModeMessage = "must be a number between 0 and 0777 (octal), both inclusive"
    static let downwardFieldPaths = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"]

    /// `secretKeyRef` / `configMapKeyRef`: a name (DNS subdomain) and a config key.
    static func validateKeySelector(_ ref: JSONValue, _ path: FieldPath, into errors: inout FieldErrors) {
        validateName(ref["name"], path.child("name"), into: &errors)
        let key = errors.string(ref["key"], path.child("key")) ?? ""
        if key.isEmpty {
            errors.required(path.child("key"))
        } else {
            for message in ConfigDataRules.keyMessages(key) { errors.invalid(path.child("key"), .string(key), message) }
        }
        _ = errors.bool(ref["optional"], path.child("optional"))
    }

    private static func validateName(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        let name = errors.string(value, path) ?? ""
        if name.isEmpty {
            errors.required(path)
        } else {
            errors.invalid(path, name, messages: NameRules.dns1123Subdomain(name))
        }
    }

    /// A container's `envFrom`: one of configMapRef / secretRef each, with an optional prefix.
    static func validateEnvFrom(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        for (i, element) in (errors.array(value, path) ?? []).enumerated() {
            let itemPath = path.index(i)
            guard let source = errors.object(element, itemPath) else { continue }
            if let prefix = errors.string(source["prefix"], itemPath.child("prefix")), !prefix.isEmpty {
                errors.invalid(itemPath.child("prefix"), prefix, messages: NameRules.envVarName(prefix))
            }
            let refs = ["configMapRef", "secretRef"].filter { source[$0] != nil && source[$0] != .null }
            if refs.isEmpty {
                errors.invalid(path, .string(""), "must specify one of: `configMapRef` or `secretRef`")
            } else if refs.count > 1 {
                errors.invalid(path, .string(""), "may not have more than one field specified at a time")
            }
            for key in refs {
                guard let ref = errors.object(source[key], itemPath.child(key)) else { continue }
                validateName(ref["name"], itemPath.child(key, "name"), into: &errors)
                _ = errors.bool(ref["optional"], itemPath.child(key, "optional"))
            }
        }
    }

    /// The secret, configMap, downwardAPI or projected source of the volume at `path`, if any.
    static func validateVolume(_ volume: JSONValue, _ path: FieldPath, into errors: inout FieldErrors) {
        if let secret = errors.object(volume["secret"], path.child("secret")) {
            validateObjectSource(secret, path.child("secret"), nameKey: "secretName", into: &errors)
            validateMode(secret["defaultMode"], path.child("secret", "defaultMode"), into: &errors)
        }
        if let map = errors.object(volume["configMap"], path.child("configMap")) {
            validateObjectSource(map, path.child("configMap"), nameKey: "name", into: &errors)
            validateMode(map["defaultMode"], path.child("configMap", "defaultMode"), into: &errors)
        }
        if let downward = errors.object(volume["downwardAPI"], path.child("downwardAPI")) {
            validateDownwardItems(downward["items"], path.child("downwardAPI", "items"), into: &errors)
            validateMode(downward["defaultMode"], path.child("downwardAPI", "defaultMode"), into: &errors)
        }
        if let projected = errors.object(volume["projected"], path.child("projected")) {
            validateProjected(projected, path.child("projected"), into: &errors)
        }
    }

    private static func validateProjected(_ projected: JSONValue, _ path: FieldPath, into errors: inout FieldErrors) {
        validateMode(projected["defaultMode"], path.child("defaultMode"), into: &errors)
        var paths = Set<String>()
        for (i, element) in (errors.array(projected["sources"], path.child("sources")) ?? []).enumerated() {
            let sourcePath = path.child("sources").index(i)
            guard let source = errors.object(element, sourcePath) else { continue }
            let kinds = ["secret", "configMap", "downwardAPI", "serviceAccountToken", "clusterTrustBundle"]
                .filter { source[$0] != nil && source[$0] != .null }
            if kinds.count > 1 { errors.forbidden(sourcePath, "may not specify more than 1 volume type per source") }
            var items: [JSONValue] = []
            for key in ["secret", "configMap"] {
                guard let ref = errors.object(source[key], sourcePath.child(key)) else { continue }
                validateObjectSource(ref, sourcePath.child(key), nameKey: "name", into: &errors)
                items += ref["items"]?.array ?? []
            }
            if let downward = errors.object(source["downwardAPI"], sourcePath.child("downwardAPI")) {
                validateDownwardItems(downward["items"], sourcePath.child("downwardAPI", "items"), into: &errors)
                items += downward["items"]?.array ?? []
            }
            for item in items {
                guard let target = item["path"]?.string, !target.isEmpty else { continue }
                if !paths.insert(target).inserted { errors.invalid(path, .string(target), "conflicting duplicate paths") }
            }
        }
    }

    /// A secret or configMap source: its name, `optional`, and items with key, path and mode.
    private static func validateObjectSource(_ source: JSONValue, _ path: FieldPath, nameKey: String, into errors: inout FieldErrors) {
        validateName(source[nameKey], path.child(nameKey), into: &errors)
        _ = errors.bool(source["optional"], path.child("optional"))
        for (i, element) in (errors.array(source["items"], path.child("items")) ?? []).enumerated() {
            let itemPath = path.child("items").index(i)
            guard let item = errors.object(element, itemPath) else { continue }
            if (errors.string(item["key"], itemPath.child("key")) ?? "").isEmpty { errors.required(itemPath.child("key")) }
            validatePath(item["path"], itemPath.child("path"), into: &errors)
            validateMode(item["mode"], itemPath.child("mode"), into: &errors)
        }
    }

    private static func validateDownwardItems(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        for (i, element) in (errors.array(value, path) ?? []).enumerated() {
            let itemPath = path.index(i)
            guard let item = errors.object(element, itemPath) else { continue }
            validatePath(item["path"], itemPath.child("path"), into: &errors)
            validateMode(item["mode"], itemPath.child("mode"), into: &errors)
            let hasField = item["fieldRef"] != nil, hasResource = item["resourceFieldRef"] != nil
            if hasField == hasResource {
                errors.required(itemPath, "one of `fieldRef` and `resourceFieldRef` is required")
            }
            if let ref = errors.object(item["fieldRef"], itemPath.child("fieldRef")) {
                let fieldPath = errors.string(ref["fieldPath"], itemPath.child("fieldRef", "fieldPath")) ?? ""
                let subscripted = ["metadata.labels['", "metadata.annotations['"].contains { fieldPath.hasPrefix($0) } && fieldPath.hasSuffix("']")
                if fieldPath.isEmpty {
                    errors.required(itemPath.child("fieldRef", "fieldPath"))
                } else if !downwardFieldPaths.contains(fieldPath) && !subscripted {
                    errors.notSupported(itemPath.child("fieldRef", "fieldPath"), .string(fieldPath), downwardFieldPaths)
                }
            }
        }
    }

    /// Upstream `validateLocalNonReservedPath`: relative, no `..` component, not starting with `..`.
    private static func validatePath(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        let target = errors.string(value, path) ?? ""
        if target.isEmpty {
            errors.required(path)
            return
        }
        if target.hasPrefix("/") { errors.invalid(path, .string(target), "must be a relative path") }
        if target.split(separator: "/").contains("..") { errors.invalid(path, .string(target), "must not contain '..'") }
        if target.hasPrefix("..") && !target.hasPrefix("../") { errors.invalid(path, .string(target), "must not start with '..'") }
    }

    private static func validateMode(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        if let mode = errors.int(value, path), mode < 0 || mode > 0o777 { errors.invalid(path, .int(mode), fileModeMessage) }
    }
}
