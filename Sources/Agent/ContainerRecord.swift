import Foundation
import Model

/// How a container instance ended, as reported in `state.terminated` / `lastState.terminated`.
struct Termination: Equatable {
    var exitCode: Int32
    var signal: Int32?
    /// `Completed`, `Error`, `OOMKilled`, `StartError`, ...
    var reason: String
    var message: String?
    var startedAt: Date?
    var finishedAt: Date
    var containerID: String?

    init(exitCode: Int32, signal: Int32? = nil, reason: String, message: String? = nil, startedAt: Date?,
         finishedAt: Date, containerID: String? = nil) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.containerID = containerID
    }

    /// The kubelet's reason for a process exit.
    init(exit: ProcessExit, startedAt: Date?, containerID: String?, message: String?) {
        let reason = exit.oomKilled ? "OOMKilled" : (exit.exitCode == 0 ? "Completed" : "Error")
        if exit.oomKilled { AgentMetrics.oomKills.inc() }
        self.init(exitCode: exit.exitCode, signal: exit.signal, reason: reason, message: message, startedAt: startedAt,
                  finishedAt: exit.finishedAt, containerID: containerID)
    }

    var json: JSONValue {
        var object: JSONValue = ["exitCode": .int(Int64(exitCode))]
        if let signal { object["signal"] = .int(Int64(signal)) }
        object["reason"] = .string(reason)
        if let message { object["message"] = .string(message) }
        object["startedAt"] = startedAt.map { .string(Timestamp.format($0)) } ?? .null
        object["finishedAt"] = .string(Timestamp.format(finishedAt))
        if let containerID { object["containerID"] = .string(containerID) }
        return object
    }

    /// Reads a `terminated` object written by an earlier run of the agent.
    init?(json: JSONValue?) {
        guard let json, let code = json["exitCode"]?.int else { return nil }
        self.init(exitCode: Int32(clamping: code), signal: json["signal"]?.int.map { Int32(clamping: $0) },
                  reason: json["reason"]?.string ?? "Error", message: json["message"]?.string,
                  startedAt: json["startedAt"]?.string.flatMap(Timestamp.parse),
                  finishedAt: json["finishedAt"]?.string.flatMap(Timestamp.parse) ?? Date(timeIntervalSince1970: 0),
                  containerID: json["containerID"]?.string)
    }
}

/// A container's current state.
enum ContainerState: Equatable {
    case waiting(reason: String, message: String?)
    case running(startedAt: Date)
    case terminated(Termination)

    var json: JSONValue {
        switch self {
        case .waiting(let reason, let message):
            var waiting: JSONValue = ["reason": .string(reason)]
            if let message { waiting["message"] = .string(message) }
            return ["waiting": waiting]
        case .running(let startedAt):
            return ["running": ["startedAt": .string(Timestamp.format(startedAt))]]
        case .terminated(let termination):
            return ["terminated": termination.json]
        }
    }
}

/// Everything the agent tracks about one container of a pod across its restarts.
struct ContainerRecord {
    let name: String
    let isInit: Bool
    /// The container object from the pod spec.
    let spec: JSONValue
    var state: ContainerState = .waiting(reason: "ContainerCreating", message: nil)
    var lastTerminated: Termination?
    var restartCount = 0
    /// The runtime id of the running instance.
    var processID: String?
    /// The spec the running instance was started with (for exec probes).
    var process: ProcessSpec?
    var ready = false
    var started = false
    /// Not before this time is the next instance started (crash-loop back-off).
    var nextStart: Date?
    var backOff = RestartBackOff()
    var probes: [ProbeKind: ProbeState] = [:]
    /// Why the agent is stopping the running instance (reported as the termination message).
    var stopReason: String?

    init(name: String, isInit: Bool, spec: JSONValue) {
        self.name = name
        self.isInit = isInit
        self.spec = spec
    }

    /// An init container with `restartPolicy: Always` (KEP-753): it keeps running beside the
    /// containers and is restarted whenever it ends, whatever the pod's restartPolicy.
    var isSidecar: Bool { isInit && spec["restartPolicy"]?.string == "Always" }

    /// Done as far as the init sequence goes: a regular init container once it exited 0, a sidecar
    /// once it started (running, and its startup probe, if any, succeeded).
    var initStepDone: Bool { isSidecar ? isRunning && started : succeeded }

    var isRunning: Bool { if case .running = state { return true }; return false }

    /// An instance has run (or runs): the container is past its first start.
    var hasRun: Bool { isRunning || termination != nil || lastTerminated != nil }

    var termination: Termination? { if case .terminated(let t) = state { return t }; return nil }

    /// Finished with exit code 0.
    var succeeded: Bool { termination?.exitCode == 0 }

    var containerID: String? { processID.map { "drover://\($0)" } }

    /// The `containerStatuses[]` entry; every field the Python client requires is present.
    var statusJSON: JSONValue {
        var status: JSONValue = ["name": .string(name), "image": .string(spec["image"]?.string ?? ""), "imageID": "",
                                 "ready": .bool(ready), "started": .bool(started), "restartCount": .int(Int64(restartCount)),
                                 "state": state.json,
                                 "lastState": lastTerminated.map { ["terminated": $0.json] } ?? .emptyObject]
        if let containerID { status["containerID"] = .string(containerID) }
        return status
    }
}
