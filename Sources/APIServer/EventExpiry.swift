import Foundation
import Model
import Store

/// Deletes Events whose last activity is older than the TTL, as kube-apiserver's `--event-ttl`
/// (1 h by default) does through etcd leases: without it every FailedScheduling, Started or
/// Killing event ever recorded would stay in the store and in every `get events`.
///
/// An event's last activity is the newest of `lastTimestamp`, `eventTime`,
/// `series.lastObservedTime` and `metadata.creationTimestamp` (upstream renews the lease on each
/// write; the recorders bump `lastTimestamp` or the series on each repeat, so the result is the
/// same). Deletes are compare-and-swap: an event updated meanwhile lives on. The DELETED change
/// reaches watchers like any other.
final class EventExpiry: @unchecked Sendable {
    private let store: any ObjectStore
    private let ttl: Double
    private let clock: @Sendable () -> Date
    private let condition = NSCondition()
    private var running = true

    /// Starts a thread that sweeps every tenth of the TTL (at most once a minute, at least every 5 s).
    init(store: any ObjectStore, ttlSeconds: Double, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.ttl = ttlSeconds
        self.clock = clock
        let thread = Thread { [weak self] in self?.run(every: min(60, max(5, ttlSeconds / 10))) }
        thread.name = "drover-event-expiry"
        thread.start()
    }

    func stop() {
        condition.withLock {
            running = false
            condition.signal()
        }
    }

    /// When `event` was last active, if it says.
    static func lastActivity(of event: JSONValue) -> Date? {
        [["lastTimestamp"], ["eventTime"], ["series", "lastObservedTime"], ["metadata", "creationTimestamp"]]
            .compactMap { event.value(at: $0)?.string.flatMap(Timestamp.parse) }
            .max()
    }

    /// Deletes every event last active more than the TTL before `now`; returns how many went.
    @discardableResult
    func sweep(now: Date) -> Int {
        var deleted = 0
        var query = ListQuery(resource: ResourceCatalog.events.storageName, limit: 500)
        while true {
            guard let page = try? store.list(query) else { return deleted }
            for item in page.items {
                guard let event = try? JSONValue.parse(item.json), let last = Self.lastActivity(of: event),
                      now.timeIntervalSince(last) > ttl else { continue }
                if (try? store.delete(item.key, ifResourceVersion: item.resourceVersion)) != nil { deleted += 1 }
            }
            guard let token = page.continueToken else { return deleted }
            query.continueToken = token
        }
    }

    private func run(every interval: Double) {
        while true {
            let keepGoing = condition.withLock { () -> Bool in
                if running { _ = condition.wait(until: Date().addingTimeInterval(interval)) }
                return running
            }
            guard keepGoing else { return }
            sweep(now: clock())
        }
    }
}
