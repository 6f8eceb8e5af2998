import Client
import Foundation
import Model

/// The `type` of a core/v1 Event.
public enum EventType: String, Sendable { case normal = "Normal", warning = "Warning" }

/// Records core/v1 Events about objects, as client-go's `tools/record` does (event.go,
/// events_cache.go): `record` returns at once; the event is correlated then, and written in the
/// background in the order recorded.
///
/// Correlation, in client-go's order:
/// 1. Aggregation: events of one object, source, type and reason with 10 (`aggregateMaxMessages`)
///    distinct messages within 10 minutes (each event restarts the window) become one event whose
///    message is `(combined from similar events): <latest message>`.
/// 2. Folding: a repeat of the same (object uid, type, reason, message) within 10 minutes of its
///    last occurrence patches the existing event (`count`, `lastTimestamp`, `message`) instead of
///    creating one. The count includes occurrences the spam filter dropped. Like the series of
///    client-go's newer `tools/events` (which kube-scheduler uses), repeats after the first are
///    written at most once per 30 s (`foldRefreshSeconds`): the ones between only count, and the
///    count they reached goes out with the next repeat after that or, when none comes, 30 s after
///    the last write. Why: a scheduler retrying a pod that does not fit records FailedScheduling at
///    every attempt; written each time, 1,000 one-pod Jobs waiting for room cost 45,791 event
///    patches, which took the store's write rate from everything else.
/// 3. Spam filter: a token bucket per involved object (burst 25, one token back per 5 minutes)
///    drops writes that exceed it.
///
/// Writes run one at a time. A patch that finds no event (404: it expired) creates it again under
/// the same name; transport failures, 429 and 5xx are retried twice (after 5 and 10 s of the
/// injected clock), other refusals (AlreadyExists, Invalid, a terminating namespace) are final.
/// At most 1000 writes wait; beyond that new ones are dropped, so a caller never blocks.
public final class EventRecorder: @unchecked Sendable {
    static let aggregateMaxMessages = 10
    static let windowSeconds = 600.0
    static let spamBurst = 25.0
    static let spamRefillSeconds = 300.0
    static let foldRefreshSeconds = 30.0
    static let maxQueued = 1000
    static let retryDelaysSeconds = [5.0, 10.0]
    /// Drover's API refuses longer event messages (Model's EventAdmission).
    static let maxMessageBytes = 4096
    /// Per cache; past it, entries that can no longer matter are pruned.
    static let cacheLimit = 4096

    /// One write to the API.
    enum Write: Sendable {
        case create(namespace: String, event: JSONValue)
        /// Patch of a folded event; `event` is the whole folded event, created if the patch finds none.
        case fold(namespace: String, name: String, patch: JSONValue, event: JSONValue)
    }

    private struct Aggregate {
        var messages: [String] = []
        var last: Date
    }

    private struct Observation {
        var name: String
        var count: Int64
        var firstTimestamp: String
        var last: Date
        /// What a fold writes: the event's namespace, involved object, type, reason and message.
        var namespace: String
        var reference: JSONValue
        var type: EventType
        var reason: String
        var message: String
        /// When a write of it was last queued (nil: none passed the spam filter yet).
        var lastWritten: Date?
    }

    private struct TokenBucket {
        var tokens: Double
        var last: Date

        mutating func tryAccept(now: Date) -> Bool {
            tokens = min(EventRecorder.spamBurst, tokens + max(0, now.timeIntervalSince(last)) / EventRecorder.spamRefillSeconds)
            last = now
            // The epsilon absorbs rounding: 299/300 + 1/300 must make a whole token.
            guard tokens >= 1 - 1e-9 else { return false }
            tokens = max(0, tokens - 1)
            return true
        }
    }

    private let client: any APIClient
    private let component: String
    private let clock: any TimeSource
    private let lock = NSLock()
    private var aggregates: [String: Aggregate] = [:]
    private var observations: [String: Observation] = [:]
    /// Keys of observations whose occurrences since their last write are counted but not written
    /// yet, and whether a task waits to write them.
    private var deferredKeys: Set<String> = []
    private var refreshing = false
    private var buckets: [String: TokenBucket] = [:]
    private var lastNanoseconds: UInt64 = 0
    private var queue: [Write] = []
    private var draining = false
    private var flushWaiters: [CheckedContinuation<Void, Never>] = []

    /// A recorder whose events name `component` as their source and reporting component.
    public init(client: any APIClient, component: String, clock: any TimeSource = SystemTimeSource()) {
        self.client = client
        self.component = component
        self.clock = clock
    }

    /// Records an event about `involved` (an object with kind, apiVersion and metadata). Never
    /// blocks and never fails: the write happens in the background, or is dropped (spam filter,
    /// full queue, write failures).
    public func record(_ involved: JSONValue, type: EventType, reason: String, message: String) {
        let (start, refresh) = lock.withLock { () -> (Bool, Bool) in
            let write = correlate(involved, type: type, reason: reason, message: message, now: clock.now)
            let refresh = !deferredKeys.isEmpty && !refreshing
            if refresh { refreshing = true }
            return (enqueue(write.map { [$0] } ?? []), refresh)
        }
        if start { Task { await self.drain() } }
        if refresh { Task { await self.refreshDeferred() } }
    }

