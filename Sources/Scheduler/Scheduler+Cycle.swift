import Client
import Foundation
import Model
import Scheduling

extension Scheduler {
    /// The scheduling thread: waits for a pending pod and a free bind slot, decides, assumes, and
    /// hands the bind to a task, so decisions never wait for the API.
    func schedulingLoop() {
        while true {
            condition.lock()
            while running && !(synced && queue.activeCount > 0 && stats.bindsInFlight < options.maxBindsInFlight) {
                condition.wait()
            }
            guard running, let (key, pod) = queue.pop() else {
                let stop = !running
                condition.unlock()
                if stop { return }
                continue
            }
            let decision = decide(pod)
            switch decision {
            case .bind(let node):
                cache.assume(key, requests: pod.requests, node: node)
                stats.bindsInFlight += 1
                condition.unlock()
                Task { await self.bind(pod, key: key, node: node) }
            case .unschedulable(let message):
                queue.backOff(pod, key: key, now: clock.now)
                stats.unschedulable += 1
                condition.unlock()
                reporter.report(pod, message: message)
            }
        }
    }

    /// Runs the profile over the cached nodes; the profile samples (percentageOfNodesToScore) and
    /// rotates its starting node across pods, as upstream. Called with the lock held.
    private func decide(_ pod: PodInfo) -> ScheduleDecision {
        profile.schedule(pod, nodes: cache.nodes, tieBreak: options.tieBreak, nextStartIndex: &nextStartNode)
    }

    /// Sends one binding and settles the assumption by its outcome.
    func bind(_ pod: PodInfo, key: String, node: String) async {
        let outcome: BindOutcome
        do {
            let path = try ResourcePath.object(ResourceCatalog.pods, namespace: pod.namespace, name: pod.name, subresource: "binding")
            let binding: JSONValue = ["apiVersion": "v1", "kind": "Binding",
                                      "metadata": ["name": .string(pod.name), "namespace": .string(pod.namespace)],
                                      "target": ["apiVersion": "v1", "kind": "Node", "name": .string(node)]]
            _ = try await client.raw(RawRequest(method: "POST", path: path, json: binding)).checked()
            outcome = .bound
        } catch let error as StatusError where error.code == 409 || error.code == 404 {
            outcome = .refused
        } catch {
            outcome = .failed
        }
        let now = clock.now
        condition.withLock {
            stats.bindsInFlight -= 1
            switch outcome {
            case .bound:
                stats.bound += 1
                queue.placed(key)
                cache.finishBinding(key, expiresAt: now.addingTimeInterval(options.assumeTimeout))
            case .refused:
                // Already bound (another scheduler won) or going away: the informer tells the rest.
                stats.conflicts += 1
                cache.forget(key)
            case .failed:
                stats.bindErrors += 1
                cache.forget(key)
                // Unless the watch already showed it bound (the answer was lost, not the bind).
                if cache.placement(of: key) == nil { queue.backOff(pod, key: key, now: now) }
            }
            condition.broadcast()
        }
        if outcome == .bound { reporter.forget(podKey: key) }
    }
}

/// How a binding request ended.
enum BindOutcome: Equatable {
    case bound
    /// 409 (already bound, being deleted) or 404 (gone).
    case refused
    /// Anything else (connection lost, server error): retried after a back-off.
    case failed
}
