import Foundation
import Store

/// Drops change history older than the window: every 10 s it samples the store's resourceVersion
/// and compacts through the newest sample older than the window (etcd-style, as kube-apiserver does
/// every 5 minutes).
final class Compactor: @unchecked Sendable {
    private let store: any ObjectStore
    private let window: Double
    private let lock = NSCondition()
    private var samples: [(time: Date, rv: Int64)] = []
    private var running = true

    init(store: any ObjectStore, windowSeconds: Double) {
        self.store = store
        self.window = windowSeconds
        let thread = Thread { [weak self] in self?.run() }
        thread.name = "drover-compactor"
        thread.start()
    }

    func stop() {
        lock.lock()
        running = false
        lock.signal()
        lock.unlock()
    }

    private func run() {
        while true {
            lock.lock()
            _ = lock.wait(until: Date().addingTimeInterval(10))
            let keepGoing = running
            lock.unlock()
            guard keepGoing else { return }
            compactOnce(now: Date())
        }
    }

    /// One sampling and compaction step.
    func compactOnce(now: Date) {
        guard let rv = try? store.currentResourceVersion() else { return }
        samples.append((now, rv))
        guard let index = samples.lastIndex(where: { now.timeIntervalSince($0.time) >= window }) else { return }
        let through = samples[index].rv
        samples.removeFirst(index + 1)
        if let oldest = try? store.oldestResourceVersion(), through > oldest {
            try? store.compact(through: through)
        }
    }
}
