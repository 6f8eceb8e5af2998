import Foundation
import Model

extension PodWorker {
    /// Picks up where an earlier run of the agent left the pod, from the status it wrote: restart
    /// counts, finished containers, start time, terminal phase. Containers it reported running are
    /// re-adopted from `adoptable` (runtime id → pid); one that cannot be is reported
    /// ContainerStatusUnknown and fails the pod with a clear reason. Returns the adopted ids.
    func restore(adoptable: [String: Int32], now: Date) -> Set<String> {
        let status = pod["status"] ?? .emptyObject
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
        func entry(_ key: String, _ name: String) -> JSONValue? {
            status[key]?.array?.first { $0["name"]?.string == name }
        }
        var adopted: Set<String> = []
        for index in initContainers.indices {
            restore(&initContainers[index], from: entry("initContainerStatuses", initContainers[index].name),
                    adoptable: adoptable, adopted: &adopted, now: now)
        }
        for index in containers.indices {
            restore(&containers[index], from: entry("containerStatuses", containers[index].name),
                    adoptable: adoptable, adopted: &adopted, now: now)
        }
        // Initialized stays true once reached, as the kubelet infers it from containers that have run.
        initialized = conditionTimes["Initialized"]?.status == true || containers.contains(where: \.hasRun)
        return adopted
    }

    /// Restores one container from its status entry, if any, and re-adopts its newest live process
    /// (possibly one started after the last status write).
    private func restore(_ record: inout ContainerRecord, from entry: JSONValue?, adoptable: [String: Int32],
                         adopted: inout Set<String>, now: Date) {
        record.restartCount = Int(entry?["restartCount"]?.int ?? 0)
        record.lastTerminated = Termination(json: entry?.value(at: ["lastState", "terminated"]))
        if let termination = Termination(json: entry?.value(at: ["state", "terminated"])) {
            record.state = .terminated(termination)
            return
        }
        let running = entry?.value(at: ["state", "running"])
        let startedAt = running?["startedAt"]?.string.flatMap(Timestamp.parse) ?? now
        let prefix = "\(uid)/\(record.name)/"
        let newest = adoptable.keys.filter { $0.hasPrefix(prefix) }
            .compactMap { Int($0.dropFirst(prefix.count)) }.filter { $0 >= record.restartCount }.max()
        let mailbox = context.mailbox
        if terminalPhase == nil, let restart = newest, let pid = adoptable[prefix + String(restart)],
           context.runtime.adopt(id: prefix + String(restart), pid: pid, onExit: { mailbox.post(id: prefix + String(restart), exit: $0) }) {
            let id = prefix + String(restart)
            adopted.insert(id)
            if restart > record.restartCount, record.lastTerminated == nil {
                // The restart happened after the last status write; its predecessor's end is unknown.
                record.lastTerminated = Termination(exitCode: 0, reason: "Unknown",
                                                    message: "the agent restarted before recording how this instance ended",
                                                    startedAt: nil, finishedAt: now)
            }
            record.restartCount = restart
            record.state = .running(startedAt: restart == Int(entry?["restartCount"]?.int ?? 0) ? startedAt : now)
            record.processID = id
            record.process = try? specBuilder.build(record.spec, restart: restart)
            setUpProbes(&record, startedAt: now)
            return
        }
        guard running != nil else { return }
        let id = prefix + String(record.restartCount)
        let message = "The agent restarted and could not re-adopt the process of container \(record.name) (\(id)): it is no longer running"
        record.state = .terminated(Termination(exitCode: 137, reason: "ContainerStatusUnknown", message: message,
                                               startedAt: startedAt, finishedAt: now, containerID: "drover://\(id)"))
        if terminalPhase == nil {
            failure = PodFailure(reason: "ProcessLost", message: message)
            events.append(AgentEvent(type: "Warning", reason: "ProcessLost", message: message))
        }
    }
}
