import Foundation
import Model
import Store

extension APIServer {
    /// Maps store failures to Kubernetes Status errors for `resource`/`name`.
    func statusError(_ error: StoreError, resource: ResourceInfo, name: String) -> StatusError {
        switch error {
        case .notFound: return .notFound(resource: resource.plural, group: resource.group, name: name)
        case .alreadyExists: return .alreadyExists(resource: resource.plural, group: resource.group, name: name)
        case .conflict: return .conflict(resource: resource.plural, group: resource.group, name: name)
        case .expired(let requested, let oldest): return .expired("too old resource version: \(requested) (\(oldest))")
        case .invalidContinueToken(let why): return .badRequest("invalid continue token: \(why)")
        case .unavailable(let why): return .serviceUnavailable("the state store is unavailable: \(why)")
        // A value the database cannot hold (admission refuses the known cases, such as NULs,
        // before the store sees them) is the request's fault: 400, as for a body that cannot be
        // decoded — never 503, which tells clients the same request will work later.
        case .rejected(let why): return .badRequest("the request carries a value the store cannot hold: \(why)")
        }
    }

    /// Runs a store call, translating its error.
    func withStore<T>(_ resource: ResourceInfo, _ name: String, _ body: () throws(StoreError) -> T) throws(StatusError) -> T {
        do {
            return try body()
        } catch {
            throw statusError(error, resource: resource, name: name)
        }
    }

    /// Reads the named object of a request.
    func load(_ context: RequestContext) throws(StatusError) -> StoredObject {
        let name = context.target.name ?? ""
        return try withStore(context.resource, name) { () throws(StoreError) in try store.get(context.target.key(name: name)) }
    }

    /// The object a write starts from: as stored, parsed, and whether it came from the store's
    /// memory of recent writes (`ObjectStore.getForWrite`) rather than from a read.
    struct CurrentObject {
        var stored: StoredObject
        var object: JSONValue
        var remembered: Bool
    }

    /// The named object of a write request: remembered if the store has it (a read-modify-write
    /// then decides again on the store's state if anything fails), read when `fresh`.
    func loadForWrite(_ context: RequestContext, fresh: Bool) throws(StatusError) -> CurrentObject {
        let name = context.target.name ?? ""
        let key = context.target.key(name: name)
        let (stored, remembered) = try withStore(context.resource, name) { () throws(StoreError) in
            fresh ? (try store.get(key), false) : try store.getForWrite(key)
        }
        return CurrentObject(stored: stored, object: try parse(stored), remembered: remembered)
    }

    /// Parses stored bytes; a stored object that does not parse is the server's fault.
    func parse(_ stored: StoredObject) throws(StatusError) -> JSONValue {
        do {
            return try JSONValue.parse(stored.json)
        } catch {
            throw .internalError("stored object \(stored.key) is not valid JSON: \(error)")
        }
    }

    /// GET of one object (or its status): passed through, or as a one-row Table.
    func get(_ context: RequestContext) throws(StatusError) -> Reply {
        let stored = try load(context)
        if context.wantsTable {
            let object = try parse(stored)
            return .object(200, ModelHooks.table(resource: context.resource, objects: [object], resourceVersion: String(stored.resourceVersion),
                                                 continueToken: nil, includeObject: context.includeObject, includeHeaders: true, now: context.now))
        }
        return .raw(200, stored.json)
    }

    /// The selectors and paging of a list or watch request; 400 on malformed input.
    func listQuery(_ context: RequestContext) throws(StatusError) -> ListQuery {
        var query = ListQuery(resource: context.resource.storageName, namespace: context.target.namespace)
        do {
            if let text = context.query["labelSelector"] { query.labelSelector = try LabelSelector.parse(text) }
            if let text = context.query["fieldSelector"] { query.fieldSelector = try FieldSelector.parse(text, for: context.resource) }
        } catch {
            throw .badRequest("unable to parse requirement: \(error.message)")
        }
        if let limit = try context.intParameter("limit") {
            guard limit >= 0 else { throw .badRequest("limit must not be negative") }
            query.limit = limit
        }
        if let token = context.query["continue"], !token.isEmpty { query.continueToken = token }
        return query
    }

