import Foundation

extension TableRenderer {
    static let podColumns: [TableColumn] = [
        .name,
        TableColumn("Ready", "The aggregate readiness state of this pod for accepting traffic."),
        TableColumn("Status", "The aggregate status of the containers in this pod."),
        TableColumn("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        .age,
        TableColumn("IP", priority: 1, "IP address allocated to the pod."),
        TableColumn("Node", priority: 1, "The node the pod is bound to."),
        TableColumn("Nominated Node", priority: 1, "The node the scheduler nominated for this pod while it preempts others."),
        TableColumn("Readiness Gates", priority: 1, "Readiness gates that are true, of those the pod declares."),
    ]

    func podCells(_ pod: PrintedObject) -> [JSONValue] {
        let summary = PodSummary(pod)
        var restarts = "\(summary.restarts)"
        if summary.restarts != 0, let last = summary.lastRestart {
            restarts += " (\(since(last)) ago)"
        }
        let ip = pod.array("status", "podIPs").first?["ip"]?.string ?? pod.string("status", "podIP")
        let gates = pod.array("spec", "readinessGates").compactMap { $0["conditionType"]?.string }
        let trueGates = gates.filter { pod.conditionStatus($0, in: "status", "conditions") == "True" }
        return [
            .string(pod.name), .string("\(summary.ready)/\(summary.total)"), .string(summary.reason),
            .string(restarts), age(pod),
            .string(ip.orNone), .string(pod.string("spec", "nodeName").orNone),
            .string(pod.string("status", "nominatedNodeName").orNone),
            .string(gates.isEmpty ? "<none>" : "\(trueGates.count)/\(gates.count)"),
        ]
    }

    /// Upstream marks finished pods' rows so clients can tell them apart.
    static func podRowConditions(_ pod: PrintedObject) -> JSONValue? {
        switch pod.string("status", "phase") {
        case "Succeeded":
            return [["type": "Completed", "status": "True", "reason": "Succeeded", "message": "The pod has completed successfully."]]
        case "Failed":
            return [["type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."]]
        default:
            return nil
        }
    }
}

/// What `kubectl get pods` shows for a pod: upstream `printPod`'s reading of init containers,
/// container states, restarts and deletion.
struct PodSummary {
    var ready = 0
    var total = 0
    var reason = ""
    var restarts: Int64 = 0
    var lastRestart: Date?

    init(_ pod: PrintedObject) {
        let phase = pod.string("status", "phase")
        reason = pod.has("status", "reason") ? pod.string("status", "reason") : phase
        let conditions = pod.array("status", "conditions")
        if conditions.contains(where: { $0["type"]?.string == "PodScheduled" && $0["reason"]?.string == "SchedulingGated" }) {
            reason = "SchedulingGated"
        }
        let initContainers = pod.array("spec", "initContainers")
        // Sidecars (init containers that restart always) count as containers.
        let sidecars = Set(initContainers.filter { $0["restartPolicy"]?.string == "Always" }.compactMap { $0["name"]?.string })
        total = pod.array("spec", "containers").count + sidecars.count

        var sidecarRestarts: Int64 = 0
        var sidecarLastRestart: Date?
        var initializing = false
        for (i, status) in pod.array("status", "initContainerStatuses").enumerated() {
            let isSidecar = sidecars.contains(status["name"]?.string ?? "")
            restarts += status["restartCount"]?.int ?? 0
            lastRestart = Self.later(lastRestart, Self.lastTermination(status))
            if isSidecar {
                sidecarRestarts += status["restartCount"]?.int ?? 0
                sidecarLastRestart = Self.later(sidecarLastRestart, Self.lastTermination(status))
            }
            let terminated = status.value(at: ["state", "terminated"])
            let waitingReason = status.value(at: ["state", "waiting", "reason"])?.string ?? ""
            if let terminated, (terminated["exitCode"]?.int ?? 0) == 0 { continue }
            if isSidecar, status["started"]?.bool == true {
                if status["ready"]?.bool == true { ready += 1 }
                continue
            }
            if let terminated {
                reason = "Init:" + Self.terminationText(terminated)
            } else if !waitingReason.isEmpty, waitingReason != "PodInitializing" {
                reason = "Init:" + waitingReason
            } else {
                reason = "Init:\(i)/\(initContainers.count)"
            }
            initializing = true
            break
        }

        let initialized = conditions.contains { $0["type"]?.string == "Initialized" && $0["status"]?.string == "True" }
        if !initializing || initialized {
            restarts = sidecarRestarts
            lastRestart = sidecarLastRestart
            var hasRunning = false
            for status in pod.array("status", "containerStatuses").reversed() {
                restarts += status["restartCount"]?.int ?? 0
                lastRestart = Self.later(lastRestart, Self.lastTermination(status))
                let waitingReason = status.value(at: ["state", "waiting", "reason"])?.string ?? ""
                if !waitingReason.isEmpty {
                    reason = waitingReason
                } else if let terminated = status.value(at: ["state", "terminated"]) {
                    reason = Self.terminationText(terminated)
                } else if status["ready"]?.bool == true, status.value(at: ["state", "running"]) != nil {
                    hasRunning = true
                    ready += 1
                }
            }
            if reason == "Completed", hasRunning {
                let podReady = conditions.contains { $0["type"]?.string == "Ready" && $0["status"]?.string == "True" }
                reason = podReady ? "Running" : "NotReady"
            }
        }

        if pod.has("metadata", "deletionTimestamp") {
            if pod.string("status", "reason") == "NodeLost" {
                reason = "Unknown"
            } else if phase != "Succeeded", phase != "Failed" {
                reason = "Terminating"
            }
        }
        // kubectl users expect `Completed` for a finished pod even when no container reported a reason.
        if phase == "Succeeded", reason == "Succeeded" { reason = "Completed" }
    }

    /// A terminated state's reason, or `Signal:N` / `ExitCode:N` without one.
    private static func terminationText(_ terminated: JSONValue) -> String {
        if let reason = terminated["reason"]?.string, !reason.isEmpty { return reason }
        if let signal = terminated["signal"]?.int, signal != 0 { return "Signal:\(signal)" }
        return "ExitCode:\(terminated["exitCode"]?.int ?? 0)"
    }

    private static func lastTermination(_ status: JSONValue) -> Date? {
        status.value(at: ["lastState", "terminated", "finishedAt"])?.string.flatMap(RFC3339.parse)
    }

    private static func later(_ a: Date?, _ b: Date?) -> Date? {
        guard let a else { return b }
        guard let b else { return a }
        return max(a, b)
    }
}
