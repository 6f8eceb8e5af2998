import Foundation
import Model

extension PodWorker {
    /// Picks up where an earlier run of the agent left the pod, from the status it wrote: restart
    /// counts, finished containers, start time, terminal phase. Containers it reported running are
    /// re-adopted from `adoptable` (runtime id → pid); one that cannot be is reported
    /// ContainerStatusUnknown and fails the pod with a clear reason. Returns the adopted ids.
    func restore(adoptable: [String: Int32], now: Date) -> Set<String> {
        guard let status = pod["status"], status.object != nil else { return [] }
        if let startTime = status["startTime"]?.string.flatMap(Timestamp.parse) { self.startTime = startTime }
        for condition in status["conditions"]?.array ?? [] {
            guard let type = condition["type"]?.string,
                  let since = condition["lastTransitionTime"]?.string.flatMap(Timestamp.parse) else { continue }
            conditionTimes[type] = (condition["status"]?.string == "True", since)
        }
        if let phase = status["phase"]?.string, phase == "Succeeded" || phase == "Failed" {
            terminalPhase = phase
            if status["reason"] != nil || status["message"] != nil {
                failure = PodFailure(reason: status["reason"]?.string, message: status["message"]?.string)
            }
        }
        var adopted: Set<String> = []
        for (key, isInit) in [("initContainerStatuses", true), ("containerStatuses", false)] {
            for entry in status[key]?.array ?? [] {
                guard let name = entry["name"]?.string else { continue }
                if isInit, let index = initContainers.firstIndex(where: { $0.name == name }) {
                    restore(&initContainers[index], from: entry, adoptable: adoptable, adopted: &adopted, now: now)
                } else if !isInit, let index = containers.firstIndex(where: { $0.name == name }) {
                    restore(&containers[index], from: entry, adoptable: adoptable, adopted: &adopted, now: now)
                }
            }
        }
        return adopted
    }

    private func restore(_ record: inout ContainerRecord, from entry: JSONValue, adoptable: [String: Int32],
                         adopted: inout Set<String>, now: Date) {
        record.restartCount = Int(entry["restartCount"]?.int ?? 0)
        record.lastTerminated = Termination(json: entry.value(at: ["lastState", "terminated"]))
        if let termination = Termination(json: entry.value(at: ["state", "terminated"])) {
            record.state = .terminated(termination)
            return
        }
        guard let running = entry.value(at: ["state", "running"]) else { return }
        let startedAt = running["startedAt"]?.string.flatMap(Timestamp.parse) ?? now
        let id = "\(uid)/\(record.name)/\(record.restartCount)"
        let mailbox = context.mailbox
        if terminalPhase == nil, let pid = adoptable[id],
           context.runtime.adopt(id: id, pid: pid, onExit: { mailbox.post(id: id, exit: $0) }) {
            adopted.insert(id)
            record.state = .running(startedAt: startedAt)
            record.processID = id
            record.process = try? ProcessSpecBuilder(pod: pod, nodeName: context.nodeName, podIP: context.nodeIP,
                                                     paths: context.paths, pidsLimit: context.pidsLimit)
                .build(record.spec, restart: record.restartCount)
            setUpProbes(&record, startedAt: now)
            return
        }
        let message = "The agent restarted and could not re-adopt the process of container \(record.name) (\(id)): it is no longer running"
        record.state = .terminated(Termination(exitCode: 137, reason: "ContainerStatusUnknown", message: message,
                                               startedAt: startedAt, finishedAt: now, containerID: "drover://\(id)"))
        if terminalPhase == nil {
            failure = PodFailure(reason: "ProcessLost", message: message)
            events.append(AgentEvent(type: "Warning", reason: "ProcessLost", message: message))
        }
    }
}
