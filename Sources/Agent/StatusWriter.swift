import Client
import Foundation
import Model

/// Writes pods' statuses (`PUT pods/NAME/status`) in the background, as the kubelet's status
/// manager does: a sync only hands over the status it rendered; the writer sends the newest status
/// of each pod, only when it differs from the last one written, one write per pod at a time (so
/// they land in order) and `concurrency` pods at a time.
///
/// Why: every write costs an HTTP round trip, a PostgreSQL write and a watch event to every watcher
/// of the pod (the agent's own watch included). A sync no longer waits for its write, and when the
/// writes fall behind, a pod's statuses queue up and only the newest is sent, so the writes per pod
/// go down as the load goes up. Nothing is lost by that: a status is complete on its own (phase,
/// conditions, container states with startedAt/finishedAt, startTime, IPs).
///
/// A failed write is retried after `retryDelay` (doubling up to `maxRetryDelay`) unless a newer
/// status replaced it meanwhile; a pod that is gone (404) or forgotten is dropped.
final class StatusWriter: @unchecked Sendable {
    private struct Target {
        var namespace: String
        var name: String
        var status: JSONValue
    }

    private let client: any APIClient
    private let log: @Sendable (String) -> Void
    private let concurrency: Int
    private let retryDelay: TimeInterval
    private let maxRetryDelay: TimeInterval
    private let lock = NSLock()
    /// The last status written (or read from the API) per pod uid.
    private var published: [String: JSONValue] = [:]
    /// The newest status not yet written, per pod uid.
    private var pending: [String: Target] = [:]
    /// Pods waiting for a writer, oldest first; a pod is in it at most once.
    private var queue = FIFO<String>()
    private var queued: Set<String> = []
    /// The status being written per pod uid.
    private var inFlight: [String: JSONValue] = [:]
    /// Pods forgotten while their write was in flight: its outcome is not recorded.
    private var forgottenInFlight: Set<String> = []
    /// A status whose write failed, waiting for its retry (dropped when a newer one comes).
    private var failed: [String: JSONValue] = [:]
    /// Consecutive failed writes per pod (sets the retry delay).
    private var failures: [String: Int] = [:]
    /// `flush` callers: the pod they wait for (nil: all), and how to resume them.
    private var waiters: [(uid: String?, continuation: CheckedContinuation<Void, Never>)] = []

    /// Waits out a retry delay (injectable so tests decide when retries come).
    private let sleep: @Sendable (TimeInterval) async -> Void

    init(client: any APIClient, log: @escaping @Sendable (String) -> Void, concurrency: Int = 4,
         retryDelay: TimeInterval = 0.5, maxRetryDelay: TimeInterval = 10,
         sleep: @escaping @Sendable (TimeInterval) async -> Void = StatusWriter.realSleep) {
        self.client = client
        self.log = log
        self.concurrency = max(1, concurrency)
        self.retryDelay = retryDelay
        self.maxRetryDelay = maxRetryDelay
        self.sleep = sleep
    }

    /// The real wait.
    static let realSleep: @Sendable (TimeInterval) async -> Void = { seconds in
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }

    /// The status the API server has for the pod (from a list or watch), so an unchanged status
    /// is not written again (e.g. after an agent restart).
    func seed(uid: String, status: JSONValue?) {
        lock.withLock {
            published[uid] = status
            forgottenInFlight.remove(uid)
        }
    }

    /// The pod's newest status; written unless it is the one written last.
    func set(uid: String, namespace: String, name: String, status: JSONValue) {
        lock.withLock {
            // Nothing to write when it is the status on the server, or the one on its way there.
            if (inFlight[uid] ?? published[uid]) == status {
                pending[uid] = nil
                return
            }
            failed[uid] = nil
            pending[uid] = Target(namespace: namespace, name: name, status: status)
            enqueue(uid)
            pump()
        }
    }

    /// The pod is gone: nothing more is written for it.
    func forget(uid: String) {
        lock.withLock {
            published[uid] = nil
            pending[uid] = nil
            failed[uid] = nil
            failures[uid] = nil
            if inFlight[uid] != nil { forgottenInFlight.insert(uid) }
        }
    }

