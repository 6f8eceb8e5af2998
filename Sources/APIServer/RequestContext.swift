import Foundation
import HTTP
import Model

/// One resource request with its parsed target and the options every handler reads.
struct RequestContext: Sendable {
    var request: HTTPRequest
    var target: ResourceRequest
    var now: Date

    var resource: ResourceInfo { target.resource }
    var query: [String: String] { request.query }

    /// `dryRun=All`: validate and answer, persist nothing.
    var dryRun: Bool { request.query["dryRun"] == "All" }

    /// True when the client asked for a meta.k8s.io Table (`kubectl get`).
    var wantsTable: Bool {
        guard let accept = request.header("accept") else { return false }
        return accept.split(separator: ",").first.map { $0.contains("as=Table") } ?? false
    }

    /// `includeObject` for Table rows (Metadata by default).
    var includeObject: ModelHooks.IncludeObject {
        request.query["includeObject"].flatMap(ModelHooks.IncludeObject.init(rawValue:)) ?? .metadata
    }

    /// `fieldValidation=Strict` asks for 400 on unknown fields.
    var strictFields: Bool { request.query["fieldValidation"] == "Strict" }

    /// The body as a JSON tree, checking the Content-Type: none or JSON (Python sends none), a
    /// patch type, or the Kubernetes protobuf envelope typed clients send (`kubectl create job`).
    func jsonBody() throws(StatusError) -> JSONValue {
        try body().object
    }

    /// The body as `jsonBody()` reads it, with whether a string in it may hold U+0000 (which
    /// admission then refuses; see `Admission.admit`). Write handlers pass the flag on.
    func body() throws(StatusError) -> RequestBody {
        let contentType = patchType
        if contentType == ProtobufDecoder.mediaType {
            // Protobuf strings are raw bytes and may hold NULs; such bodies are rare, so the
            // admitted object is simply walked.
            return RequestBody(object: try ProtobufDecoder.decodeKubernetesEnvelope(request.body).object, mayContainNUL: true)
        }
        let accepted: Set<String> = ["", "application/json", "*/*", "application/strategic-merge-patch+json",
                                     "application/merge-patch+json", "application/json-patch+json", "application/apply-patch+yaml"]
        guard accepted.contains(contentType) else { throw .unsupportedMediaType(contentType) }
        guard !request.body.isEmpty else { throw .badRequest("the request body is empty; a JSON object was expected") }
        do {
            var containsNUL = false
            let object = try JSONValue.parse(request.body, containsNUL: &containsNUL)
            return RequestBody(object: object, mayContainNUL: containsNUL)
        } catch {
            throw .badRequest("the request body is not valid JSON: \(error)")
        }
    }

    /// The normalized content type (the PATCH type for patches): lower case, without parameters.
    var patchType: String {
        (request.header("content-type") ?? "").split(separator: ";").first.map { $0.trimmingSpaces.lowercased() } ?? ""
    }

    /// An integer query parameter; 400 if present but malformed.
    func intParameter(_ name: String) throws(StatusError) -> Int? {
        guard let text = request.query[name], !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw .badRequest("\(name) must be an integer, not \"\(text)\"") }
        return value
    }
}

/// A parsed request body and what the parser noticed about it.
struct RequestBody: Sendable {
    var object: JSONValue
    /// False when no string of the body (keys included) holds U+0000, so admission need not look.
    var mayContainNUL: Bool
}

/// What a handler answers: a stored object passed through as bytes, a JSON tree, or an error.
enum Reply: Sendable {
    case raw(Int, [UInt8])
    case object(Int, JSONValue)
    /// 200 with a JSON document of another media type (aggregated discovery).
    case document(JSONValue, contentType: String)
    case error(StatusError)

    static func status(_ error: any Error) -> Reply {
        if let e = error as? StatusError { return .error(e) }
        return .error(.internalError(String(describing: error)))
    }

    var httpResponse: HTTPResponse {
        let json: [(String, String)] = [("Content-Type", "application/json"), ("Cache-Control", "no-cache, private")]
        switch self {
        case .raw(let code, let bytes): return HTTPResponse(status: code, headers: json, body: bytes)
        case .object(let code, let value): return HTTPResponse(status: code, headers: json, body: value.serialized())
        case .document(let value, let contentType):
            return HTTPResponse(status: 200, headers: [("Content-Type", contentType), ("Cache-Control", "no-cache, private"), ("Vary", "Accept")],
                                body: value.serialized())
        case .error(let e):
            var headers = json
            if let retry = e.retryAfterSeconds { headers.append(("Retry-After", String(retry))) }
            return HTTPResponse(status: e.code, headers: headers, body: e.statusObject.serialized())
        }
    }
}