    /// Queues writes (the lock held); true when the caller must start the drain.
    private func enqueue(_ writes: [Write]) -> Bool {
        queue += writes.prefix(max(0, Self.maxQueued - queue.count))
        guard !writes.isEmpty, !draining else { return false }
        draining = true
        return true
    }

    /// Returns once everything recorded so far has been written (or given up on).
    public func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = lock.withLock { () -> Bool in
                if !draining { return true }
                flushWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    // MARK: Correlation (called with the lock held)

    private func correlate(_ involved: JSONValue, type: EventType, reason: String, message: String, now: Date) -> Write? {
        let reference = Self.reference(to: involved)
        let namespace = reference["namespace"]?.string ?? "default"
        let objectKey = spamKey(reference)
        let aggregateKey = objectKey + "\u{1}" + type.rawValue + "\u{1}" + reason

        // 1. Aggregation of similar messages.
        var key = aggregateKey + "\u{1}" + message
        var text = message
        var aggregate = aggregates[aggregateKey].flatMap { now.timeIntervalSince($0.last) > Self.windowSeconds ? nil : $0 }
            ?? Aggregate(last: now)
        if !aggregate.messages.contains(message) { aggregate.messages.append(message) }
        aggregate.last = now
        if aggregate.messages.count >= Self.aggregateMaxMessages {
            aggregate.messages.removeFirst()  // the set never grows past the threshold
            key = aggregateKey
            text = "(combined from similar events): " + message
        }
        aggregates[aggregateKey] = aggregate
        text = Self.truncated(text)

        // 2. Folding of repeats. The observation is recorded even when the spam filter drops the
        // write, so a later fold's count includes the dropped occurrences (as client-go).
        let stamp = Timestamp.format(now)
        var seen: Observation
        let write: Write
        if var repeated = observations[key], now.timeIntervalSince(repeated.last) <= Self.windowSeconds {
            repeated.count += 1
            repeated.last = now
            repeated.message = text
            seen = repeated
            if repeated.count > 2, let written = repeated.lastWritten, now.timeIntervalSince(written) < Self.foldRefreshSeconds {
                observations[key] = seen
                deferredKeys.insert(key)
                return nil
            }
            write = foldWrite(seen)
        } else {
            let name = (reference["name"]?.string ?? "") + "." + hexNanoseconds(now)
            seen = Observation(name: name, count: 1, firstTimestamp: stamp, last: now, namespace: namespace, reference: reference,
                               type: type, reason: reason, message: text)
            write = .create(namespace: namespace, event: event(of: seen))
        }
        let accepted = spamFilterAccepts(objectKey, now: now)
        if accepted { written(&seen, key: key, now: now) }
        observations[key] = seen
        pruneCaches(now: now)
        return accepted ? write : nil
    }

    /// The spam filter's and the aggregation's key of an involved object.
    private func spamKey(_ reference: JSONValue) -> String {
        ([component] + ["kind", "namespace", "name", "uid", "apiVersion"].map { reference[$0]?.string ?? "" }).joined(separator: "\u{1}")
    }

    /// 3. The spam filter per involved object.
    private func spamFilterAccepts(_ objectKey: String, now: Date) -> Bool {
        var bucket = buckets[objectKey] ?? TokenBucket(tokens: Self.spamBurst, last: now)
        let accepted = bucket.tryAccept(now: now)
        buckets[objectKey] = bucket
        return accepted
    }

    private func written(_ seen: inout Observation, key: String, now: Date) {
        seen.lastWritten = now
        deferredKeys.remove(key)
    }

    /// The whole event `seen` stands for: its count and last occurrence.
    private func event(of seen: Observation) -> JSONValue {
        makeEvent(name: seen.name, namespace: seen.namespace, reference: seen.reference, type: seen.type, reason: seen.reason,
                  message: seen.message, first: seen.firstTimestamp, last: Timestamp.format(seen.last), count: seen.count)
    }

    /// The patch of `seen`'s event to its count, last occurrence and message.
    private func foldWrite(_ seen: Observation) -> Write {
        .fold(namespace: seen.namespace, name: seen.name,
              patch: ["count": .int(seen.count), "lastTimestamp": .string(Timestamp.format(seen.last)), "message": .string(seen.message)],
              event: event(of: seen))
    }

    /// Writes deferred counts once their refresh interval has passed, waiting on the clock until
    /// none is left.
    private func refreshDeferred() async {
        while true {
            let wait = lock.withLock { () -> Double? in
                let now = clock.now
                let due = deferredKeys.compactMap { key in observations[key]?.lastWritten.map { $0.addingTimeInterval(Self.foldRefreshSeconds) } }
                guard let next = due.min() else {
                    refreshing = false
                    return nil
                }
                return max(0, next.timeIntervalSince(now))
            }
            guard let wait else { return }
            try? await clock.sleep(seconds: wait)
            let start = lock.withLock { () -> Bool in
                let now = clock.now
                var writes: [Write] = []
                for key in deferredKeys.sorted() {
                    guard var seen = observations[key] else {   // pruned meanwhile
                        deferredKeys.remove(key)
                        continue
                    }
                    guard let written = seen.lastWritten, now.timeIntervalSince(written) >= Self.foldRefreshSeconds else { continue }
                    if spamFilterAccepts(spamKey(seen.reference), now: now) {
                        writes.append(foldWrite(seen))
                        self.written(&seen, key: key, now: now)
                    } else {
                        seen.lastWritten = now   // dropped: try again one interval later
                    }
                    observations[key] = seen
                }
                return enqueue(writes)
            }
            if start { await drain() }
        }
    }

    /// The core/v1 ObjectReference of `object` (empty fields left out, as Go's omitempty does).
    static func reference(to object: JSONValue) -> JSONValue {
        var reference = JSONObject()
        let metadata = object["metadata"]
        for (field, value) in [("kind", object["kind"]), ("namespace", metadata?["namespace"]), ("name", metadata?["name"]),
                               ("uid", metadata?["uid"]), ("apiVersion", object["apiVersion"]),
                               ("resourceVersion", metadata?["resourceVersion"])] {
            if let text = value?.string, !text.isEmpty { reference[field] = .string(text) }
        }
        return .object(reference)
    }

    private func makeEvent(name: String, namespace: String, reference: JSONValue, type: EventType, reason: String,
                           message: String, first: String, last: String, count: Int64) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "involvedObject": reference,
            "reason": .string(reason), "message": .string(message), "type": .string(type.rawValue),
            "firstTimestamp": .string(first), "lastTimestamp": .string(last), "count": .int(count),
            "source": ["component": .string(component)],
            "reportingComponent": .string(component),
        ]
    }

    /// 16 hex digits of the Unix time in nanoseconds, as client-go names events; strictly
    /// increasing per recorder, so two events of one object in the same instant get two names.
    private func hexNanoseconds(_ now: Date) -> String {
        let nanoseconds = max(UInt64(max(0, now.timeIntervalSince1970 * 1e9)), lastNanoseconds + 1)
        lastNanoseconds = nanoseconds
        let digits = String(nanoseconds, radix: 16)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }

    /// The message cut (at a character boundary) to what the API accepts.
    static func truncated(_ message: String) -> String {
        guard message.utf8.count > maxMessageBytes else { return message }
        var out = ""
        var bytes = 0
        for character in message {
            bytes += character.utf8.count
            if bytes > maxMessageBytes - 3 { break }
            out.append(character)
        }
        return out + "..."
    }

    /// Keeps the caches bounded: past `cacheLimit` entries, drops what has been quiet for longer
    /// than the window (it would start afresh anyway) and buckets that have refilled completely.
    private func pruneCaches(now: Date) {
        if observations.count > Self.cacheLimit {
            observations = observations.filter { now.timeIntervalSince($0.value.last) <= Self.windowSeconds }
        }
        if aggregates.count > Self.cacheLimit {
            aggregates = aggregates.filter { now.timeIntervalSince($0.value.last) <= Self.windowSeconds }
        }
        if buckets.count > Self.cacheLimit {
            // A bucket that has refilled to its burst is the same as a new one.
            buckets = buckets.filter { $0.value.tokens + now.timeIntervalSince($0.value.last) / Self.spamRefillSeconds < Self.spamBurst }
        }
    }

    // MARK: Writing

    /// Writes the queue in order until it is empty, then wakes the flushers.
    private func drain() async {
        while true {
            let (next, waiters) = lock.withLock { () -> (Write?, [CheckedContinuation<Void, Never>]) in
                guard queue.isEmpty else { return (queue.removeFirst(), []) }
                draining = false
                defer { flushWaiters = [] }
                return (nil, flushWaiters)
            }
            guard let next else {
                waiters.forEach { $0.resume() }
                return
            }
            await perform(next)
        }
    }

    private func perform(_ write: Write) async {
        var attempt = 0
        while true {
            do {
                try await send(write)
                return
            } catch {
                guard Self.isRetryable(error), attempt < Self.retryDelaysSeconds.count else { return }
                try? await clock.sleep(seconds: Self.retryDelaysSeconds[attempt])
                attempt += 1
            }
        }
    }

    /// Transport failures, 429 and 5xx may pass later; a refusal of the event itself cannot.
    static func isRetryable(_ error: any Error) -> Bool {
        if let status = error as? StatusError { return status.code == 429 || status.code >= 500 }
        if let clientError = error as? ClientError, case .invalidRequest = clientError { return false }
        return true
    }

    private func send(_ write: Write) async throws {
        switch write {
        case .create(let namespace, let event):
            _ = try await client.create(ResourceCatalog.events, namespace: namespace, object: event)
        case .fold(let namespace, let name, let patch, let event):
            do {
                _ = try await client.patch(ResourceCatalog.events, namespace: namespace, name: name, type: .strategicMerge, body: patch)
            } catch let error as StatusError where error.code == 404 {
                _ = try await client.create(ResourceCatalog.events, namespace: namespace, object: event)
            }
        }
    }
}
