import Client
import Foundation
import Logging

/// What one sync of a key asks for next.
public struct ReconcileResult: Sendable, Equatable {
    /// Run the key again after this many seconds (time-driven work: back-off ends, deadlines,
    /// TTLs, cron slots); nil when only a change should bring it back.
    public var requeueAfter: Double?

    public init(requeueAfter: Double? = nil) { self.requeueAfter = requeueAfter }

    /// Nothing to do until something changes.
    public static let done = ReconcileResult()

    /// Sync again after `seconds`.
    public static func requeue(after seconds: Double) -> ReconcileResult { ReconcileResult(requeueAfter: seconds) }

    /// The earlier of two requests (nil means "no request").
    public func merged(with other: ReconcileResult) -> ReconcileResult {
        switch (requeueAfter, other.requeueAfter) {
        case let (a?, b?): return .requeue(after: min(a, b))
        case (nil, _): return other
        case (_, nil): return self
        }
    }
}

/// One controller's sync of one key. It must be level-triggered: safe to run twice, late, or
/// after a crash, reading what it needs from informers' caches.
public protocol Reconciler: Sendable {
    /// Converges the object `key` names; throwing retries the key with the queue's back-off.
    func reconcile(_ key: String) async throws -> ReconcileResult
}

/// A reconciler held weakly, so a controller that owns its loop is not kept alive by it; syncs
/// after the controller is gone do nothing.
public struct WeakReconciler<Target: Reconciler & AnyObject>: Reconciler, @unchecked Sendable {
    private weak var target: Target?

    public init(_ target: Target) { self.target = target }

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        guard let target else { return .done }
        return try await target.reconcile(key)
    }
}

/// Runs a reconciler over a work queue with `workers` concurrent workers: each takes a key,
/// reconciles it, then forgets its failures and requeues it when asked, or on an error requeues it
/// rate-limited. The queue guarantees that one key is never reconciled by two workers at once.
public final class ControllerLoop: @unchecked Sendable {
    /// The controller's name, for logs.
    public let name: String
    /// The queue the workers drain.
    public let queue: WorkQueue
    private let workers: Int
    private let reconciler: any Reconciler
    private let logger: Logger
    private let lock = NSLock()
    private var tasks: [Task<Void, Never>] = []
    private var syncCount = 0
    private var errorCount = 0

    /// - Parameter logger: where failed syncs are reported (component `controller/<name>` by default).
    public init(name: String, queue: WorkQueue, workers: Int, reconciler: any Reconciler, logger: Logger? = nil) {
        self.name = name
        self.queue = queue
        self.workers = max(1, workers)
        self.reconciler = reconciler
        self.logger = logger ?? Logger("controller/\(name)")
    }

    /// Starts the workers; calling it twice does nothing.
    public func start() {
        lock.withLock {
            guard tasks.isEmpty else { return }
            tasks = (0..<workers).map { _ in Task { [weak self] in await self?.work() } }
        }
    }

    /// Shuts the queue down; workers finish the sync they are in and end.
    public func stop() {
        queue.shutDown()
        let running = lock.withLock { () -> [Task<Void, Never>] in
            defer { tasks = [] }
            return tasks
        }
        running.forEach { $0.cancel() }
    }

    /// Syncs run so far and how many of them failed.
    public var counts: (syncs: Int, errors: Int) { lock.withLock { (syncCount, errorCount) } }

    private func work() async {
        while let key = await queue.next() {
            do {
                let result = try await reconciler.reconcile(key)
                queue.forget(key)
                if let after = result.requeueAfter { queue.addAfter(key, seconds: after) }
                lock.withLock { syncCount += 1 }
            } catch {
                lock.withLock { syncCount += 1; errorCount += 1 }
                if !(error is CancellationError) {
                    logger.warning("sync failed", object: key, ["retry": "\(queue.failures(key) + 1)", "error": "\(error)"])
                    queue.addRateLimited(key)
                }
            }
            queue.done(key)
        }
    }

}
