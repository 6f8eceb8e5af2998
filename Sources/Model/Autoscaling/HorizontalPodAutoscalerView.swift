import Foundation

/// An autoscaling/v2 HorizontalPodAutoscaler (the stored version) read through computed
/// properties: the scale target, the replica bounds, the metrics, the behavior and the status the
/// controller keeps.
public struct HorizontalPodAutoscalerView: Sendable, Equatable {
    /// The whole HorizontalPodAutoscaler.
    public var object: JSONValue

    public init(_ object: JSONValue) { self.object = object }

    /// The condition types the controller keeps, in upstream's order.
    public static let ableToScale = "AbleToScale"
    public static let scalingActive = "ScalingActive"
    public static let scalingLimited = "ScalingLimited"
    /// Upstream's DefaultCPUUtilization: the metric of an HPA that names none (and of a v1 one
    /// without `targetCPUUtilizationPercentage`).
    public static let defaultCPUUtilization: Int64 = 80

    /// `metadata`, typed.
    public var metadata: ObjectMetaView { ObjectMetaView(object["metadata"]) }
    /// `metadata.name`, `metadata.namespace`, `metadata.uid`.
    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
    public var uid: String { metadata.uid }

    private var spec: JSONValue { object["spec"] ?? .emptyObject }

    /// `spec.scaleTargetRef`.
    public var scaleTargetRef: ScaleTargetReference { ScaleTargetReference(spec["scaleTargetRef"] ?? .emptyObject) }
    /// `spec.minReplicas`, 1 when unset (upstream's default).
    public var minReplicas: Int { (spec["minReplicas"]?.int).map { Int($0) } ?? 1 }
    /// `spec.maxReplicas`.
    public var maxReplicas: Int { Int(spec["maxReplicas"]?.int ?? 0) }
    /// `spec.metrics`; empty when unset (admission defaults it to cpu at 80%).
    public var metrics: [MetricSpecView] { (spec["metrics"]?.array ?? []).map(MetricSpecView.init) }
    /// `spec.behavior` with upstream's defaults filled in; nil when unset (the controller then uses
    /// the legacy rules: scale up at most to max(2 × current, 4), the downscale window of its flag).
    public var behavior: HPABehavior? {
        guard let json = spec["behavior"], json.object != nil else { return nil }
        return HPABehavior(json)
    }

    /// `status`, an empty object when unset.
    public var status: JSONValue { object["status"] ?? .emptyObject }
    /// `status.currentReplicas`: the target's count as the last sync read it.
    public var currentReplicas: Int { Int(status["currentReplicas"]?.int ?? 0) }
    /// `status.desiredReplicas`: what the last sync decided.
    public var desiredReplicas: Int { Int(status["desiredReplicas"]?.int ?? 0) }
    /// `status.lastScaleTime`: the last rescale.
    public var lastScaleTime: Date? { status["lastScaleTime"]?.string.flatMap(Timestamp.parse) }
    /// `status.conditions`.
    public var conditions: [ConditionView] { (status["conditions"]?.array ?? []).map(ConditionView.init) }
    /// The condition of `type`, if set.
    public func condition(_ type: String) -> ConditionView? { conditions.first { $0.type == type } }
}

/// `spec.scaleTargetRef` (CrossVersionObjectReference).
public struct ScaleTargetReference: Sendable, Equatable {
    /// The target's `apps/v1`, `Deployment`, `web`.
    public var apiVersion: String
    public var kind: String
    public var name: String

    public init(apiVersion: String, kind: String, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
    }

    init(_ json: JSONValue) {
        self.init(apiVersion: json["apiVersion"]?.string ?? "", kind: json["kind"]?.string ?? "", name: json["name"]?.string ?? "")
    }

    /// `Deployment/web`, as kubectl's REFERENCE column prints it.
    public var description: String { "\(kind)/\(name)" }
}

/// One entry of `spec.metrics` (autoscaling/v2 MetricSpec).
public struct MetricSpecView: Sendable, Equatable {
    /// The entry as stored.
    public var json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// `Resource`, `ContainerResource`, `Pods`, `Object` or `External`.
    public var type: String { json["type"]?.string ?? "" }
    /// The source object of the type (`resource`, `containerResource`, ...).
    public var source: JSONValue { json[Self.sourceKey(type)] ?? .emptyObject }
    /// The resource name of a Resource or ContainerResource metric (`cpu`, `memory`).
    public var resourceName: String { source["name"]?.string ?? "" }
    /// The container of a ContainerResource metric.
    public var container: String? { type == "ContainerResource" ? source["container"]?.string : nil }
    /// The metric name of a Pods, Object or External metric.
    public var metricName: String { source["metric"]?["name"]?.string ?? "" }
    /// The target.
    public var target: MetricTargetView { MetricTargetView(source["target"] ?? .emptyObject) }

    /// The JSON member holding a metric source type's details.
    public static func sourceKey(_ type: String) -> String {
        switch type {
        case "ContainerResource": return "containerResource"
        default: return type.prefix(1).lowercased() + type.dropFirst()
        }
    }
}

/// A MetricTarget: `type` Utilization, Value or AverageValue with its number.
public struct MetricTargetView: Sendable, Equatable {
    /// The target as stored.
    public var json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// `Utilization`, `Value` or `AverageValue`.
    public var type: String { json["type"]?.string ?? "" }
    /// `averageUtilization`, a percentage of the pods' requests.
    public var averageUtilization: Int64? { json["averageUtilization"]?.int }
    /// `averageValue` as a quantity.
    public var averageValue: Quantity? { json["averageValue"].flatMap { try? Quantity(json: $0) } }
    /// `value` as a quantity.
    public var value: Quantity? { json["value"].flatMap { try? Quantity(json: $0) } }
}
