/// core/v1 ConfigMaps, as upstream `ValidateConfigMap`: config keys in `data` and `binaryData`
/// (base64), no key in both, at most 1 MiB in all, and an immutable ConfigMap keeps both maps.
enum ConfigMapAdmission: KindAdmission {
    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        var size = ConfigDataRules.validateEntries(object["data"], FieldPath("data"), base64: false, into: &errors)
        size += ConfigDataRules.validateEntries(object["binaryData"], FieldPath("binaryData"), base64: true, into: &errors)
        let data = object["data"]?.object
        for (key, _) in object["binaryData"]?.object?.pairs ?? [] where data?[key] != nil {
            errors.invalid(FieldPath("binaryData").key(key), .string(key), "duplicate of key present in data")
        }
        if size > ConfigDataRules.maxSize { errors.tooLong(FieldPath(""), max: ConfigDataRules.maxSize) }
        _ = errors.bool(object["immutable"], FieldPath("immutable"))
    }

    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {
        ConfigDataRules.validateImmutable(object, old: old, fields: ["data", "binaryData"], into: &errors)
    }
}
