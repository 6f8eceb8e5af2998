/// apps/v1 ControllerRevisions (a DaemonSet's history): upstream's ValidateControllerRevision —
/// `data` is required and immutable, `revision` a non-negative integer (it may change: a rollback
/// gives an old revision the next number).
enum ControllerRevisionAdmission: KindAdmission {
    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        if object["data"] == nil || object["data"]?.isNull == true {
            errors.required(FieldPath("data"), "data is mandatory")
        }
        errors.nonNegativeInt(object["revision"] ?? .int(0), FieldPath("revision"))
    }

    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {
        if let data = object["data"], data != (old["data"] ?? .null) {
            errors.invalid(FieldPath("data"), data, "field is immutable")
        }
    }
}
