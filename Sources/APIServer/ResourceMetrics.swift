import Foundation
import Model

/// One node's last successful scrape: the agent's summary and the Node's labels at the time.
struct NodeScrape: Sendable, Equatable {
    var nodeName: String
    var nodeLabels: [String: String]
    /// The agent's `/stats/summary` document (kubelet Summary API shape).
    var summary: JSONValue
}

/// metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics built from agents' summaries, formatted as
/// metrics-server does (cpu in nanocores "Nn", memory in "NKi"). Pure: the handler and tests call it.
enum ResourceMetrics {
    static let groupVersion = "metrics.k8s.io/v1beta1"

    /// CPU quantity from nanocores: "0" or "<n>n" (metrics-server's scale -9 quantities).
    static func cpu(nanocores: Int64) -> String { nanocores <= 0 ? "0" : "\(nanocores)n" }

    /// Memory quantity from bytes in whole KiB: "0" or "<k>Ki".
    static func memory(bytes: Int64) -> String { bytes < 1024 ? (bytes <= 0 ? "0" : "\(bytes)") : "\(bytes / 1024)Ki" }

    /// A window as metav1.Duration prints it (Go's time.Duration String): "10s", "10.5s", "1m0s".
    static func duration(seconds: Double) -> String {
        let millis = Int64((seconds * 1000).rounded())
        let minutes = millis / 60_000
        let rest = millis % 60_000
        var text = String(rest / 1000)
        if rest % 1000 != 0 {
            var fraction = String(format: "%03lld", rest % 1000)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return (minutes > 0 ? "\(minutes)m" : "") + text + "s"
    }

    /// The usage object of a summary's `cpu` and `memory` stats; nil when either is missing.
    private static func usage(_ stats: JSONValue) -> (usage: JSONValue, time: String, window: Double)? {
        guard let rate = stats["cpu"]?["usageNanoCores"]?.int, let workingSet = stats["memory"]?["workingSetBytes"]?.int,
              let time = stats["cpu"]?["time"]?.string else { return nil }
        let window = stats["cpu"]?["windowSeconds"]?.double ?? 0
        return (["cpu": .string(cpu(nanocores: rate)), "memory": .string(memory(bytes: workingSet))], time, window)
    }

    private static func labelsObject(_ labels: [String: String]) -> JSONValue {
        .object(JSONObject(labels.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))
    }

    private static func labels(_ json: JSONValue?) -> [String: String] {
        json?.stringMap ?? [:]
    }

    /// The NodeMetrics of a scrape; nil before the agent has two samples of the node.
    static func nodeMetrics(_ scrape: NodeScrape, now: Date) -> JSONValue? {
        guard let node = scrape.summary["node"], let (usage, time, window) = usage(node) else { return nil }
        var metadata: JSONValue = ["name": .string(scrape.nodeName), "creationTimestamp": .string(Timestamp.format(now))]
        if !scrape.nodeLabels.isEmpty { metadata["labels"] = labelsObject(scrape.nodeLabels) }
        return ["kind": "NodeMetrics", "apiVersion": .string(groupVersion), "metadata": metadata,
                "timestamp": .string(time), "window": .string(duration(seconds: window)), "usage": usage]
    }

    /// The PodMetrics of every pod in a scrape with at least one rated container.
    static func podMetrics(_ scrape: NodeScrape, now: Date) -> [(namespace: String, name: String, labels: [String: String], object: JSONValue)] {
        (scrape.summary["pods"]?.array ?? []).compactMap { pod in
            guard let name = pod["podRef"]?["name"]?.string, let namespace = pod["podRef"]?["namespace"]?.string else { return nil }
            var time = "", window = 0.0
            let containers: [JSONValue] = (pod["containers"]?.array ?? []).compactMap { container in
                guard let containerName = container["name"]?.string, let rated = usage(container) else { return nil }
                (time, window) = (max(time, rated.time), max(window, rated.window))
                return ["name": .string(containerName), "usage": rated.usage]
            }
            guard !containers.isEmpty else { return nil }
            let podLabels = labels(pod["labels"])
            var metadata: JSONValue = ["name": .string(name), "namespace": .string(namespace),
                                       "creationTimestamp": .string(Timestamp.format(now))]
            if !podLabels.isEmpty { metadata["labels"] = labelsObject(podLabels) }
            let object: JSONValue = ["kind": "PodMetrics", "apiVersion": .string(groupVersion), "metadata": metadata,
                                     "timestamp": .string(time), "window": .string(duration(seconds: window)),
                                     "containers": .array(containers)]
            return (namespace, name, podLabels, object)
        }
    }

    /// A NodeMetricsList or PodMetricsList document.
    static func list(kind: String, _ items: [JSONValue]) -> JSONValue {
        ["kind": .string(kind), "apiVersion": .string(groupVersion), "metadata": .emptyObject, "items": .array(items)]
    }
}
