import Foundation
import Model

/// Upstream's normalizeDesiredReplicas and normalizeDesiredReplicasWithBehaviors, pure: the
/// metrics' proposal is stabilized over the recent recommendations, then bounded by min/max
/// replicas and the scale rate; the result says which conditions to set.
public enum ReplicaNormalization {
    /// A normalized count and the AbleToScale / ScalingLimited reasons that explain it.
    public struct Outcome: Sendable, Equatable {
        /// The count to scale to.
        public var replicas: Int
        /// The AbleToScale=True condition's reason and message.
        public var ableToScale: (reason: String, message: String)
        /// ScalingLimited's status: the bounds or rates changed the stabilized count.
        public var limited: Bool
        /// ScalingLimited's reason and message.
        public var limitReason: String
        public var limitMessage: String

        /// Field by field (tuples are not Equatable).
        public static func == (a: Outcome, b: Outcome) -> Bool {
            a.replicas == b.replicas && a.ableToScale == b.ableToScale && a.limited == b.limited
                && a.limitReason == b.limitReason && a.limitMessage == b.limitMessage
        }
    }

    static let ready = (reason: "ReadyForNewScale", message: "recommended size matches current size")
    static let downStabilized = (reason: "ScaleDownStabilized",
                                 message: "recent recommendations were higher than current one, applying the highest recent recommendation")
    static let upStabilized = (reason: "ScaleUpStabilized",
                               message: "recent recommendations were lower than current one, applying the lowest recent recommendation")

    /// Without a behavior: the highest recommendation of the downscale window, then at most
    /// max(2 × current, 4) replicas (upstream's scaleUpLimitFactor and scaleUpLimitMinimum).
    public static func legacy(current: Int, desired: Int, minReplicas: Int, maxReplicas: Int, downscaleWindow: TimeInterval,
                              history: inout ScaleHistory, now: Date) -> Outcome {
        let cutoff = now.addingTimeInterval(-downscaleWindow)
        var stabilized = desired
        for rec in history.recommendations where rec.time >= cutoff { stabilized = max(stabilized, rec.replicas) }
        history.record(desired, now: now) { $0.time < cutoff }
        let able = stabilized != desired ? downStabilized : ready
        let scaleUpLimit = max(2 * current, 4)
        var limit = (reason: "TooManyReplicas", message: "the desired replica count is more than the maximum replica count")
        var upper = maxReplicas
        if maxReplicas > scaleUpLimit {
            upper = scaleUpLimit
            limit = ("ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
        }
        var replicas = stabilized
        if stabilized < minReplicas {
            limit = ("TooFewReplicas", "the desired replica count is less than the minimum replica count")
            replicas = minReplicas
        } else if stabilized > upper {
            replicas = upper
        } else {
            limit = ("DesiredWithinRange", "the desired count is within the acceptable range")
        }
        return Outcome(replicas: replicas, ableToScale: able, limited: replicas != stabilized,
                       limitReason: limit.reason, limitMessage: limit.message)
    }

    /// With a behavior: stabilized between the lowest recommendation of the scale-up window and
    /// the highest of the scale-down window, then limited by the policies of the direction
    /// (relative to the count at the start of each policy's period) and by min/max replicas.
    public static func withBehavior(_ behavior: HPABehavior, current: Int, desired: Int, minReplicas: Int, maxReplicas: Int,
                                    downscaleWindow: TimeInterval, history: inout ScaleHistory, now: Date) -> Outcome {
        let upWindow = Double(behavior.scaleUp.stabilizationWindowSeconds ?? 0)
        let downWindow = behavior.scaleDown.stabilizationWindowSeconds.map(Double.init) ?? downscaleWindow
        let upCutoff = now.addingTimeInterval(-upWindow)
        let downCutoff = now.addingTimeInterval(-downWindow)
        var upRecommendation = desired
        var downRecommendation = desired
        for rec in history.recommendations {
            if rec.time > upCutoff { upRecommendation = min(upRecommendation, rec.replicas) }
            if rec.time > downCutoff { downRecommendation = max(downRecommendation, rec.replicas) }
        }
        let stabilized = min(max(current, upRecommendation), downRecommendation)
        history.record(desired, now: now) { $0.time < upCutoff && $0.time < downCutoff }
        let able = stabilized == desired ? ready : (desired >= current ? upStabilized : downStabilized)

        var replicas = stabilized
        var limit = (reason: "DesiredWithinRange", message: "the desired count is within the acceptable range")
        if stabilized > current {
            let rate = max(scaleUpLimit(current: current, history: history, rules: behavior.scaleUp, now: now), current)
            let upper = min(maxReplicas, rate)
            let reason = maxReplicas > rate
                ? ("ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
                : ("TooManyReplicas", "the desired replica count is more than the maximum replica count")
            if stabilized > upper { (replicas, limit) = (upper, reason) }
        } else if stabilized < current {
            let rate = min(scaleDownLimit(current: current, history: history, rules: behavior.scaleDown, now: now), current)
            let lower = max(minReplicas, rate)
            let reason = minReplicas < rate
                ? ("ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate")
                : ("TooFewReplicas", "the desired replica count is less than the minimum replica count")
            if stabilized < lower { (replicas, limit) = (lower, reason) }
        }
        return Outcome(replicas: replicas, ableToScale: able, limited: replicas != stabilized,
                       limitReason: limit.reason, limitMessage: limit.message)
    }

    /// calculateScaleUpLimitWithScalingRules: the most replicas the policies allow now.
    static func scaleUpLimit(current: Int, history: ScaleHistory, rules: HPAScalingRules, now: Date) -> Int {
        policyLimit(current: current, history: history, rules: rules, now: now, up: true)
    }

    /// calculateScaleDownLimitWithBehaviors: the fewest replicas the policies allow now.
    static func scaleDownLimit(current: Int, history: ScaleHistory, rules: HPAScalingRules, now: Date) -> Int {
        policyLimit(current: current, history: history, rules: rules, now: now, up: false)
    }

    /// Each policy proposes a count from the period's start (Percent rounds up on the way up and
    /// down on the way down, so a change always moves); `Max` picks the largest change, `Min` the
    /// smallest, `Disabled` none.
    private static func policyLimit(current: Int, history: ScaleHistory, rules: HPAScalingRules, now: Date, up: Bool) -> Int {
        if rules.selectPolicy == "Disabled" { return current }
        let highest = up == (rules.selectPolicy != "Min")
        var result = highest ? Int.min : Int.max
        for policy in rules.policies {
            let start = periodStart(current: current, history: history, period: policy.periodSeconds, now: now)
            let proposed: Int
            switch (policy.type, up) {
            case ("Pods", true): proposed = start + policy.value
            case ("Pods", false): proposed = start - policy.value
            case (_, true): proposed = Int((Double(start) * (1 + Double(policy.value) / 100)).rounded(.up))
            case (_, false): proposed = Int(Double(start) * (1 - Double(policy.value) / 100))
            }
            result = highest ? max(result, proposed) : min(result, proposed)
        }
        return result
    }

    /// The replica count at the start of a policy period: current minus what was added, plus
    /// what was removed, within it.
    private static func periodStart(current: Int, history: ScaleHistory, period: Int, now: Date) -> Int {
        current - ScaleHistory.changes(history.scaleUpEvents, periodSeconds: period, now: now)
            + ScaleHistory.changes(history.scaleDownEvents, periodSeconds: period, now: now)
    }
}
