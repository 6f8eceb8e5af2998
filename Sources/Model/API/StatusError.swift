/// One field-level cause inside a Status error (`details.causes[]`).
public struct StatusCause: Sendable, Equatable {
    /// Machine-readable reason, e.g. `FieldValueRequired`, `FieldValueInvalid`, `FieldValueNotSupported`.
    public var reason: String
    /// Human-readable message, e.g. `Required value`.
    public var message: String
    /// Dotted field path, e.g. `spec.template.spec.containers[0].name`.
    public var field: String

    public init(reason: String, message: String, field: String) {
        self.reason = reason
        self.message = message
        self.field = field
    }
}

/// An API error that becomes a Kubernetes `Status` object (KUBE-API.md §8).
public struct StatusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP status code.
    public var code: Int
    /// Kubernetes reason (`NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `BadRequest`, ...).
    public var reason: String
    /// Full-sentence message shown by kubectl as `Error from server (<reason>): <message>`.
    public var message: String
    /// `details.name`.
    public var name: String?
    /// `details.group`.
    public var group: String?
    /// `details.kind` (the resource plural for most errors, the Kind for `Invalid`).
    public var kind: String?
    /// `details.uid`.
    public var uid: String?
    /// `details.causes`.
    public var causes: [StatusCause]
    /// `details.retryAfterSeconds`.
    public var retryAfterSeconds: Int?

    public init(code: Int, reason: String, message: String, name: String? = nil, group: String? = nil,
                kind: String? = nil, uid: String? = nil, causes: [StatusCause] = [], retryAfterSeconds: Int? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.name = name
        self.group = group
        self.kind = kind
        self.uid = uid
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(code) \(reason): \(message)" }

    /// The `Status` object sent to clients.
    public var statusObject: JSONValue {
        var details = JSONObject()
        if let name { details["name"] = .string(name) }
        if let group { details["group"] = .string(group) }
        if let kind { details["kind"] = .string(kind) }
        if let uid { details["uid"] = .string(uid) }
        if !causes.isEmpty {
            details["causes"] = .array(causes.map {
                var cause: JSONValue = ["reason": .string($0.reason), "message": .string($0.message)]
                if !$0.field.isEmpty { cause["field"] = .string($0.field) }   // omitted when empty, as upstream
                return cause
            })
        }
        if let retryAfterSeconds { details["retryAfterSeconds"] = .int(Int64(retryAfterSeconds)) }
        var status: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject,
            "status": "Failure", "message": .string(message), "reason": .string(reason),
        ]
        if !details.isEmpty { status["details"] = .object(details) }
        status["code"] = .int(Int64(code))
        return status
    }
}

extension StatusError {
    /// The qualified resource as kubectl prints it: `jobs.batch`, or `pods` for the core group.
    static func qualified(_ resource: String, _ group: String) -> String {
        group.isEmpty ? resource : "\(resource).\(group)"
    }

