import Foundation
import Model

/// Builds the agent's Node: labels, taints, capacity and allocatable, addresses, nodeInfo with
/// every field clients require, conditions and the log endpoint.
struct NodeObject {
    /// The annotation carrying the URL of the agent's log endpoint.
    static let logEndpointAnnotation = "drover.dev/log-endpoint"
    static let kubeletVersion = "v1.32.0-drover"

    var configuration: AgentConfiguration
    var facts: MachineFacts
    var capabilities: RuntimeCapabilities
    /// The port the log endpoint actually listens on.
    var logPort: UInt16

    /// Where the API server reaches the log endpoint: the listen address when it is a specific one
    /// (e.g. 127.0.0.1 for a local agent), else the node IP.
    var logEndpointURL: String {
        let host = ["", "0.0.0.0", "::"].contains(configuration.logListenHost) ? configuration.nodeIP : configuration.logListenHost
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(logPort)"
    }

    /// metadata and spec (what create and update send).
    func object() -> JSONValue {
        var labels = ["kubernetes.io/hostname": configuration.nodeName, "kubernetes.io/os": "linux",
                      "kubernetes.io/arch": facts.architecture, "beta.kubernetes.io/os": "linux",
                      "beta.kubernetes.io/arch": facts.architecture]
        labels.merge(configuration.labels) { _, given in given }
        var spec = JSONValue.emptyObject
        if !configuration.taints.isEmpty { spec["taints"] = .array(configuration.taints.map(\.json)) }
        return ["apiVersion": "v1", "kind": "Node",
                "metadata": ["name": .string(configuration.nodeName), "labels": .stringMap(labels),
                             "annotations": [Self.logEndpointAnnotation: .string(logEndpointURL)]],
                "spec": spec]
    }

    /// `capacity`: what the machine has; `allocatable`: that minus `--reserved`.
    func resources() -> (capacity: [String: Quantity], allocatable: [String: Quantity]) {
        var capacity: [String: Quantity] = ["cpu": Quantity(milliValue: facts.cpuMillis),
                                            "memory": Quantity(facts.memoryBytes, format: .binarySI),
                                            "pods": Quantity(110)]
        capacity.merge(configuration.extendedResources) { _, given in given }
        var allocatable = capacity
        for (name, reserved) in configuration.reserved {
            guard let total = allocatable[name] else { continue }
            allocatable[name] = max(.zero, total - reserved)
        }
        return (capacity, allocatable)
    }

    /// The status as of `now`. A condition keeps the lastTransitionTime `previous` (the conditions
    /// the API holds) gives it while its status is unchanged; otherwise it changed now.
    func status(now: Date, previous: JSONValue? = nil) -> JSONValue {
        let (capacity, allocatable) = resources()
        func quantities(_ map: [String: Quantity]) -> JSONValue {
            .object(JSONObject(map.keys.sorted().map { ($0, .string(map[$0]!.description)) }))
        }
        let heartbeat = JSONValue.string(Timestamp.format(now))
        let before = previous?.array ?? []
        func condition(_ type: String, _ status: Bool, _ reason: String, _ message: String) -> JSONValue {
            let statusText: JSONValue = status ? "True" : "False"
            let kept = before.first { $0["type"]?.string == type && $0["status"] == statusText }?["lastTransitionTime"]
            return ["type": .string(type), "status": statusText, "lastHeartbeatTime": heartbeat,
                    "lastTransitionTime": kept ?? heartbeat, "reason": .string(reason), "message": .string(message)]
        }
        var readyMessage = "drover agent is posting ready status"
        var conditions = [
            condition("MemoryPressure", false, "KubeletHasSufficientMemory", "drover agent has sufficient memory available"),
            condition("DiskPressure", false, "KubeletHasNoDiskPressure", "drover agent has no disk pressure"),
            condition("PIDPressure", false, "KubeletHasSufficientPID", "drover agent has sufficient PID available"),
        ]
        if let problem = cgroupProblem {
            readyMessage += "; \(problem)"
            conditions.append(condition("CgroupsUnavailable", true, "CgroupsNotWritable", problem))
        }
        conditions.insert(condition("Ready", true, "KubeletReady", readyMessage), at: 0)
        return [
            "capacity": quantities(capacity), "allocatable": quantities(allocatable),
            "conditions": .array(conditions),
            "addresses": [["type": "InternalIP", "address": .string(configuration.nodeIP)],
                          ["type": "Hostname", "address": .string(facts.hostname)]],
            "daemonEndpoints": ["kubeletEndpoint": ["Port": .int(Int64(logPort))]],
            "nodeInfo": [
                "architecture": .string(facts.architecture), "bootID": .string(facts.bootID),
                "containerRuntimeVersion": "drover://0.1.0", "kernelVersion": .string(facts.kernelVersion),
                "kubeProxyVersion": "", "kubeletVersion": .string(Self.kubeletVersion),
                "machineID": .string(facts.machineID), "operatingSystem": "linux", "osImage": .string(facts.osImage),
                "systemUUID": .string(facts.systemUUID),
            ],
        ]
    }

    /// Whether `stored` (the status the API holds) says anything other than `desired` does, apart
    /// from heartbeat times: then the agent writes its status without waiting for the next report.
    static func statusDiffers(_ stored: JSONValue?, _ desired: JSONValue) -> Bool {
        func withoutHeartbeats(_ status: JSONValue?) -> JSONValue {
            var copy = status ?? .emptyObject
            if case .array(var conditions)? = copy["conditions"] {
                for i in conditions.indices where conditions[i].object != nil { conditions[i]["lastHeartbeatTime"] = nil }
                copy["conditions"] = .array(conditions)
            }
            return copy
        }
        return !withoutHeartbeats(stored).isEquivalent(to: withoutHeartbeats(desired))
    }

    /// Why limits cannot be enforced with cgroups here, if they cannot.
    var cgroupProblem: String? {
        guard capabilities.cgroupVersion == nil else { return nil }
        let why = capabilities.cgroupProblem ?? "cgroups are not writable"
        return "resource limits fall back to rlimits (memory and CPU limits are not enforced by cgroups): \(why)"
    }
}
