import Model

/// Where an object lives: its resource (`ResourceInfo.storageName`, e.g. `pods`, `jobs.batch`),
/// namespace (`""` for cluster-scoped kinds) and name.
public struct ObjectKey: Hashable, Sendable, CustomStringConvertible {
    public var resource: String
    public var namespace: String
    public var name: String

    public init(resource: String, namespace: String, name: String) {
        self.resource = resource
        self.namespace = namespace
        self.name = name
    }

    public var description: String { namespace.isEmpty ? "\(resource)/\(name)" : "\(resource)/\(namespace)/\(name)" }
}

/// An object as stored: its key, uid, resourceVersion and JSON body. The body's
/// `metadata.resourceVersion` always equals `resourceVersion` (the store writes it).
public struct StoredObject: Sendable, Equatable {
    public var key: ObjectKey
    public var uid: String
    public var resourceVersion: Int64
    /// The object as compact JSON bytes, ready to send to clients without re-encoding.
    public var json: [UInt8]

    public init(key: ObjectKey, uid: String, resourceVersion: Int64, json: [UInt8]) {
        self.key = key
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.json = json
    }

    /// The body parsed into a tree.
    public func parsed() throws -> JSONValue { try JSONValue.parse(json) }
}

/// The kind of a change in the change log.
public enum ChangeType: String, Sendable, Equatable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
}

/// One entry of the change log: what happened to which object at which resourceVersion. For
/// DELETED the object is its last state, with the deletion's resourceVersion.
public struct Change: Sendable, Equatable {
    public var type: ChangeType
    public var object: StoredObject

    public init(type: ChangeType, object: StoredObject) {
        self.type = type
        self.object = object
    }

    public var resourceVersion: Int64 { object.resourceVersion }
}

/// A list request.
public struct ListQuery: Sendable, Equatable {
    /// `ResourceInfo.storageName`.
    public var resource: String
    /// Namespace to list in; nil lists across all namespaces.
    public var namespace: String?
    public var labelSelector: LabelSelector
    public var fieldSelector: FieldSelector
    /// Page size; nil or 0 means everything.
    public var limit: Int?
    /// Token from a previous page's `ListResult.continueToken`.
    public var continueToken: String?
    /// The state exactly at this resourceVersion (resourceVersionMatch=Exact) instead of the
    /// current one; `.expired` once compacted. Ignored with a continue token, which names its own.
    public var resourceVersion: Int64?

    public init(resource: String, namespace: String? = nil, labelSelector: LabelSelector = .everything,
                fieldSelector: FieldSelector = FieldSelector(), limit: Int? = nil, continueToken: String? = nil) {
        self.resource = resource
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
    }
}

/// One page of a list, consistent at `resourceVersion`.
public struct ListResult: Sendable, Equatable {
    /// Matching objects ordered by (namespace, name).
    public var items: [StoredObject]
    /// The store's resourceVersion the page is consistent at (every page of one list shares it).
    public var resourceVersion: Int64
    /// Set when more items remain; pass it back in `ListQuery.continueToken`.
    public var continueToken: String?
    /// How many matching items remain after this page, when known.
    public var remainingItemCount: Int?

    public init(items: [StoredObject], resourceVersion: Int64, continueToken: String? = nil, remainingItemCount: Int? = nil) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
        self.remainingItemCount = remainingItemCount
    }
}

/// Why a store operation failed.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No object at the key (or it vanished before a compare-and-swap).
    case notFound(ObjectKey)
    /// Create of a key that exists.
    case alreadyExists(ObjectKey)
    /// Compare-and-swap failed: the stored resourceVersion is `current`.
    case conflict(ObjectKey, current: Int64)
    /// The requested resourceVersion (watch start or continue token) is older than the retained
    /// history; `oldest` is the oldest resourceVersion still served.
    case expired(requested: Int64, oldest: Int64)
    /// A malformed continue token.
    case invalidContinueToken(String)
    /// The database failed or is unreachable; the message says how.
    case unavailable(String)
    /// The store refused a value of the request itself (a body that is not a JSON object, or that
    /// PostgreSQL cannot hold: a data exception, SQLSTATE class 22, such as 22P05 for `\u0000` in
    /// jsonb, 22021 for a byte sequence invalid in UTF-8, 22P02 for invalid JSON text). Bad input,
    /// never an outage: retrying the same write fails the same way.
    case rejected(String)

    public var description: String {
        switch self {
        case .notFound(let k): return "\(k) not found"
        case .alreadyExists(let k): return "\(k) already exists"
        case .conflict(let k, let current): return "\(k) has resourceVersion \(current)"
        case .expired(let requested, let oldest): return "too old resource version: \(requested) (\(oldest))"
        case .invalidContinueToken(let why): return "invalid continue token: \(why)"
        case .unavailable(let why): return "store unavailable: \(why)"
        case .rejected(let why): return "value rejected by the store: \(why)"
        }
    }
}

