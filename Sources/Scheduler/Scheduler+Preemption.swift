import Client
import Foundation
import Model
import Scheduling

extension Scheduler {
    /// What the scheduling thread does for a pod that fits nowhere.
    enum PreemptionStep: Equatable {
        /// Evict these pods from `node`; the pod is nominated there.
        case evict(node: String, victims: [PodInfo])
        /// Nominated already, and its earlier victims are still leaving: wait for them.
        case waiting
        /// No eviction would help; the reason is appended to the pod's message.
        case impossible(String)
        /// `preemptionPolicy: Never`.
        case notAllowed
    }

    /// Upstream's PostFilter: keep waiting on a nomination whose victims are still terminating,
    /// otherwise look for victims and hold the chosen node's room. Called with the lock held.
    func preemptIfPossible(_ pod: PodInfo, key: String, nominated: String?, nodes: [NodeInfo]) -> PreemptionStep {
        guard pod.preemptionPolicy != "Never" else { return .notAllowed }
        if let nominated, cache.hasTerminatingPods(on: nominated, below: pod.priority) {
            cache.nominate(key, requests: pod.requests, node: nominated, priority: pod.priority)
            return .waiting
        }
        // Read under the scheduler's lock: no handler of the budget informer ever takes that lock.
        let budgets = budgetInformer.list().compactMap(DisruptionBudget.init)
        switch Preemption.plan(pod, nodes: nodes, pods: { cache.pods(on: $0) }, profile: profile,
                               maxCandidates: Preemption.candidateLimit(nodeCount: nodes.count), budgets: budgets,
                               nextStartIndex: &nextPreemptionStart) {
        case .preempt(let node, let victims):
            cache.nominate(key, requests: pod.requests, node: node, priority: pod.priority)
            let now = Timestamp.format(clock.now)
            for victim in victims { cache.markTerminating(objectKey(victim.object), on: node, at: now) }
            stats.preemptions += 1
            return .evict(node: node, victims: victims)
        case .impossible(let message):
            return .impossible(message)
        }
    }

    /// Off the scheduling thread: `status.nominatedNodeName` on the preemptor; on each victim a
    /// DisruptionTarget condition (so a Job's podFailurePolicy can ignore the failure), a Preempted
    /// event, and a graceful delete with its uid as precondition.
    func evict(_ victims: [PodInfo], for pod: PodInfo, on node: String) {
        let client = self.client
        let recorder = self.events
        let schedulerName = self.schedulerName
        let now = Timestamp.format(clock.now)
        Task {
            _ = try? await client.patch(ResourceCatalog.pods, namespace: pod.namespace, name: pod.name, type: .merge,
                                        body: ["status": ["nominatedNodeName": .string(node)]], subresource: "status")
            for victim in victims {
                let condition: JSONValue = ["type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler",
                                            "message": .string("\(schedulerName): preempting to accommodate a higher priority pod"),
                                            "lastTransitionTime": .string(now)]
                _ = try? await client.patch(ResourceCatalog.pods, namespace: victim.namespace, name: victim.name, type: .strategicMerge,
                                            body: ["status": ["conditions": [condition]]], subresource: "status")
                recorder.record(victim.object, type: .normal, reason: "Preempted", message: "Preempted by pod \(pod.uid) on node \(node)")
                _ = try? await client.delete(ResourceCatalog.pods, namespace: victim.namespace, name: victim.name,
                                             options: DeleteOptions(preconditionUID: victim.uid))
            }
        }
    }
}
