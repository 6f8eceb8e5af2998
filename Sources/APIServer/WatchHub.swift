import Foundation
import Model
import Store
import Synchronization

/// Fans the store's change log out to every open watch. One thread reads each new change once
/// (woken by the store's LISTEN/NOTIFY subscription), decides per watcher whether it is an ADDED,
/// MODIFIED or DELETED event for that watcher's selectors, and queues the bytes on its stream.
/// Watchers that start from an older resourceVersion catch up from the store's history first.
final class WatchHub: @unchecked Sendable {
    private let store: any ObjectStore
    /// Told every pod and node change, for the binding's capacity check.
    let capacity: NodeCapacity
    private let condition = NSCondition()
    private var cursor: Int64
    private var watchers: [Int: Watcher] = [:]
    private var nextID = 0
    private var signatures: [ObjectKey: ObjectSignature] = [:]
    /// Namespace name → whether it is being deleted, as of the cursor. Its own lock: creates ask
    /// on every request and must not wait while the hub dispatches a batch under `condition`.
    private let namespaces = Mutex<[String: Bool]>([:])
    /// PriorityClasses by name, as of the cursor, for the priority admission of every pod create.
    private let priorityClasses = Mutex<[String: PriorityClasses.Class]>([:])
    private var woken = false
    private var running = true
    private var subscription = 0
    private let heartbeatSeconds: Double
    private let clock: @Sendable () -> Date
    private var thread: Thread?

    /// Starts at the store's current resourceVersion, after recording every object's signature.
    init(store: any ObjectStore, capacity: NodeCapacity = NodeCapacity(), heartbeatSeconds: Double = 10,
         clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.store = store
        self.capacity = capacity
        self.heartbeatSeconds = heartbeatSeconds
        self.clock = clock
        cursor = try store.currentResourceVersion()
        for resource in ResourceCatalog.all {
            var token: String?
            repeat {
                let page = try store.list(ListQuery(resource: resource.storageName, limit: 1000, continueToken: token))
                for item in page.items {
                    guard let object = try? JSONValue.parse(item.json) else { continue }
                    _ = record(.added, key: item.key, object: object, resource: resource)
                }
                token = page.continueToken
            } while token != nil
        }
        subscription = store.subscribe { [weak self] in self?.wake() }
        let thread = Thread { [weak self] in self?.run() }
        thread.name = "drover-watch-hub"
        self.thread = thread
        thread.start()
    }

    /// Ends every watch and the hub thread.
    func stop() {
        store.unsubscribe(subscription)
        condition.lock()
        running = false
        let all = Array(watchers.values)
        watchers.removeAll()
        condition.signal()
        condition.unlock()
        for w in all { w.stream.close() }
    }

    private func wake() {
        condition.lock()
        woken = true
        condition.signal()
        condition.unlock()
    }

    /// Number of open watchers (for tests and metrics).
    /// The resourceVersion the hub has dispatched up to, and whether its thread still runs.
    var progress: (cursor: Int64, running: Bool) {
        condition.lock()
        defer { condition.unlock() }
        return (cursor, running)
    }

