import Controllers
import Foundation
import Model

/// Pods, metrics and autoscalers for the HorizontalPodAutoscaler tests. Times are seconds after
/// `AutoscalingFixture.now`'s reference (negative: in the past).
enum AutoscalingFixture {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func at(_ seconds: Double) -> Date { now.addingTimeInterval(seconds) }

    /// A pod of `app=web` requesting `cpu` millicores: Running and Ready since `readySince`,
    /// started at `startedAt` (long ago by default, so the cpu initialization period is over).
    static func pod(_ name: String, cpu: Int64 = 100, memory: String? = nil, phase: String = "Running", ready: String? = "True",
                    readySince: Double = -3600, startedAt: Double = -3600, deleting: Bool = false) -> PodView {
        var requests: JSONValue = ["cpu": .string("\(cpu)m")]
        if let memory { requests["memory"] = .string(memory) }
        var status: JSONValue = ["phase": .string(phase), "startTime": .string(Timestamp.format(at(startedAt)))]
        if let ready {
            status["conditions"] = [["type": "Ready", "status": .string(ready), "lastTransitionTime": .string(Timestamp.format(at(readySince)))]]
        }
        var metadata: JSONValue = ["name": .string(name), "namespace": "default", "labels": ["app": "web"]]
        if deleting { metadata["deletionTimestamp"] = .string(Timestamp.format(at(-1))) }
        return PodView(["metadata": metadata, "spec": ["containers": [["name": "main", "resources": ["requests": requests]]]],
                        "status": status])
    }

    /// Per-pod metrics: name → milli-units, sampled 5 s ago over a 10 s window.
    static func metrics(_ values: [String: Int64]) -> [String: PodMetric] {
        values.mapValues { PodMetric(value: $0, timestamp: at(-5), window: 10) }
    }

    /// A PodMetricsList with each pod's cpu usage in millicores (as nanocores, as the server sends).
    static func podMetricsList(_ cpu: [String: Int64], memory: [String: String] = [:]) -> JSONValue {
        let items: [JSONValue] = cpu.keys.sorted().map { name in
            var usage: JSONValue = ["cpu": .string("\(cpu[name]! * 1_000_000)n")]
            if let m = memory[name] { usage["memory"] = .string(m) }
            return ["metadata": ["name": .string(name), "namespace": "default"], "timestamp": .string(Timestamp.format(at(-5))),
                    "window": "10s", "containers": [["name": "main", "usage": usage]]]
        }
        return ["kind": "PodMetricsList", "items": .array(items)]
    }

    /// An HPA on Deployment web, cpu at `target`% unless `metrics` are given.
    static func hpa(min: Int = 1, max: Int = 10, target: Int64 = 50, metrics: [JSONValue]? = nil, behavior: JSONValue? = nil,
                    status: JSONValue? = nil) -> HorizontalPodAutoscalerView {
        var spec: JSONValue = ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"],
                               "minReplicas": .int(Int64(min)), "maxReplicas": .int(Int64(max)),
                               "metrics": .array(metrics ?? [HorizontalPodAutoscalerConversion.cpuMetric(utilization: target)])]
        if let behavior { spec["behavior"] = behavior }
        var object: JSONValue = ["apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                                 "metadata": ["name": "web", "namespace": "default", "uid": "h-1"], "spec": spec]
        if let status { object["status"] = status }
        return HorizontalPodAutoscalerView(object)
    }
}
