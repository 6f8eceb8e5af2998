import Controllers
import Foundation
import Model
import Testing

/// Upstream's normalizeDesiredReplicas(WithBehaviors) as tables: stabilization windows, scale
/// policies and their select policy, min/max clamping, and the conditions they explain.
@Suite struct ReplicaNormalizationTests {
    typealias F = AutoscalingFixture
    typealias R = ScaleHistory.Recommendation

    static func legacy(current: Int, desired: Int, min: Int = 1, max: Int = 10, window: TimeInterval = 300,
                       recommendations: [R] = []) -> ReplicaNormalization.Outcome {
        var history = ScaleHistory(recommendations: recommendations)
        return ReplicaNormalization.legacy(current: current, desired: desired, minReplicas: min, maxReplicas: max, downscaleWindow: window,
                                           history: &history, now: F.now)
    }

    @Test func withoutABehaviorTheHighestRecommendationOfTheDownscaleWindowWins() {
        // 6 was recommended 100 s ago (inside 300 s): scaling down to 2 is held at 6.
        let held = Self.legacy(current: 6, desired: 2, recommendations: [R(replicas: 6, time: F.at(-100))])
        #expect(held.replicas == 6)
        #expect(held.ableToScale.reason == "ScaleDownStabilized")
        #expect(held.ableToScale.message == "recent recommendations were higher than current one, applying the highest recent recommendation")
        // The same recommendation 400 s ago is outside the window.
        let free = Self.legacy(current: 6, desired: 2, recommendations: [R(replicas: 6, time: F.at(-400))])
        #expect(free.replicas == 2)
        #expect(free.ableToScale == (reason: "ReadyForNewScale", message: "recommended size matches current size"))
        #expect(!free.limited && free.limitReason == "DesiredWithinRange" && free.limitMessage == "the desired count is within the acceptable range")
    }

    @Test(arguments: [
        // current, desired, min, max → replicas, limited, reason
        (2, 20, 1, 10, 4, true, "ScaleUpLimit"),      // max(2 × 2, 4) = 4 < max 10
        (4, 20, 1, 10, 8, true, "ScaleUpLimit"),      // 2 × 4 = 8
        (6, 20, 1, 10, 10, true, "TooManyReplicas"),  // 12 > max: the max limits
        (3, 0, 2, 10, 2, true, "TooFewReplicas"),
        (3, 5, 1, 10, 5, false, "DesiredWithinRange"),
    ])
    func withoutABehaviorScaleUpIsAtMostDoubleOrFour(current: Int, desired: Int, min: Int, max: Int,
                                                      replicas: Int, limited: Bool, reason: String) {
        let outcome = Self.legacy(current: current, desired: desired, min: min, max: max, window: 0)
        #expect(outcome.replicas == replicas)
        #expect(outcome.limited == limited)
        #expect(outcome.limitReason == reason)
    }

    static func behavior(_ json: JSONValue) -> HPABehavior { HPABehavior(json) }

    static func withBehavior(_ behavior: HPABehavior, current: Int, desired: Int, min: Int = 1, max: Int = 100,
                             history: ScaleHistory = ScaleHistory()) -> (ReplicaNormalization.Outcome, ScaleHistory) {
        var history = history
        let outcome = ReplicaNormalization.withBehavior(behavior, current: current, desired: desired, minReplicas: min, maxReplicas: max,
                                                        downscaleWindow: 300, history: &history, now: F.now)
        return (outcome, history)
    }

    struct PolicyCase: Sendable, CustomStringConvertible {
        var description: String
        var behavior: JSONValue
        var current: Int
        var desired: Int
        var max = 100
        var min = 1
        var ups: [ScaleHistory.ScaleEvent] = []
        var downs: [ScaleHistory.ScaleEvent] = []
        var replicas: Int
        var reason: String
    }

