import Foundation
import Model

/// An `ObjectStore` held in process memory, with exactly the contract of the PostgreSQL store:
/// one global resourceVersion counter, a change log, consistent paged lists and compaction.
///
/// Used by unit tests and by servers that need no durability. Every method takes one lock, so
/// operations are linearizable; subscribed handlers run after the lock is released.
public final class MemoryStore: ObjectStore, @unchecked Sendable {
    /// Everything the lock guards.
    struct State {
        /// The newest resourceVersion handed out; 0 before the first write.
        var resourceVersion: Int64 = 0
        /// History at or below this point is gone; reads from older versions are `.expired`.
        var compactedResourceVersion: Int64 = 0
        /// Objects and their retained history, by `ObjectKey.resource`.
        var tables: [String: ResourceTable] = [:]
        /// Every change above `compactedResourceVersion`, in resourceVersion order.
        var log: [Change] = []
        var handlers: [Int: @Sendable () -> Void] = [:]
        var nextHandlerToken = 1
    }

    private let lock = NSLock()
    private var state = State()

    /// Creates an empty store whose first write gets resourceVersion 1.
    public init() {}

    /// Runs `body` with the state locked.
    func withState<T, E: Error>(_ body: (inout State) throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }

    public func get(_ key: ObjectKey) throws(StoreError) -> StoredObject {
        try withState { (state) throws(StoreError) -> StoredObject in
            guard let current = state.tables[key.resource]?.current(Name(key)) else { throw .notFound(key) }
            return current.change.object
        }
    }

    public func create(_ key: ObjectKey, uid: String, json: [UInt8]) throws(StoreError) -> StoredObject {
        let body = try Self.parseBody(json, for: key)
        return try write { (state) throws(StoreError) -> Change in
            if state.tables[key.resource]?.current(Name(key)) != nil { throw .alreadyExists(key) }
            return state.record(.added, key: key, uid: uid, body: body)
        }
    }

    public func update(_ key: ObjectKey, json: [UInt8], ifResourceVersion: Int64) throws(StoreError) -> StoredObject {
        let body = try Self.parseBody(json, for: key)
        return try write { (state) throws(StoreError) -> Change in
            guard let current = state.tables[key.resource]?.current(Name(key)) else { throw .notFound(key) }
            guard current.resourceVersion == ifResourceVersion else {
                throw .conflict(key, current: current.resourceVersion)
            }
            return state.record(.modified, key: key, uid: current.change.object.uid, body: body)
        }
    }

    public func delete(_ key: ObjectKey, ifResourceVersion: Int64?) throws(StoreError) -> StoredObject {
        try write { (state) throws(StoreError) -> Change in
            guard let current = state.tables[key.resource]?.current(Name(key)) else { throw .notFound(key) }
            if let expected = ifResourceVersion, expected != current.resourceVersion {
                throw .conflict(key, current: current.resourceVersion)
            }
            return state.record(.deleted, key: key, uid: current.change.object.uid, body: current.body)
        }
    }

    public func changes(after: Int64, resource: String?, limit: Int) throws(StoreError) -> [Change] {
        try withState { (state) throws(StoreError) -> [Change] in
            if after < state.compactedResourceVersion {
                throw .expired(requested: after, oldest: state.compactedResourceVersion)
            }
            var out: [Change] = []
            var index = state.firstLogIndex(after: after)
            while index < state.log.count, out.count < limit {
                let change = state.log[index]
                if resource == nil || change.object.key.resource == resource { out.append(change) }
                index += 1
            }
            return out
        }
    }

    public func currentResourceVersion() throws(StoreError) -> Int64 {
        withState { $0.resourceVersion }
    }

    public func oldestResourceVersion() throws(StoreError) -> Int64 {
        withState { $0.compactedResourceVersion }
    }

    public func compact(through resourceVersion: Int64) throws(StoreError) {
        withState { state in
            // Compacting past the newest write would expire versions that do not exist yet.
            let point = min(resourceVersion, state.resourceVersion)
            guard point > state.compactedResourceVersion else { return }
            state.compactedResourceVersion = point
            state.log.removeFirst(state.firstLogIndex(after: point))
            for resource in Array(state.tables.keys) {
                state.tables[resource]?.compact(through: point)
                if state.tables[resource]?.isEmpty == true { state.tables[resource] = nil }
            }
        }
    }

    public func subscribe(_ handler: @escaping @Sendable () -> Void) -> Int {
        withState { state in
            let token = state.nextHandlerToken
            state.nextHandlerToken += 1
            state.handlers[token] = handler
            return token
        }
    }

    public func unsubscribe(_ token: Int) {
        withState { state in state.handlers[token] = nil }
    }

    /// Drops all subscriptions; the data stays readable and writable.
    public func close() {
        withState { state in state.handlers.removeAll() }
    }

    /// Applies one write under the lock, then tells subscribers outside it.
    private func write(_ body: (inout State) throws(StoreError) -> Change) throws(StoreError) -> StoredObject {
        let (change, handlers) = try withState { (state) throws(StoreError) -> (Change, [@Sendable () -> Void]) in
            (try body(&state), Array(state.handlers.values))
        }
        for handler in handlers { handler() }
        return change.object
    }

    /// The body as a tree; the store only accepts JSON objects.
    private static func parseBody(_ json: [UInt8], for key: ObjectKey) throws(StoreError) -> JSONValue {
        let body: JSONValue
        do {
            body = try JSONValue.parse(json)
        } catch {
            throw .rejected("The body for \(key) is not valid JSON: \(error).")
        }
        guard body.object != nil else {
            throw .rejected("The body for \(key) must be a JSON object, not a \(body.typeName).")
        }
        return body
    }
}

extension MemoryStore.State {
    /// Takes the next resourceVersion, stamps it into `body` and appends the change to the log and
    /// the key's history.
    mutating func record(_ type: ChangeType, key: ObjectKey, uid: String, body: JSONValue) -> Change {
        resourceVersion += 1
        var stamped = body
        stamped.setValue(.string(String(resourceVersion)), at: ["metadata", "resourceVersion"])
        let object = StoredObject(key: key, uid: uid, resourceVersion: resourceVersion, json: stamped.serialized())
        let change = Change(type: type, object: object)
        tables[key.resource, default: MemoryStore.ResourceTable()]
            .append(MemoryStore.Revision(change: change, body: stamped), for: MemoryStore.Name(key))
        log.append(change)
        return change
    }

    /// The index of the first log entry with a resourceVersion above `resourceVersion`.
    func firstLogIndex(after resourceVersion: Int64) -> Int {
        var low = 0
        var high = log.count
        while low < high {
            let mid = (low + high) / 2
            if log[mid].resourceVersion <= resourceVersion { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
