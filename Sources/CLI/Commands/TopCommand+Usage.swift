import Client
import Foundation
import Model

/// Measured usage from metrics.k8s.io (what `kubectl top` shows), keyed by node name or
/// "namespace/pod"; pods sum their containers.
struct MeasuredUsage: Sendable, Equatable {
    var nanocores: Int64
    var memoryBytes: Int64

    /// The usage object of a NodeMetrics or a PodMetrics container (`cpu`, `memory` quantities).
    init(usage: JSONValue?) {
        let cpu = (try? Quantity(parsing: usage?["cpu"]?.string ?? "0")) ?? .zero
        let memory = (try? Quantity(parsing: usage?["memory"]?.string ?? "0")) ?? .zero
        nanocores = Int64(clamping: cpu.nanoValue)
        memoryBytes = memory.value
    }

    init(nanocores: Int64, memoryBytes: Int64) {
        self.nanocores = nanocores
        self.memoryBytes = memoryBytes
    }

    /// NodeMetricsList items by node name.
    static func nodes(_ list: JSONValue) -> [String: MeasuredUsage] {
        var usage: [String: MeasuredUsage] = [:]
        for item in list["items"]?.array ?? [] { usage[item.objectName] = MeasuredUsage(usage: item["usage"]) }
        return usage
    }

    /// PodMetricsList items by "namespace/name", containers summed.
    static func pods(_ list: JSONValue) -> [String: MeasuredUsage] {
        var usage: [String: MeasuredUsage] = [:]
        for item in list["items"]?.array ?? [] {
            let containers = (item["containers"]?.array ?? []).map { MeasuredUsage(usage: $0["usage"]) }
            usage[item.objectNamespace + "/" + item.objectName] = MeasuredUsage(
                nanocores: containers.reduce(0) { $0 + $1.nanocores }, memoryBytes: containers.reduce(0) { $0 + $1.memoryBytes })
        }
        return usage
    }

    /// CPU as kubectl top prints it: whole millicores ("203m").
    var cpuText: String { "\(nanocores / 1_000_000)m" }

    /// The list at a metrics.k8s.io path, or nil when the server has no metrics (none yet, or
    /// an older server): `top` then shows "-" for usage.
    static func fetch(_ client: any APIClient, path: String, selector: String?) async -> JSONValue? {
        let query = selector.map { [("labelSelector", $0)] } ?? []
        guard let response = try? await client.raw(RawRequest(path: path, query: query, headers: ["Accept": "application/json"])).checked()
        else { return nil }
        return try? response.json()
    }
}
