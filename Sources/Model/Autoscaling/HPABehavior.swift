/// `spec.behavior` of an autoscaling/v2 HorizontalPodAutoscaler with upstream's defaults
/// (pkg/apis/autoscaling/v2/defaults.go): scale up without a stabilization window by the larger of
/// 4 pods and 100% every 15 s; scale down by up to 100% every 15 s, with the window of the
/// controller's `--horizontal-pod-autoscaler-downscale-stabilization` flag when none is set.
public struct HPABehavior: Sendable, Equatable {
    /// `scaleUp`, completed from the defaults.
    public var scaleUp: HPAScalingRules
    /// `scaleDown`, completed from the defaults.
    public var scaleDown: HPAScalingRules

    public init(scaleUp: HPAScalingRules = .defaultScaleUp, scaleDown: HPAScalingRules = .defaultScaleDown) {
        self.scaleUp = scaleUp
        self.scaleDown = scaleDown
    }

    /// Reads a behavior object, filling what it leaves unset from the defaults.
    public init(_ json: JSONValue) {
        scaleUp = HPAScalingRules(json["scaleUp"], defaults: .defaultScaleUp)
        scaleDown = HPAScalingRules(json["scaleDown"], defaults: .defaultScaleDown)
    }
}

/// One direction's HPAScalingRules.
public struct HPAScalingRules: Sendable, Equatable {
    /// `Max` (the default), `Min` or `Disabled`.
    public var selectPolicy: String
    /// Seconds of recommendations to consider; nil (scale-down only) means the controller's flag.
    public var stabilizationWindowSeconds: Int?
    /// The policies, each a limit of the change within its period.
    public var policies: [HPAScalingPolicy]

    public init(selectPolicy: String = "Max", stabilizationWindowSeconds: Int?, policies: [HPAScalingPolicy]) {
        self.selectPolicy = selectPolicy
        self.stabilizationWindowSeconds = stabilizationWindowSeconds
        self.policies = policies
    }

    /// Upstream's defaultHPAScaleUpRules.
    public static let defaultScaleUp = HPAScalingRules(stabilizationWindowSeconds: 0, policies: [
        HPAScalingPolicy(type: "Pods", value: 4, periodSeconds: 15), HPAScalingPolicy(type: "Percent", value: 100, periodSeconds: 15),
    ])
    /// Upstream's defaultHPAScaleDownRules (the window comes from the controller's flag).
    public static let defaultScaleDown = HPAScalingRules(stabilizationWindowSeconds: nil, policies: [
        HPAScalingPolicy(type: "Percent", value: 100, periodSeconds: 15),
    ])

    /// Reads rules from JSON, each unset member taken from `defaults` (copyHPAScalingRules).
    public init(_ json: JSONValue?, defaults: HPAScalingRules) {
        self = defaults
        guard let json, json.object != nil else { return }
        if let select = json["selectPolicy"]?.string { selectPolicy = select }
        if let window = json["stabilizationWindowSeconds"]?.int { stabilizationWindowSeconds = Int(window) }
        if let list = json["policies"]?.array { policies = list.map(HPAScalingPolicy.init) }
    }

    /// The JSON form, as defaulting writes it.
    public var json: JSONValue {
        var out: JSONValue = ["selectPolicy": .string(selectPolicy), "policies": .array(policies.map(\.json))]
        if let stabilizationWindowSeconds { out["stabilizationWindowSeconds"] = .int(Int64(stabilizationWindowSeconds)) }
        return out
    }

    /// The longest `periodSeconds` of the policies (how long scale events matter).
    public var longestPolicyPeriod: Int { policies.map(\.periodSeconds).max() ?? 0 }
}

/// One HPAScalingPolicy: change by `value` pods or percent within `periodSeconds`.
public struct HPAScalingPolicy: Sendable, Equatable {
    /// `Pods` or `Percent`.
    public var type: String
    /// Pods, or percent of the count at the period's start.
    public var value: Int
    /// The period the limit applies to.
    public var periodSeconds: Int

    public init(type: String, value: Int, periodSeconds: Int) {
        self.type = type
        self.value = value
        self.periodSeconds = periodSeconds
    }

    init(_ json: JSONValue) {
        self.init(type: json["type"]?.string ?? "", value: Int(json["value"]?.int ?? 0), periodSeconds: Int(json["periodSeconds"]?.int ?? 0))
    }

    var json: JSONValue { ["type": .string(type), "value": .int(Int64(value)), "periodSeconds": .int(Int64(periodSeconds))] }
}
