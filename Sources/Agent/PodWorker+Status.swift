import Foundation
import Model

extension PodWorker {
    /// `pod.status` as the kubelet writes it. Depends only on the worker's state (timestamps are
    /// those of transitions) and on the conditions others wrote, so an unchanged pod renders the
    /// same status and is not rewritten.
    func status(now: Date) -> JSONValue {
        let phase = self.phase
        let terminal = phase == "Succeeded" || phase == "Failed"
        // Sidecars count toward readiness as upstream: they are listed before the containers.
        let unready = (initContainers.filter(\.isSidecar) + containers).filter { !$0.ready }.map(\.name)
        let notInitialized = initContainers.filter { !$0.initStepDone }.map(\.name)
        var conditions: [JSONValue] = [condition("PodScheduled", true, now: now)]
        conditions.append(condition("Initialized", initialized, now: now,
                                    reason: "ContainersNotInitialized",
                                    message: "containers with incomplete status: [\(notInitialized.joined(separator: " "))]"))
        let ready = unready.isEmpty && !terminal
        let notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady"
        let notReadyMessage = terminal ? nil : "containers with unready status: [\(unready.joined(separator: " "))]"
        conditions.append(condition("ContainersReady", ready, now: now, reason: notReadyReason, message: notReadyMessage))
        conditions.append(condition("Ready", ready, now: now, reason: notReadyReason, message: notReadyMessage))
        // Conditions the agent does not own (DisruptionTarget from a preemption or an eviction,
        // readiness gates) are kept, as the kubelet's status manager keeps them.
        conditions += (pod.value(at: ["status", "conditions"])?.array ?? []).filter { existing in
            guard let type = existing["type"]?.string else { return false }
            return !Self.ownConditions.contains(type)
        }

        var status: JSONValue = ["phase": .string(phase), "conditions": .array(conditions)]
        if let failure {
            if let reason = failure.reason { status["reason"] = .string(reason) }
            if let message = failure.message { status["message"] = .string(message) }
        }
        status["hostIP"] = .string(context.nodeIP)
        status["hostIPs"] = [["ip": .string(context.nodeIP)]]
        status["podIP"] = .string(context.nodeIP)
        status["podIPs"] = [["ip": .string(context.nodeIP)]]
        if let startTime { status["startTime"] = .string(Timestamp.format(startTime)) }
        if !initContainers.isEmpty { status["initContainerStatuses"] = .array(initContainers.map(\.statusJSON)) }
        status["containerStatuses"] = .array(containers.map(\.statusJSON))
        status["qosClass"] = .string(qosClass)
        return status
    }

    /// The condition types the agent writes itself.
    static let ownConditions: Set<String> = ["PodScheduled", "Initialized", "ContainersReady", "Ready", "PodReadyToStartContainers"]

    /// One condition; its lastTransitionTime is when its status last changed.
    private func condition(_ type: String, _ value: Bool, now: Date, reason: String? = nil, message: String? = nil) -> JSONValue {
        if conditionTimes[type]?.status != value { conditionTimes[type] = (value, now) }
        var condition: JSONValue = ["type": .string(type), "status": value ? "True" : "False", "lastProbeTime": .null,
                                    "lastTransitionTime": .string(Timestamp.format(conditionTimes[type]?.since ?? now))]
        if !value, let reason { condition["reason"] = .string(reason) }
        if !value, let message { condition["message"] = .string(message) }
        return condition
    }

    /// Guaranteed when every container's limits equal its requests for cpu and memory, BestEffort
    /// without any, Burstable otherwise.
    private var qosClass: String {
        let all = (initContainers + containers).map(\.spec)
        let resources = all.map { ($0.value(at: ["resources", "requests"])?.object, $0.value(at: ["resources", "limits"])?.object) }
        if resources.allSatisfy({ ($0.0?.isEmpty ?? true) && ($0.1?.isEmpty ?? true) }) { return "BestEffort" }
        let guaranteed = resources.allSatisfy { requests, limits in
            ["cpu", "memory"].allSatisfy { key in
                guard let limit = limits?[key] else { return false }
                return requests?[key] == nil || requests?[key] == limit
            }
        }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}
