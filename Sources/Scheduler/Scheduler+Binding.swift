import Client
import Foundation
import Model
import Scheduling

/// A decided placement waiting to be sent.
struct PendingBinding: Sendable {
    var pod: PodInfo
    var key: String
    var node: String
}

/// How one binding ended.
enum BindOutcome: Equatable {
    case bound
    /// 409 (already bound, being deleted, or the node is full) or 404 (gone).
    case refused
    /// Anything else (connection lost, server error): retried after a back-off.
    case failed
}

extension Scheduler {
    /// Sends the queued bindings as one batch (POST /api/v1/bindings, Drover's batch binding
    /// endpoint: the same compare-and-swap as pods/NAME/binding, many pods per round trip and per
    /// commit) unless `maxBindRequestsInFlight` batches are already outstanding; the next batch
    /// then collects every decision made meanwhile. Called with the lock held.
    func sendBindingsIfPossible() {
        guard !pendingBindings.isEmpty, bindRequestsInFlight < options.maxBindRequestsInFlight else { return }
        let count = min(pendingBindings.count, options.bindBatchSize)
        let batch = Array(pendingBindings.prefix(count))
        pendingBindings.removeFirst(count)
        bindRequestsInFlight += 1
        Task { await self.send(batch) }
    }

    private func send(_ batch: [PendingBinding]) async {
        let outcomes = await bindingOutcomes(batch)
        let now = clock.now
        condition.withLock {
            bindRequestsInFlight -= 1
            stats.bindsInFlight -= batch.count
            for (binding, outcome) in zip(batch, outcomes) { settle(binding, outcome, now: now) }
            sendBindingsIfPossible()
            condition.broadcast()
        }
        for (binding, outcome) in zip(batch, outcomes) where outcome == .bound { reporter.forget(podKey: binding.key) }
    }

    /// One outcome per binding, in order; a failed request fails them all.
    private func bindingOutcomes(_ batch: [PendingBinding]) async -> [BindOutcome] {
        let items = batch.map { b -> JSONValue in
            ["metadata": ["name": .string(b.pod.name), "namespace": .string(b.pod.namespace)],
             "target": ["apiVersion": "v1", "kind": "Node", "name": .string(b.node)]]
        }
        let list: JSONValue = ["kind": "BindingList", "apiVersion": "v1", "items": .array(items)]
        guard let response = try? await client.raw(RawRequest(method: "POST", path: "/api/v1/bindings", json: list)).checked(),
              let results = (try? JSONValue.parse(response.body))?["items"]?.array, results.count == batch.count else {
            return batch.map { _ in .failed }
        }
        return results.map { status in
            switch status["code"]?.int {
            case 200?, 201?: return .bound
            case 404?, 409?: return .refused
            default: return .failed
            }
        }
    }

    /// Settles an assumption by its binding's outcome. Called with the lock held.
    private func settle(_ binding: PendingBinding, _ outcome: BindOutcome, now: Date) {
        switch outcome {
        case .bound:
            stats.bound += 1
            queue.placed(binding.key)
            cache.finishBinding(binding.key, expiresAt: now.addingTimeInterval(options.assumeTimeout))
        case .refused, .failed:
            // Refused: already bound (another scheduler won), going away, or the node is full by
            // the server's count (another scheduler filled it). Failed: the answer or the bind was
            // lost. Either way, back off and try again unless the watch already showed the pod
            // bound; a pod seen bound or deleted later leaves the queue.
            if outcome == .refused { stats.conflicts += 1 } else { stats.bindErrors += 1 }
            SchedulerMetrics.attempts.inc("error", schedulerName)
            cache.forget(binding.key)
            guard cache.placement(of: binding.key) == nil else { return }
            if let group = PodGroupSpec.groupKey(ofPod: binding.pod.object) {
                // Back among the gang's pending members; the gang's entry waits out a back-off.
                gangMemberPending(group, key: binding.key, pod: binding.pod)
                if let entry = gangs.queueEntry(group) { queue.backOff(entry, key: GangBook.queueKey(group), now: now) }
            } else {
                queue.backOff(binding.pod, key: binding.key, now: now)
            }
        }
    }
}