    /// Whether `status` is the pod's status as far as this writer is concerned: written, or on its
    /// way (retried until it is written, or until a newer one replaces it).
    func isHandled(uid: String, status: JSONValue) -> Bool {
        lock.withLock { (pending[uid]?.status ?? inFlight[uid] ?? failed[uid] ?? published[uid]) == status }
    }

    /// Returns once every status handed over so far for the pod `uid` (nil: for every pod) has
    /// been tried. A failed one waiting for its retry is not waited for.
    func flush(uid: String? = nil) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = lock.withLock { () -> Bool in
                if isDone(uid) { return true }
                waiters.append((uid, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }

    // MARK: - Under the lock

    /// Nothing queued or being written for the pod (nil: for any pod).
    private func isDone(_ uid: String?) -> Bool {
        guard let uid else { return queue.isEmpty && inFlight.isEmpty }
        return pending[uid] == nil && inFlight[uid] == nil
    }

    private func enqueue(_ uid: String) {
        guard !queued.contains(uid), inFlight[uid] == nil else { return }
        queued.insert(uid)
        queue.append(uid)
    }

    /// Starts writes while writers are free, oldest queued pod first.
    private func pump() {
        while inFlight.count < concurrency, let uid = queue.popFirst() {
            queued.remove(uid)
            guard let target = pending.removeValue(forKey: uid) else { continue }
            inFlight[uid] = target.status
            Task { await self.write(uid: uid, target) }
        }
        if !waiters.isEmpty { resumeWaiters() }
    }

    private func resumeWaiters() {
        var waiting: [(uid: String?, continuation: CheckedContinuation<Void, Never>)] = []
        for waiter in waiters {
            if isDone(waiter.uid) { waiter.continuation.resume() } else { waiting.append(waiter) }
        }
        waiters = waiting
    }

    // MARK: - Writing

    private func write(uid: String, _ target: Target) async {
        let body: JSONValue = ["apiVersion": "v1", "kind": "Pod",
                               "metadata": ["name": .string(target.name), "namespace": .string(target.namespace)],
                               "status": target.status]
        var failure: (any Error)?
        do {
            _ = try await client.updateStatus(ResourceCatalog.pods, namespace: target.namespace, object: body)
        } catch {
            failure = error
        }
        guard let retry = finish(uid: uid, target, failure: failure) else { return }
        await sleep(retry)
        lock.withLock {
            // Forgotten meanwhile, or replaced by a newer status: nothing to retry.
            guard failed[uid] == target.status, pending[uid] == nil, inFlight[uid] == nil else { return }
            failed[uid] = nil
            pending[uid] = target
            enqueue(uid)
            pump()
        }
    }

    /// Records a write's outcome; returns how long to wait before retrying it (nil: no retry).
    private func finish(uid: String, _ target: Target, failure: (any Error)?) -> TimeInterval? {
        lock.withLock {
            inFlight[uid] = nil
            defer { pump() }
            if forgottenInFlight.remove(uid) != nil { return nil }
            guard let failure else {
                failures[uid] = nil
                published[uid] = target.status
                if pending[uid]?.status == target.status { pending[uid] = nil }
                if pending[uid] != nil { enqueue(uid) }
                return nil
            }
            if let error = failure as? StatusError, error.code == 404 {
                // The pod is gone from the API; its deletion reaches the manager through the watch.
                pending[uid] = nil
                return nil
            }
            log("writing the status of pod \(target.namespace)/\(target.name) failed: \(failure)")
            // A newer status, if any, goes out as soon as a writer is free; else this one is retried.
            if pending[uid] != nil {
                enqueue(uid)
                return nil
            }
            let attempt = failures[uid, default: 0]
            failures[uid] = attempt + 1
            failed[uid] = target.status
            return min(maxRetryDelay, retryDelay * Double(1 << min(attempt, 16)))
        }
    }
}
