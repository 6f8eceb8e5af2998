/// autoscaling/v1 ↔ autoscaling/v2 HorizontalPodAutoscalers as upstream's
/// pkg/apis/autoscaling/v1/conversion.go converts them: v1's `targetCPUUtilizationPercentage` is
/// the first cpu Utilization metric; the metrics v1 cannot express, every current metric and the
/// conditions travel in annotations (v1's MetricSpec/MetricStatus shapes), and so does the behavior
/// (as its v2 JSON), so an object read and written back through v1 keeps everything. A v1 object
/// without a cpu target and without the metrics annotation converts to cpu at 80%.
public enum HorizontalPodAutoscalerConversion {
    /// v1's annotations keeping what only v2 can say: the metrics other than the cpu target, the
    /// current metrics, the conditions and the behavior (JSON texts).
    public static let metricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics"
    public static let currentMetricsAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics"
    public static let conditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions"
    public static let behaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior"
    static let roundTripAnnotations = [metricsAnnotation, currentMetricsAnnotation, conditionsAnnotation, behaviorAnnotation]

    /// A v2 Resource metric on cpu with a Utilization target.
    public static func cpuMetric(utilization: Int64) -> JSONValue {
        ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": .int(utilization)]]]
    }

    private static func isCPUUtilization(_ metric: JSONValue) -> Bool {
        metric["type"]?.string == "Resource" && metric["resource"]?["name"]?.string == "cpu"
            && metric["resource"]?["target"]?["averageUtilization"]?.int != nil
    }

    /// The v1 form of a stored (v2) object.
    public static func toV1(_ v2: JSONValue) -> JSONValue {
        var out = JSONObject()
        out["apiVersion"] = "autoscaling/v1"
        out["kind"] = "HorizontalPodAutoscaler"
        var metadata = v2["metadata"] ?? .emptyObject
        var annotations = metadata["annotations"]?.object ?? JSONObject()
        for key in roundTripAnnotations { annotations[key] = nil }
        let spec = v2["spec"] ?? .emptyObject
        let status = v2["status"] ?? .emptyObject
        var v1Spec = JSONObject()
        v1Spec["scaleTargetRef"] = spec["scaleTargetRef"]
        v1Spec["minReplicas"] = spec["minReplicas"]
        v1Spec["maxReplicas"] = spec["maxReplicas"] ?? 0
        let metrics = spec["metrics"]?.array ?? []
        if let cpu = metrics.first(where: { $0["type"]?.string == "Resource" && $0["resource"]?["name"]?.string == "cpu" }),
           let utilization = cpu["resource"]?["target"]?["averageUtilization"] {
            v1Spec["targetCPUUtilizationPercentage"] = utilization
        }
        let others = metrics.filter { !isCPUUtilization($0) }.map(v1MetricSpec)
        if !others.isEmpty { annotations[metricsAnnotation] = .string(JSONValue.array(others).jsonString()) }
        if let behavior = spec["behavior"], behavior.object != nil {
            annotations[behaviorAnnotation] = .string(behavior.jsonString())
        }
        var v1Status = JSONObject()
        for key in ["observedGeneration", "lastScaleTime"] where status[key] != nil { v1Status[key] = status[key] }
        v1Status["currentReplicas"] = status["currentReplicas"] ?? 0
        v1Status["desiredReplicas"] = status["desiredReplicas"] ?? 0
        let current = status["currentMetrics"]?.array ?? []
        for metric in current where metric["type"]?.string == "Resource" && metric["resource"]?["name"]?.string == "cpu" {
            if let utilization = metric["resource"]?["current"]?["averageUtilization"] {
                v1Status["currentCPUUtilizationPercentage"] = utilization
            }
        }
        if !current.isEmpty { annotations[currentMetricsAnnotation] = .string(JSONValue.array(current.map(v1MetricStatus)).jsonString()) }
        if let conditions = status["conditions"]?.array, !conditions.isEmpty {
            annotations[conditionsAnnotation] = .string(JSONValue.array(conditions).jsonString())
        }
        if annotations.isEmpty { metadata.setValue(nil, at: ["annotations"]) } else { metadata["annotations"] = .object(annotations) }
        out["metadata"] = metadata
        out["spec"] = .object(v1Spec)
        out["status"] = .object(v1Status)
        return .object(out)
    }

    /// The stored (v2) form of a v1 object. Annotations that do not parse are dropped with what
    /// they carried (upstream refuses the object; a client cannot make the server fail here).
    public static func toV2(_ v1: JSONValue) -> JSONValue {
        var out = JSONObject()
        out["apiVersion"] = "autoscaling/v2"
        out["kind"] = "HorizontalPodAutoscaler"
        var metadata = v1["metadata"] ?? .emptyObject
        var annotations = metadata["annotations"]?.object ?? JSONObject()
        /// A round-trip annotation's JSON, removed from the annotations; a value that is not a
        /// string stays for validation to report.
        func take(_ key: String) -> JSONValue? {
            guard let text = annotations[key]?.string else { return nil }
            annotations[key] = nil
            return try? JSONValue.parse(Array(text.utf8))
        }
        let spec = v1["spec"] ?? .emptyObject
        let status = v1["status"]
        var v2Spec = JSONObject()
        v2Spec["scaleTargetRef"] = spec["scaleTargetRef"]
        v2Spec["minReplicas"] = spec["minReplicas"]
        v2Spec["maxReplicas"] = spec["maxReplicas"]
        var metrics = (take(metricsAnnotation)?.array ?? []).map(v2MetricSpec)
        if let cpu = spec["targetCPUUtilizationPercentage"], let utilization = cpu.int {
            metrics.append(cpuMetric(utilization: utilization))
        } else if let cpu = spec["targetCPUUtilizationPercentage"], !cpu.isNull {
            // A mistyped target stays visible to validation at its v2 path.
            metrics.append(["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": cpu]]])
        }
        if metrics.isEmpty { metrics = [cpuMetric(utilization: HorizontalPodAutoscalerView.defaultCPUUtilization)] }
        v2Spec["metrics"] = .array(metrics)
        if let behavior = take(behaviorAnnotation), behavior.object != nil { v2Spec["behavior"] = behavior }
        let currentMetrics = take(currentMetricsAnnotation)?.array
        let conditions = take(conditionsAnnotation)?.array
        if let status, status.object != nil {
            var v2Status = JSONObject()
            for key in ["observedGeneration", "lastScaleTime"] where status[key] != nil { v2Status[key] = status[key] }
            v2Status["currentReplicas"] = status["currentReplicas"] ?? 0
            v2Status["desiredReplicas"] = status["desiredReplicas"] ?? 0
            if let currentMetrics {
                v2Status["currentMetrics"] = .array(currentMetrics.map(v2MetricStatus))
            } else if let cpu = status["currentCPUUtilizationPercentage"], !cpu.isNull {
                v2Status["currentMetrics"] = [["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": cpu]]]]
            }
            if let conditions { v2Status["conditions"] = .array(conditions) }
            out["status"] = .object(v2Status)
        }
        if metadata["annotations"]?.object != nil {   // annotations of another type stay for validation to report
            metadata["annotations"] = annotations.isEmpty ? nil : .object(annotations)
        }
        out["metadata"] = metadata
        out["spec"] = .object(v2Spec)
        for (key, value) in v1.object?.pairs ?? [] where out[key] == nil { out[key] = value }
        return .object(out)
    }
}
