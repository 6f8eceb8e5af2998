import Client
import Foundation

/// What a controller has asked the API to do for a key and not yet seen in its informers' caches
/// (upstream's ControllerExpectations and UIDTrackingControllerExpectations in one).
///
/// Before creating N pods a controller calls `expectCreations(key, count: N)`; each pod add the
/// informer delivers calls `creationObserved(key)`, and so does each create that failed (it will
/// never be observed). Deletions are tracked by uid, so the informer's delete of a pod the
/// controller did not delete cannot be mistaken for one it did. While expectations are
/// outstanding the controller's sync does not create or delete again: a lagging cache never
/// causes double work. A record older than `ttlSeconds` (5 minutes) counts as satisfied, so a lost
/// watch event cannot wedge a key forever.
public final class Expectations: @unchecked Sendable {
    private struct Record {
        var creations = 0
        var deletions: Set<String> = []
        var timestamp: Date
    }

    private let clock: any TimeSource
    private let ttlSeconds: Double
    private let lock = NSLock()
    private var records: [String: Record] = [:]

    public init(clock: any TimeSource = SystemTimeSource(), ttlSeconds: Double = 300) {
        self.clock = clock
        self.ttlSeconds = ttlSeconds
    }

    /// Expects `count` more creations for `key` (added to any still outstanding).
    public func expectCreations(_ key: String, count: Int) {
        guard count > 0 else { return }
        let now = clock.now
        lock.withLock {
            var record = records[key] ?? Record(timestamp: now)
            record.creations = max(0, record.creations) + count
            record.timestamp = now
            records[key] = record
        }
    }

    /// One expected creation was observed (or failed and will never be observed).
    public func creationObserved(_ key: String) {
        lock.withLock {
            guard var record = records[key] else { return }
            record.creations -= 1
            records[key] = record
        }
    }

    /// Expects the objects with these uids to go away (deleted, or a finalizer removed).
    public func expectDeletions(_ key: String, uids: [String]) {
        guard !uids.isEmpty else { return }
        let now = clock.now
        lock.withLock {
            var record = records[key] ?? Record(timestamp: now)
            record.deletions.formUnion(uids)
            record.timestamp = now
            records[key] = record
        }
    }

    /// The deletion of `uid` was observed (or failed and will never be observed).
    public func deletionObserved(_ key: String, uid: String) {
        lock.withLock {
            guard records[key] != nil else { return }
            records[key]!.deletions.remove(uid)
        }
    }

    /// True when nothing is outstanding for `key`: no record, everything observed, or the record
    /// expired.
    public func isSatisfied(_ key: String) -> Bool {
        let now = clock.now
        return lock.withLock {
            guard let record = records[key] else { return true }
            if record.creations <= 0 && record.deletions.isEmpty { return true }
            return now.timeIntervalSince(record.timestamp) > ttlSeconds
        }
    }

    /// The uids whose deletion is still expected for `key` (a controller skips them when it
    /// counts what to delete, or which finalizers to remove).
    public func pendingDeletions(_ key: String) -> Set<String> {
        lock.withLock { records[key]?.deletions ?? [] }
    }

    /// Drops everything recorded for `key` (its object is gone).
    public func forget(_ key: String) {
        _ = lock.withLock { records.removeValue(forKey: key) }
    }
}