/// The state store: objects keyed by (resource, namespace, name) plus an ordered change log.
///
/// Guarantees, identical for every implementation (one contract suite runs against all):
/// - resourceVersion is one global counter, strictly increasing across all writes; each write gets
///   a fresh one and the store writes it into the body's `metadata.resourceVersion`.
/// - The change log is read in resourceVersion order and never grows "backwards": once a reader has
///   seen change N, no change with a lower resourceVersion becomes visible later.
/// - `update` and `delete` with `ifResourceVersion` are compare-and-swap.
/// - `list` pages are consistent at one resourceVersion, also across continue tokens, as long as
///   that resourceVersion has not been compacted away (then `.expired`).
/// - Methods block the calling thread until the write is durable; they are safe from any thread.
public protocol ObjectStore: AnyObject, Sendable {
    /// The object at `key`, or `.notFound`.
    func get(_ key: ObjectKey) throws(StoreError) -> StoredObject

    /// One page of matching objects, ordered by (namespace, name).
    func list(_ query: ListQuery) throws(StoreError) -> ListResult

    /// Stores a new object. `json` is the full object except `metadata.resourceVersion`, which the
    /// store sets. `.alreadyExists` if the key is taken.
    func create(_ key: ObjectKey, uid: String, json: [UInt8]) throws(StoreError) -> StoredObject

    /// Replaces the object at `key` if its resourceVersion is still `ifResourceVersion`
    /// (`.conflict` otherwise, `.notFound` if it is gone). The uid is kept.
    func update(_ key: ObjectKey, json: [UInt8], ifResourceVersion: Int64) throws(StoreError) -> StoredObject

    /// Removes the object (if `ifResourceVersion` is given, only at that version) and returns its
    /// last state stamped with the deletion's resourceVersion.
    func delete(_ key: ObjectKey, ifResourceVersion: Int64?) throws(StoreError) -> StoredObject

    /// The object's state to base a compare-and-swap write on, and whether it came from memory
    /// (then possibly stale: the write fails and the caller reads again with `get`). Stores
    /// without such memory answer with `get`.
    func getForWrite(_ key: ObjectKey) throws(StoreError) -> (object: StoredObject, remembered: Bool)

    /// `getForWrite` of each key, in order (`getAll` in stores without memory).
    func getAllForWrite(_ keys: [ObjectKey]) -> [Result<StoredObject, StoreError>]

    /// The objects at `keys`, in order; each one found or `.notFound` on its own (a default
    /// reads them one by one).
    func getAll(_ keys: [ObjectKey]) -> [Result<StoredObject, StoreError>]

    /// Runs every update as `update` would, each succeeding or failing on its own, results in
    /// order (a default runs them one by one; PostgresStore commits them together).
    func updateAll(_ updates: [ObjectUpdate]) -> [Result<StoredObject, StoreError>]

    /// Changes with resourceVersion > `after`, oldest first, at most `limit`, optionally only for
    /// one resource. `.expired` when `after` is older than the compacted history.
    func changes(after: Int64, resource: String?, limit: Int) throws(StoreError) -> [Change]

    /// The newest committed resourceVersion.
    func currentResourceVersion() throws(StoreError) -> Int64

    /// The oldest resourceVersion a watch or continue token may still start from.
    func oldestResourceVersion() throws(StoreError) -> Int64

    /// Drops change history at or below `resourceVersion` (never the newest state of a live
    /// object), after which reads from older versions are `.expired`.
    func compact(through resourceVersion: Int64) throws(StoreError)

    /// Calls `handler` (on any thread) whenever new changes may be readable. Returns a token;
    /// pass it to `unsubscribe`.
    func subscribe(_ handler: @escaping @Sendable () -> Void) -> Int

    /// Stops calling a subscribed handler.
    func unsubscribe(_ token: Int)

    /// Stops background work and closes connections.
    func close()
}
