import Foundation
import Model

/// What one HPA's past syncs decided, as upstream keeps it in the controller's memory: the
/// unstabilized recommendations (for the stabilization windows) and the scale changes made (for
/// the behavior policies' periods). Not in the API, as upstream: a restarted controller starts
/// from the current replica count as its only recommendation, which holds off a scale-down for
/// one window.
public struct ScaleHistory: Sendable, Equatable {
    /// One sync's unstabilized proposal.
    public struct Recommendation: Sendable, Equatable {
        public var replicas: Int
        public var time: Date
        public init(replicas: Int, time: Date) {
            self.replicas = replicas
            self.time = time
        }
    }

    /// One successful rescale.
    public struct ScaleEvent: Sendable, Equatable {
        /// Pods added (scale-up events) or removed (scale-down events), positive.
        public var change: Int
        public var time: Date
        /// Older than the longest policy period: its slot may be reused.
        public var outdated = false
        public init(change: Int, time: Date) {
            self.change = change
            self.time = time
        }
    }

    /// Recommendations, oldest slots reused.
    public var recommendations: [Recommendation] = []
    /// Rescales up (with a behavior only).
    public var scaleUpEvents: [ScaleEvent] = []
    /// Rescales down (with a behavior only).
    public var scaleDownEvents: [ScaleEvent] = []

    public init(recommendations: [Recommendation] = [], scaleUpEvents: [ScaleEvent] = [], scaleDownEvents: [ScaleEvent] = []) {
        self.recommendations = recommendations
        self.scaleUpEvents = scaleUpEvents
        self.scaleDownEvents = scaleDownEvents
    }

    /// Upstream's recordInitialRecommendation: the current count, once.
    public mutating func recordInitial(_ replicas: Int, now: Date) {
        if recommendations.isEmpty { recommendations = [Recommendation(replicas: replicas, time: now)] }
    }

    /// Records a recommendation, reusing the slot of one older than every window (`staleBefore`).
    mutating func record(_ replicas: Int, now: Date, reusing isStale: (Recommendation) -> Bool) {
        let entry = Recommendation(replicas: replicas, time: now)
        if let stale = recommendations.lastIndex(where: isStale) {
            recommendations[stale] = entry
        } else {
            recommendations.append(entry)
        }
    }

    /// Upstream's storeScaleEvent after a successful rescale (only with a behavior: the legacy
    /// rules do not look at past changes). An event older than the direction's longest policy
    /// period is replaced rather than kept.
    public mutating func recordScale(from old: Int, to new: Int, behavior: HPABehavior?, now: Date) {
        guard let behavior else { return }
        if new > old {
            Self.store(ScaleEvent(change: new - old, time: now), in: &scaleUpEvents, period: behavior.scaleUp.longestPolicyPeriod)
        } else {
            Self.store(ScaleEvent(change: old - new, time: now), in: &scaleDownEvents, period: behavior.scaleDown.longestPolicyPeriod)
        }
    }

    private static func store(_ event: ScaleEvent, in events: inout [ScaleEvent], period: Int) {
        let cutoff = event.time.addingTimeInterval(-Double(period))
        for i in events.indices where events[i].time < cutoff { events[i].outdated = true }
        if let reusable = events.lastIndex(where: \.outdated) {
            events[reusable] = event
        } else {
            events.append(event)
        }
    }

    /// Pods changed by `events` within the last `periodSeconds` (getReplicasChangePerPeriod).
    static func changes(_ events: [ScaleEvent], periodSeconds: Int, now: Date) -> Int {
        let cutoff = now.addingTimeInterval(-Double(periodSeconds))
        return events.filter { $0.time > cutoff }.reduce(0) { $0 + $1.change }
    }
}