    /// 404 for a named object.
    public static func notFound(resource: String, group: String, name: String) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "\(qualified(resource, group)) \"\(name)\" not found",
                    name: name, group: group, kind: resource)
    }

    /// 404 for a path the server does not serve.
    public static func pathNotFound() -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
    }

    /// 409 on create of an existing name.
    public static func alreadyExists(resource: String, group: String, name: String) -> StatusError {
        StatusError(code: 409, reason: "AlreadyExists", message: "\(qualified(resource, group)) \"\(name)\" already exists",
                    name: name, group: group, kind: resource)
    }

    /// 409 on a resourceVersion mismatch.
    public static func conflict(resource: String, group: String, name: String) -> StatusError {
        StatusError(code: 409, reason: "Conflict",
                    message: "Operation cannot be fulfilled on \(qualified(resource, group)) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                    name: name, group: group, kind: resource)
    }

    /// 409 for a write whose body names another uid than the stored object's: upstream treats a
    /// `metadata.uid` in an update or patch as a precondition.
    public static func uidPrecondition(resource: String, group: String, name: String, expected: String, actual: String) -> StatusError {
        StatusError(code: 409, reason: "Conflict",
                    message: "Operation cannot be fulfilled on \(qualified(resource, group)) \"\(name)\": Precondition failed: UID in precondition: \(expected), UID in object meta: \(actual)",
                    name: name, group: group, kind: resource)
    }

    /// 422 with field causes; `kind` is the Kind (`Job`), as upstream does.
    public static func invalid(kind: String, group: String, name: String, causes: [StatusCause]) -> StatusError {
        let summary = causes.map { "\($0.field): \($0.message)" }.joined(separator: ", ")
        let qualifiedKind = group.isEmpty ? kind : "\(kind).\(group)"
        let list = causes.count > 1 ? "[\(summary)]" : summary
        return StatusError(code: 422, reason: "Invalid", message: "\(qualifiedKind) \"\(name)\" is invalid: \(list)",
                           name: name, group: group, kind: kind, causes: causes)
    }

    /// 400 for malformed requests.
    public static func badRequest(_ message: String, causes: [StatusCause] = []) -> StatusError {
        StatusError(code: 400, reason: "BadRequest", message: message, causes: causes)
    }

    /// 410 for a watch or continue token older than the retained history.
    public static func expired(_ message: String) -> StatusError {
        StatusError(code: 410, reason: "Expired", message: message)
    }

    /// 504 for a list or watch from a resourceVersion the store has not reached after waiting, as
    /// kube-apiserver's watch cache answers; client-go relists on the ResourceVersionTooLarge cause.
    public static func resourceVersionTooLarge(requested: Int64, current: Int64) -> StatusError {
        StatusError(code: 504, reason: "Timeout", message: "Timeout: Too large resource version: \(requested), current: \(current)",
                    causes: [StatusCause(reason: "ResourceVersionTooLarge", message: "Too large resource version", field: "")],
                    retryAfterSeconds: 1)
    }

    /// 405 for a verb the resource does not support.
    public static func methodNotSupported(_ message: String) -> StatusError {
        StatusError(code: 405, reason: "MethodNotAllowed", message: message)
    }

    /// 415 for an unknown request Content-Type.
    public static func unsupportedMediaType(_ contentType: String) -> StatusError {
        StatusError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json, application/vnd.kubernetes.protobuf, application/strategic-merge-patch+json, application/merge-patch+json, application/json-patch+json, application/apply-patch+yaml (got \(contentType))")
    }

    /// 401 without valid credentials.
    public static func unauthorized() -> StatusError {
        StatusError(code: 401, reason: "Unauthorized", message: "Unauthorized")
    }

    /// 403 for a user whose role does not allow the verb.
    public static func forbidden(user: String, verb: String, resource: String, group: String, namespace: String?) -> StatusError {
        let scope = namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
        let groupText = group.isEmpty ? "\"\"" : "\"\(group)\""
        return StatusError(code: 403, reason: "Forbidden",
                           message: "\(resource) is forbidden: User \"\(user)\" cannot \(verb) resource \"\(resource)\" in API group \(groupText) \(scope)",
                           group: group, kind: resource)
    }

    /// 413 for a body over the limit.
    public static func tooLarge(limit: Int) -> StatusError {
        StatusError(code: 413, reason: "RequestEntityTooLarge", message: "the request body is larger than the limit of \(limit) bytes")
    }

    /// 500 for failures that are the server's own; never used for bad input.
    public static func internalError(_ message: String) -> StatusError {
        StatusError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)")
    }

    /// 429 when the server has no seat for the request (kube-apiserver's max-in-flight filter).
    public static func tooManyRequests() -> StatusError {
        StatusError(code: 429, reason: "TooManyRequests", message: "Too many requests, please try again later.", retryAfterSeconds: 1)
    }

    /// 503 when a dependency (the database) is unavailable, with `Retry-After: 1` (clients back
    /// off and retry; client-go honours it for 503 as for 429).
    public static func serviceUnavailable(_ message: String) -> StatusError {
        StatusError(code: 503, reason: "ServiceUnavailable", message: message, retryAfterSeconds: 1)
    }
}