    static let policyCases: [PolicyCase] = [
        // Default scale-up: max(4 pods, 100%) per 15 s from 3 → max(7, 6) = 7.
        PolicyCase(description: "default scale-up picks the larger policy", behavior: ["scaleDown": ["stabilizationWindowSeconds": 0]],
                   current: 3, desired: 20, replicas: 7, reason: "ScaleUpLimit"),
        // From 10: max(14, 20) = 20.
        PolicyCase(description: "default scale-up doubles larger targets", behavior: ["scaleDown": ["stabilizationWindowSeconds": 0]],
                   current: 10, desired: 50, replicas: 20, reason: "ScaleUpLimit"),
        // selectPolicy Min: min(7, 6) = 6.
        PolicyCase(description: "Min selects the smaller change", behavior: ["scaleUp": ["selectPolicy": "Min"]],
                   current: 3, desired: 20, replicas: 6, reason: "ScaleUpLimit"),
        PolicyCase(description: "Disabled scale-up keeps the count", behavior: ["scaleUp": ["selectPolicy": "Disabled"]],
                   current: 3, desired: 20, replicas: 3, reason: "ScaleUpLimit"),
        // 2 pods were added 10 s ago (within 15 s): the period started at 3 → 3 + 4 = 7 → 5 + 2 allowed... max(7, 6) = 7 total.
        PolicyCase(description: "changes within the period count against it", behavior: ["scaleUp": ["selectPolicy": "Max"]],
                   current: 5, desired: 20, ups: [ScaleHistory.ScaleEvent(change: 2, time: F.at(-10))], replicas: 7, reason: "ScaleUpLimit"),
        // The same change 20 s ago is outside the 15 s period: from 5, max(9, 10) = 10.
        PolicyCase(description: "changes before the period do not count", behavior: ["scaleUp": ["selectPolicy": "Max"]],
                   current: 5, desired: 20, ups: [ScaleHistory.ScaleEvent(change: 2, time: F.at(-20))], replicas: 10, reason: "ScaleUpLimit"),
        PolicyCase(description: "the max replicas limit", behavior: ["scaleUp": ["selectPolicy": "Max"]], current: 3, desired: 20, max: 5,
                   replicas: 5, reason: "TooManyReplicas"),
        // Scale-down 1 pod per 60 s (window 0): 10 → 9.
        PolicyCase(description: "a Pods scale-down policy",
                   behavior: ["scaleDown": ["stabilizationWindowSeconds": 0, "policies": [["type": "Pods", "value": 1, "periodSeconds": 60]]]],
                   current: 10, desired: 2, replicas: 9, reason: "ScaleDownLimit"),
        // 50% per 60 s: 10 → 5; with 2 removed 30 s ago the period started at 12 → 6.
        PolicyCase(description: "a Percent scale-down policy counts from the period's start",
                   behavior: ["scaleDown": ["stabilizationWindowSeconds": 0, "policies": [["type": "Percent", "value": 50, "periodSeconds": 60]]]],
                   current: 10, desired: 2, downs: [ScaleHistory.ScaleEvent(change: 2, time: F.at(-30))], replicas: 6, reason: "ScaleDownLimit"),
        // Max of Pods(1)→9 and Percent(50%)→5 for a scale-down is the larger change: 5; Min: 9.
        PolicyCase(description: "Max scale-down takes the larger change",
                   behavior: ["scaleDown": ["stabilizationWindowSeconds": 0, "policies": [["type": "Pods", "value": 1, "periodSeconds": 60],
                                                                                        ["type": "Percent", "value": 50, "periodSeconds": 60]]]],
                   current: 10, desired: 2, replicas: 5, reason: "ScaleDownLimit"),
        PolicyCase(description: "Min scale-down takes the smaller change",
                   behavior: ["scaleDown": ["selectPolicy": "Min", "stabilizationWindowSeconds": 0,
                                            "policies": [["type": "Pods", "value": 1, "periodSeconds": 60],
                                                         ["type": "Percent", "value": 50, "periodSeconds": 60]]]],
                   current: 10, desired: 2, replicas: 9, reason: "ScaleDownLimit"),
        PolicyCase(description: "the min replicas limit", behavior: ["scaleDown": ["stabilizationWindowSeconds": 0]],
                   current: 10, desired: 1, min: 3, replicas: 3, reason: "TooFewReplicas"),
        PolicyCase(description: "Disabled scale-down keeps the count",
                   behavior: ["scaleDown": ["selectPolicy": "Disabled", "stabilizationWindowSeconds": 0]],
                   current: 10, desired: 1, replicas: 10, reason: "ScaleDownLimit"),
    ]

    @Test(arguments: policyCases)
    func policiesLimitTheRate(_ c: PolicyCase) {
        let history = ScaleHistory(scaleUpEvents: c.ups, scaleDownEvents: c.downs)
        let (outcome, _) = Self.withBehavior(Self.behavior(c.behavior), current: c.current, desired: c.desired, min: c.min, max: c.max,
                                             history: history)
        #expect(outcome.replicas == c.replicas)
        #expect(outcome.limitReason == c.reason)
        #expect(outcome.limited == (c.replicas != c.desired))
    }

    @Test func theScaleDownWindowHoldsTheHighestRecentRecommendation() {
        let behavior = Self.behavior(["scaleDown": ["stabilizationWindowSeconds": 60]])
        let history = ScaleHistory(recommendations: [R(replicas: 8, time: F.at(-30)), R(replicas: 9, time: F.at(-90))])
        let (outcome, updated) = Self.withBehavior(behavior, current: 10, desired: 2, history: history)
        #expect(outcome.replicas == 8)   // 9 is older than 60 s
        #expect(outcome.ableToScale.reason == "ScaleDownStabilized")
        // The recommendation older than every window is replaced by this one.
        #expect(updated.recommendations == [R(replicas: 8, time: F.at(-30)), R(replicas: 2, time: F.now)])
    }

    @Test func theScaleUpWindowHoldsTheLowestRecentRecommendation() {
        let behavior = Self.behavior(["scaleUp": ["stabilizationWindowSeconds": 60]])
        let history = ScaleHistory(recommendations: [R(replicas: 4, time: F.at(-30))])
        let (outcome, _) = Self.withBehavior(behavior, current: 3, desired: 10, history: history)
        #expect(outcome.replicas == 4)
        #expect(outcome.ableToScale == (reason: "ScaleUpStabilized",
                                        message: "recent recommendations were lower than current one, applying the lowest recent recommendation"))
    }

    @Test func anUnsetScaleDownWindowIsTheControllersFlag() {
        // Default behavior; the flag's 300 s keeps a recommendation of 10 from 200 s ago.
        let history = ScaleHistory(recommendations: [R(replicas: 10, time: F.at(-200))])
        let (outcome, _) = Self.withBehavior(HPABehavior(), current: 10, desired: 2, history: history)
        #expect(outcome.replicas == 10)
    }

    @Test func scaleEventsOlderThanTheLongestPeriodAreReused() {
        var history = ScaleHistory(scaleUpEvents: [ScaleHistory.ScaleEvent(change: 1, time: F.at(-100))])
        history.recordScale(from: 2, to: 5, behavior: HPABehavior(), now: F.now)
        #expect(history.scaleUpEvents == [ScaleHistory.ScaleEvent(change: 3, time: F.now)])
        history.recordScale(from: 5, to: 4, behavior: HPABehavior(), now: F.now)
        #expect(history.scaleDownEvents == [ScaleHistory.ScaleEvent(change: 1, time: F.now)])
        var legacy = ScaleHistory()
        legacy.recordScale(from: 2, to: 5, behavior: nil, now: F.now)
        #expect(legacy == ScaleHistory())
    }
}