    var watcherCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return watchers.count
    }

    /// Whether namespace `name` exists and is not being deleted, as far as the hub has seen; nil
    /// when the hub has not seen it (callers then ask the store).
    func namespaceIsActive(_ name: String) -> Bool? {
        namespaces.withLock { $0[name].map { !$0 } }
    }

    /// The PriorityClass `name` as the hub has seen it.
    func priorityClass(_ name: String) -> PriorityClasses.Class? {
        priorityClasses.withLock { $0[name] }
    }

    /// The classes marked globalDefault (upstream picks the lowest value if ever several are).
    func defaultPriorityClass() -> PriorityClasses.Class? {
        priorityClasses.withLock { classes in classes.values.filter(\.globalDefault).min { $0.value < $1.value } }
    }

    private static func isTerminating(_ namespace: JSONValue) -> Bool {
        namespace.value(at: ["metadata", "deletionTimestamp"]) != nil
    }

    /// Allocates an id for a new watcher.
    func makeID() -> Int {
        condition.lock()
        defer { condition.unlock() }
        nextID += 1
        return nextID
    }

    /// Adds a watcher that wants changes after its start resourceVersion, catching it up from the
    /// store's history when the hub is already past that point. Throws `.expired` for compacted versions.
    func add(_ watcher: Watcher) throws(StoreError) {
        let start = watcher.startResourceVersion
        // The hub may not have read the newest changes yet: a start it has not reached still has to
        // be within the history the store keeps, or the watch would miss what compaction dropped.
        // (A start the hub has passed is checked by the history read below.)
        if start >= condition.withLock({ cursor }) {
            let oldest = try store.oldestResourceVersion()
            if start < oldest { throw .expired(requested: start, oldest: oldest) }
        }
        condition.lock()
        let hubPosition = cursor
        watcher.live = start >= hubPosition
        watchers[watcher.id] = watcher
        condition.unlock()
        watcher.stream.onClose { [weak self] in self?.remove(watcher.id) }
        if watcher.live { return }
        do {
            var after = start
            while after < hubPosition {
                let batch = try store.changes(after: after, resource: watcher.resource.storageName, limit: 500)
                if batch.isEmpty { break }
                for change in batch where change.resourceVersion <= hubPosition {
                    sendHistorical(change, to: watcher)
                }
                after = batch.last!.resourceVersion
            }
        } catch {
            remove(watcher.id)
            throw error
        }
        condition.lock()
        watcher.live = true
        let parked = watcher.pending
        watcher.pending = []
        for bytes in parked { watcher.deliver(bytes) }
        watcher.sentResourceVersion = max(watcher.sentResourceVersion, hubPosition)
        condition.unlock()
    }

    func remove(_ id: Int) {
        condition.lock()
        watchers[id] = nil
        condition.unlock()
    }

    /// History has no previous states, so an object that no longer matches is reported as DELETED
    /// (harmless for a client that never had it).
    private func sendHistorical(_ change: Change, to watcher: Watcher) {
        guard let object = try? JSONValue.parse(change.object.json) else { return }
        let signature = ObjectSignature(object, resource: watcher.resource)
        let matches = watcher.matches(signature)
        let type: String
        switch change.type {
        case .added: guard matches else { return }; type = "ADDED"
        case .modified: type = matches ? "MODIFIED" : "DELETED"
        case .deleted: guard matches else { return }; type = "DELETED"
        }
        watcher.lastWrite = Date()
        watcher.stream.write(watcher.encode(type: type, object: object, raw: change.object.json, now: clock()))
    }

    private func run() {
        var lastTick = Date()
        while true {
            condition.lock()
            while running && !woken && Date().timeIntervalSince(lastTick) < 1 {
                _ = condition.wait(until: lastTick.addingTimeInterval(1))
            }
            if !running {
                condition.unlock()
                return
            }
            woken = false
            condition.unlock()
            drainChanges()
            if Date().timeIntervalSince(lastTick) >= 1 {
                lastTick = Date()
                tick()
            }
        }
    }

    /// Reads and dispatches everything after the cursor.
    private func drainChanges() {
        while true {
            let batch: [Change]
            do {
                batch = try store.changes(after: cursor, resource: nil, limit: 500)
            } catch .expired(_, let oldest) {
                // History was compacted under us: watchers may have missed events, so end them with 410.
                expireAll(oldest: oldest)
                return
            } catch {
                return  // store unavailable: retried on the next wake or tick
            }
            guard let last = batch.last else { return }
            // Parsing and signatures happen outside the lock (only this thread touches them), so
            // watch starts and stops wait only for the deliveries.
            let prepared = batch.compactMap(prepare)
            condition.lock()
            // One write per watcher per batch: each write wakes the connection's I/O thread and
            // sends a chunk, so writing event by event cost a resume, a wake-up and a send each.
            var outbox: [Int: [UInt8]] = [:]
            for change in prepared { dispatch(change, into: &outbox) }
            for (id, bytes) in outbox {
                if let watcher = watchers[id], !watcher.deliver(bytes) { watchers[id] = nil }
            }
            cursor = last.resourceVersion
            condition.unlock()
        }
    }

    /// A change with what dispatching needs: its resource, parsed object and selector signatures
    /// before and after.
    private struct PreparedChange {
        var change: Change
        var resource: ResourceInfo
        var object: JSONValue
        var previous: ObjectSignature?
        var current: ObjectSignature
    }

    /// Parses a change and moves the hub's signature and namespace records past it. Hub thread only.
    private func prepare(_ change: Change) -> PreparedChange? {
        guard let resource = ResourceCatalog.all.first(where: { $0.storageName == change.object.key.resource }),
              let object = try? JSONValue.parse(change.object.json) else { return nil }
        let (previous, current) = record(change.type, key: change.object.key, object: object, resource: resource)
        return PreparedChange(change: change, resource: resource, object: object, previous: previous, current: current)
    }

    /// Moves the hub's records of one object (selector signature, node capacity, namespace state)
    /// past a change; returns the signatures before and after. Hub thread (or init) only.
    private func record(_ type: ChangeType, key: ObjectKey, object: JSONValue,
                        resource: ResourceInfo) -> (previous: ObjectSignature?, current: ObjectSignature) {
        let previous = signatures[key]
        let current = ObjectSignature(object, resource: resource)
        signatures[key] = type == .deleted ? nil : current
        capacity.observe(type, key: key, object: object)
        if resource == ResourceCatalog.namespaces {
            namespaces.withLock { $0[key.name] = type == .deleted ? nil : Self.isTerminating(object) }
        } else if resource == ResourceCatalog.priorityClasses {
            priorityClasses.withLock { $0[key.name] = type == .deleted ? nil : PriorityClasses.Class(object) }
        }
        return (previous, current)
    }

    /// Adds a change's event to the outgoing bytes of every watcher it concerns. Must hold the lock.
    private func dispatch(_ prepared: PreparedChange, into outbox: inout [Int: [UInt8]]) {
        let (change, resource, object, previous, current) = (prepared.change, prepared.resource, prepared.object,
                                                             prepared.previous, prepared.current)
        var jsonEvents: [String: [UInt8]] = [:]
        let now = clock()
        for watcher in watchers.values where watcher.storedResource == resource && change.resourceVersion > watcher.startResourceVersion {
            let before = change.type == .added ? false : watcher.matches(previous ?? (change.type == .deleted ? current : nil))
            let after = change.type == .deleted ? false : watcher.matches(current)
            let type: String
            switch (before, after) {
            case (false, true): type = "ADDED"
            case (true, true): type = "MODIFIED"
            case (true, false): type = "DELETED"
            case (false, false): continue
            }
            let bytes: [UInt8]
            if case .json = watcher.format, !watcher.converts {
                if let cached = jsonEvents[type] { bytes = cached } else {
                    bytes = WatchEncoding.event(type: type, rawObject: change.object.json)
                    jsonEvents[type] = bytes
                }
            } else {
                bytes = watcher.encode(type: type, object: object, raw: change.object.json, now: now)
            }
            outbox[watcher.id, default: []].append(contentsOf: bytes)
            watcher.sentResourceVersion = change.resourceVersion
        }
    }

    /// Ends watches past their deadline and sends heartbeats to idle ones, so a client that left is
    /// noticed on the failed write.
    private func tick() {
        condition.lock()
        let now = Date()
        var ended: [Watcher] = []
        for watcher in watchers.values where watcher.live {
            if now >= watcher.deadline {
                ended.append(watcher)
                continue
            }
            guard now.timeIntervalSince(watcher.lastWrite) >= heartbeatSeconds else { continue }
            // A BOOKMARK if the client asked for them; otherwise one space, which every JSON stream
            // decoder skips (a blank line would reach Python clients as a `None` event).
            let heartbeat = watcher.bookmarks ? watcher.bookmark(max(cursor, watcher.sentResourceVersion)) : [UInt8(ascii: " ")]
            if !watcher.deliver(heartbeat) { ended.append(watcher) }
        }
        for watcher in ended { watchers[watcher.id] = nil }
        condition.unlock()
        for watcher in ended { watcher.stream.close() }
    }

    private func expireAll(oldest: Int64) {
        condition.lock()
        let all = Array(watchers.values)
        watchers.removeAll()
        cursor = oldest
        condition.unlock()
        for watcher in all {
            watcher.stream.write(WatchEncoding.error(.expired("too old resource version: \(watcher.sentResourceVersion) (\(oldest))")))
            watcher.stream.close()
        }
    }
}
