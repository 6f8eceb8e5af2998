import Foundation
import Model

/// Samples every running container's cgroup and the node every interval, keeping the last two
/// samples of each so CPU is a rate; read by the agent endpoint's `GET /stats/summary`.
final class UsageSampler: @unchecked Sendable {
    private let index: LogIndex
    private let nodeName: String
    /// A running container's usage by its process id (nil without cgroups or once it is gone).
    private let usage: @Sendable (String) -> CgroupUsage?
    private let node: @Sendable (Date) -> UsageSample?
    private let lock = NSLock()
    private var nodeWindow: UsageWindow?
    /// Keyed by pod uid, container name and process id, so a restarted container starts over.
    private var windows: [String: UsageWindow] = [:]

    init(index: LogIndex, nodeName: String, usage: @escaping @Sendable (String) -> CgroupUsage?,
         node: @escaping @Sendable (Date) -> UsageSample? = NodeUsage.read(now:)) {
        self.index = index
        self.nodeName = nodeName
        self.usage = usage
        self.node = node
    }

    private static func key(_ uid: String, _ container: String, _ process: String) -> String { uid + "/" + container + "/" + process }

    /// Takes one sample of the node and of every running container; containers no longer
    /// running are forgotten.
    func sample(now: Date) {
        var fresh: [String: UsageSample] = [:]
        for (_, _, pod) in index.all() {
            for (name, state) in pod.containers {
                guard let process = state.processID, let used = usage(process) else { continue }
                fresh[Self.key(pod.uid, name, process)] = UsageSample(time: now, cpuNanoseconds: used.cpuNanoseconds,
                                                                      workingSetBytes: used.workingSetBytes)
            }
        }
        let machine = node(now)
        lock.withLock {
            windows = fresh.reduce(into: [:]) { next, entry in
                next[entry.key] = windows[entry.key]?.adding(entry.value) ?? UsageWindow(older: nil, newer: entry.value)
            }
            if let machine { nodeWindow = nodeWindow?.adding(machine) ?? UsageWindow(older: nil, newer: machine) }
        }
    }

    /// The kubelet's Summary API shape (stats/v1alpha1), the fields metrics-server reads: per
    /// node and container `cpu.time`, `cpu.usageNanoCores`, `memory.workingSetBytes`, plus
    /// Drover's `cpu.windowSeconds`. Entries without two samples yet are left out, as the
    /// kubelet leaves out what it cannot rate yet.
    func summary() -> JSONValue {
        let (machine, current) = lock.withLock { (nodeWindow, windows) }
        var node: JSONValue = ["nodeName": .string(nodeName)]
        if let machine, let stats = Self.stats(machine) { node["cpu"] = stats.cpu; node["memory"] = stats.memory }
        var pods: [JSONValue] = []
        for (namespace, name, pod) in index.all().sorted(by: { ($0.namespace, $0.name) < ($1.namespace, $1.name) }) {
            let containers: [JSONValue] = pod.containers.compactMap { container, state in
                guard let process = state.processID, let window = current[Self.key(pod.uid, container, process)],
                      let stats = Self.stats(window) else { return nil }
                return ["name": .string(container), "cpu": stats.cpu, "memory": stats.memory]
            }
            guard !containers.isEmpty else { continue }
            let labels = JSONObject(pod.labels.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })
            pods.append(["podRef": ["name": .string(name), "namespace": .string(namespace), "uid": .string(pod.uid)],
                         "labels": .object(labels), "containers": .array(containers)])
        }
        return ["node": node, "pods": .array(pods)]
    }

    private static func stats(_ window: UsageWindow) -> (cpu: JSONValue, memory: JSONValue)? {
        guard let rate = window.nanocores else { return nil }
        let time = JSONValue.string(Timestamp.format(window.newer.time))
        return (["time": time, "usageNanoCores": .int(rate), "windowSeconds": .double(window.seconds)],
                ["time": time, "workingSetBytes": .int(window.newer.workingSetBytes)])
    }
}
