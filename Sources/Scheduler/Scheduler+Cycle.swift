import Client
import Foundation
import Model
import Scheduling

extension Scheduler {
    /// The scheduling thread: waits for a pending pod and a free bind slot, decides, assumes, and
    /// queues the binding for the binder (Scheduler+Binding), so decisions never wait for the API.
    /// A pod that fits nowhere may preempt (Scheduler+Preemption) before it is parked.
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
            if key.hasPrefix(GangBook.queuePrefix) {
                let report = scheduleGang(String(key.dropFirst(GangBook.queuePrefix.count)), entry: pod)
                condition.unlock()
                if let report { deliver(report) }
                continue
            }
            // A preemptor's own hold must not stand in its way.
            let nominated = cache.takeNomination(key)
            let started = ProcessInfo.processInfo.systemUptime
            let nodes = cache.nodes(forPriority: pod.priority)
            let decision = decide(pod, nodes: nodes)
            let seconds = ProcessInfo.processInfo.systemUptime - started
            switch decision {
            case .bind(let node):
                SchedulerMetrics.attempt("scheduled", profile: schedulerName, seconds: seconds)
                cache.assume(key, requests: pod.requests, node: node)
                stats.bindsInFlight += 1
                pendingBindings.append(PendingBinding(pod: pod, key: key, node: node))
                sendBindingsIfPossible()
                condition.unlock()
            case .unschedulable:
                SchedulerMetrics.attempt("unschedulable", profile: schedulerName, seconds: seconds)
                let preemption = preemptIfPossible(pod, key: key, nominated: nominated, nodes: nodes)
                queue.backOff(pod, key: key, now: clock.now)
                stats.unschedulable += 1
                condition.unlock()
                // Why it fits nowhere, worked out (outside the lock, on the nodes it was decided on)
                // only when it is reported: a preemptor that evicts or waits is not.
                let message = { [profile] in profile.unschedulableMessage(pod, nodes: nodes).description }
                switch preemption {
                case .evict(let node, let victims): evict(victims, for: pod, on: node)
                case .waiting: break
                case .impossible(let why): reporter.report(pod, message: message() + " " + why)
                case .notAllowed: reporter.report(pod, message: message())
                }
            }
        }
    }

    /// Runs the profile over the cached nodes (as `pod`'s priority sees them: lower nominations'
    /// holds released); the profile samples (percentageOfNodesToScore) and,
    /// if it rotates, moves its starting node across pods, as upstream. Called with the lock held.
    private func decide(_ pod: PodInfo, nodes: [NodeInfo]) -> ScheduleDecision {
        profile.schedule(pod, nodes: nodes, nodeIndex: cache.nodeIndex, tieBreak: options.tieBreak,
                         nextStartIndex: &nextStartNode, explain: false)
    }
}