    /// The `resourceVersion` parameter of a list or watch: nil when absent or "0" (any state will
    /// do); otherwise the store must have reached it. Like kube-apiserver's watch cache, a version
    /// ahead of the store is waited for up to `freshnessWaitSeconds`, then answered 504 Too large
    /// resource version (client-go relists on it) instead of hanging the request.
    func requestedResourceVersion(_ context: RequestContext) throws(StatusError) -> Int64? {
        let text = context.query["resourceVersion"] ?? ""
        guard !text.isEmpty, text != "0" else { return nil }
        guard let rv = Int64(text), rv > 0 else {
            throw .badRequest("resourceVersion \"\(text)\" is not a resourceVersion this server issued")
        }
        let deadline = Date().addingTimeInterval(Self.freshnessWaitSeconds)
        while true {
            let current = try withStore(context.resource, "") { () throws(StoreError) in try store.currentResourceVersion() }
            if rv <= current { return rv }
            if Date() >= deadline { throw .resourceVersionTooLarge(requested: rv, current: current) }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// A list's `resourceVersionMatch`, checked as upstream's ValidateListOptions does (422 Invalid on
    /// kind ListOptions): NotOlderThan (the default: any state at least that new, so the current one)
    /// or Exact (the state at that resourceVersion, 410 once compacted); either needs a
    /// resourceVersion, Exact one other than "0", and neither goes with a continue token.
    func resourceVersionMatch(_ context: RequestContext) throws(StatusError) -> String? {
        guard let match = context.query["resourceVersionMatch"], !match.isEmpty else { return nil }
        let version = context.query["resourceVersion"] ?? ""
        func forbidden(_ message: String) -> StatusError {
            .invalid(kind: "ListOptions", group: "meta.k8s.io", name: "",
                     causes: [StatusCause(reason: "FieldValueForbidden", message: "Forbidden: " + message, field: "resourceVersionMatch")])
        }
        guard ["Exact", "NotOlderThan"].contains(match) else {
            throw .invalid(kind: "ListOptions", group: "meta.k8s.io", name: "",
                           causes: [StatusCause(reason: "FieldValueNotSupported",
                                                message: "Unsupported value: \"\(match)\": supported values: \"Exact\", \"NotOlderThan\"",
                                                field: "resourceVersionMatch")])
        }
        if version.isEmpty { throw forbidden("resourceVersionMatch is forbidden unless resourceVersion is provided") }
        if let token = context.query["continue"], !token.isEmpty {
            throw forbidden("resourceVersionMatch is forbidden when continue is provided")
        }
        if match == "Exact" && version == "0" { throw forbidden("resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"") }
        return match
    }

    /// How long a list or watch waits for a resourceVersion the store has not reached (upstream: 3 s).
    static let freshnessWaitSeconds = 3.0

    /// One page of a list, store errors translated (a compacted version or continue token is 410).
    func readListPage(_ query: ListQuery, context: RequestContext) throws(StatusError) -> ListResult {
        do {
            return try store.list(query)
        } catch .expired(let requested, let oldest) {
            if query.continueToken == nil {
                throw StatusError.expired("too old resource version: \(requested) (\(oldest))")
            }
            throw StatusError.expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter. (\(requested) < \(oldest))")
        } catch {
            throw statusError(error, resource: context.resource, name: "")
        }
    }

    /// LIST: a `<Kind>List` assembled from stored bytes without re-encoding, or a Table.
    func list(_ context: RequestContext) throws(StatusError) -> Reply {
        var query = try listQuery(context)
        let requested = try requestedResourceVersion(context)
        if try resourceVersionMatch(context) == "Exact" { query.resourceVersion = requested }
        let result = try readListPage(query, context: context)
        if context.wantsTable {
            var objects: [JSONValue] = []
            objects.reserveCapacity(result.items.count)
            for item in result.items { objects.append(try parse(item)) }
            return .object(200, ModelHooks.table(resource: context.resource, objects: objects, resourceVersion: String(result.resourceVersion),
                                                 continueToken: result.continueToken, includeObject: context.includeObject,
                                                 includeHeaders: true, now: context.now))
        }
        return .raw(200, ListEncoder.encode(result, resource: context.resource))
    }
}

/// Builds list bodies by splicing stored JSON bytes, so a list costs no JSON decoding.
enum ListEncoder {
    static func encode(_ result: ListResult, resource: ResourceInfo) -> [UInt8] {
        var out = head(resource: resource, resourceVersion: result.resourceVersion, continueToken: result.continueToken,
                       remaining: result.continueToken != nil ? result.remainingItemCount : nil)
        out.reserveCapacity(out.count + 16 + result.items.reduce(0) { $0 + $1.json.count + 1 })
        out.append(contentsOf: "\"items\":[".utf8)
        for (n, item) in result.items.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: item.json)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    /// `{"kind":…,"apiVersion":…,"metadata":{…},` — everything before the items.
    static func head(resource: ResourceInfo, resourceVersion: Int64, continueToken: String?, remaining: Int?) -> [UInt8] {
        var out = Array("{\"kind\":\"\(resource.listKind)\",\"apiVersion\":\"\(resource.apiVersion)\",\"metadata\":{\"resourceVersion\":\"\(resourceVersion)\"".utf8)
        if let continueToken {
            out.append(contentsOf: ",\"continue\":".utf8)
            JSONWriter.writeString(continueToken, into: &out)
        }
        if let remaining { out.append(contentsOf: ",\"remainingItemCount\":\(remaining)".utf8) }
        out.append(contentsOf: "},".utf8)
        return out
    }
}
