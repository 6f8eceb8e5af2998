import Foundation

/// core/v1 Secrets, as upstream: `stringData` is merged into `data` (base64) on every write and
/// never stored; `type` defaults to Opaque and is immutable; keys are config keys; the values add
/// up to at most 1 MiB; the well-known types require their keys; an immutable Secret keeps its
/// data. No message ever shows a value (`ConfigDataRules.redacted`).
enum SecretAdmission: KindAdmission {
    /// Well-known types and the data keys each requires (upstream `ValidateSecret`).
    static let dockerConfigKeys = ["kubernetes.io/dockercfg": ".dockercfg", "kubernetes.io/dockerconfigjson": ".dockerconfigjson"]

    static func applyDefaults(to object: inout JSONValue, creating: Bool) {
        mergeStringData(&object)
        let type = object["type"] ?? .null
        if type.isNull || type.string == "" {
            object["type"] = "Opaque"
        }
    }

    /// Upstream's conversion: each `stringData` entry overwrites `data[key]` with its base64 form;
    /// `stringData` itself is write-only. Values of the wrong type are left for validation.
    static func mergeStringData(_ object: inout JSONValue) {
        guard let strings = object["stringData"]?.object else { return }
        var data = object["data"]?.object ?? JSONObject()
        guard object["data"] == nil || object["data"]?.isNull == true || object["data"]?.object != nil else { return }
        for (key, value) in strings.pairs {
            guard let text = value.string else { return }
            data[key] = .string(Data(text.utf8).base64EncodedString())
        }
        object["data"] = .object(data)
        object["stringData"] = nil
    }

    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        if let strings = object["stringData"], !strings.isNull {
            // Only a stringData merge refused above leaves it here: a value that is not a string.
            errors.typeInvalid(FieldPath("stringData"), .string(ConfigDataRules.redacted), expected: "object of strings")
        }
        let dataPath = FieldPath("data")
        let size = ConfigDataRules.validateEntries(object["data"], dataPath, base64: true, into: &errors)
        if size > ConfigDataRules.maxSize { errors.tooLong(dataPath, max: ConfigDataRules.maxSize) }
        _ = errors.bool(object["immutable"], FieldPath("immutable"))
        guard let type = errors.string(object["type"], FieldPath("type")) else { return }
        let data = object["data"]?.object ?? JSONObject()
        func decoded(_ key: String) -> Data? { data[key]?.string.flatMap { Data(base64Encoded: $0) } }
        switch type {
        case "kubernetes.io/service-account-token":
            if (object.value(at: ["metadata", "annotations", "kubernetes.io/service-account.name"])?.string ?? "").isEmpty {
                errors.required(FieldPath("metadata").child("annotations").key("kubernetes.io/service-account.name"))
            }
        case "kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson":
            let key = dockerConfigKeys[type] ?? ""
            guard data[key] != nil else {
                errors.required(dataPath.key(key))
                break
            }
            if let bytes = decoded(key), (try? JSONValue.parse(Array(bytes)))?.object == nil {
                errors.invalid(dataPath.key(key), .string(ConfigDataRules.redacted), "must be a JSON object")
            }
        case "kubernetes.io/basic-auth":
            if data["username"] == nil && data["password"] == nil {
                errors.required(dataPath.key("username"))
                errors.required(dataPath.key("password"))
            }
        case "kubernetes.io/ssh-auth":
            if (decoded("ssh-privatekey") ?? Data()).isEmpty { errors.required(dataPath.key("ssh-privatekey")) }
        case "kubernetes.io/tls":
            for key in ["tls.crt", "tls.key"] where data[key] == nil { errors.required(dataPath.key(key)) }
        default:
            break
        }
    }

    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {
        if let type = object["type"], let before = old["type"], type != before {
            errors.invalid(FieldPath("type"), type, "field is immutable")
        }
        ConfigDataRules.validateImmutable(object, old: old, fields: ["data"], into: &errors)
    }
}
