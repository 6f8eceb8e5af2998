import Foundation

/// Since when, and why, a pod's processes are being stopped.
struct PodStop: Equatable {
    var reason: String
    var since: Date
}

extension PodWorker {
    /// Stops the pod's processes in upstream's order (`TerminationOrder`): containers and regular
    /// init containers at once with the grace period, each sidecar when its turn comes, with what
    /// is left of it. Called on every sync while the pod stops; each process is stopped once.
    func stopInOrder(reason: String, now: Date) {
        if podStop == nil { podStop = PodStop(reason: reason, since: now) }
        let since = podStop?.since ?? now
        let grace = gracePeriod
        for index in containers.indices { stop(&containers[index], reason: reason, grace: grace) }
        for index in initContainers.indices where !initContainers[index].isSidecar {
            stop(&initContainers[index], reason: reason, grace: grace)
        }
        let sidecars = initContainers.indices.filter { initContainers[$0].isSidecar }
        let mainsRunning = containers.contains(where: \.isRunning)
            || initContainers.contains { !$0.isSidecar && $0.isRunning }
        let elapsed = max(0, now.timeIntervalSince(since))
        let due = TerminationOrder.sidecarsDue(sidecarsRunning: sidecars.map { initContainers[$0].isRunning },
                                               mainsRunning: mainsRunning, elapsed: elapsed, grace: grace)
        let sidecarGrace = TerminationOrder.sidecarGrace(podGrace: grace, elapsed: elapsed)
        for position in due.reversed() {
            stop(&initContainers[sidecars[position]], reason: reason, grace: sidecarGrace)
        }
    }

    /// SIGTERM (then SIGKILL after the grace period) to every running process at once, once each:
    /// for a pod gone from the API, whose worker is not synced again to keep an order.
    func stopAll(reason: String, now: Date) {
        if podStop == nil { podStop = PodStop(reason: reason, since: now) }
        let grace = gracePeriod
        for index in containers.indices { stop(&containers[index], reason: reason, grace: grace) }
        for index in initContainers.indices.reversed() { stop(&initContainers[index], reason: reason, grace: grace) }
    }

    /// SIGTERM to one running instance not yet being stopped.
    private func stop(_ record: inout ContainerRecord, reason: String, grace: TimeInterval) {
        guard record.isRunning, record.stopReason == nil, let id = record.processID else { return }
        record.stopReason = reason
        events.append(AgentEvent(type: "Normal", reason: "Killing", message: "Stopping container \(record.name): \(reason)"))
        context.runtime.stop(id: id, grace: grace)
    }
}
