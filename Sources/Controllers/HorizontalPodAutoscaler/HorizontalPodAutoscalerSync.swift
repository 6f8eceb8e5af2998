import Foundation
import Model

/// The scale subresource of an HPA's target as the controller reads it.
public struct ScaleReading: Sendable, Equatable {
    /// `spec.replicas`: the count the HPA changes.
    public var specReplicas: Int
    /// `status.replicas`: the pods the target has now.
    public var statusReplicas: Int
    /// `status.selector`, label selector text (`app=web`).
    public var selector: String

    public init(specReplicas: Int, statusReplicas: Int, selector: String) {
        self.specReplicas = specReplicas
        self.statusReplicas = statusReplicas
        self.selector = selector
    }
}

/// Everything one HPA sync decides from.
public struct HorizontalPodAutoscalerSyncInput: Sendable {
    /// The HPA as the cache holds it.
    public var hpa: HorizontalPodAutoscalerView
    /// The target's Scale, or why it could not be read.
    public var scale: Result<ScaleReading, ReplicaCalculationError>
    /// The pods of the HPA's namespace (the scale's selector picks from them).
    public var pods: [PodView]
    /// The PodMetricsList of the selected pods, or why it could not be read.
    public var podMetrics: Result<JSONValue, ReplicaCalculationError>
    /// What earlier syncs recommended and changed.
    public var history: ScaleHistory
    /// The controller's clock.
    public var now: Date
    /// The controller's flags.
    public var options: HorizontalPodAutoscalerOptions
    /// The scale selectors other HPAs of the namespace last saw (upstream's hpaSelectors): one
    /// picking a pod this HPA picks makes the selector ambiguous.
    public var otherSelectors: [(name: String, selector: LabelSelector)]

    public init(hpa: HorizontalPodAutoscalerView, scale: Result<ScaleReading, ReplicaCalculationError>, pods: [PodView],
                podMetrics: Result<JSONValue, ReplicaCalculationError>, history: ScaleHistory, now: Date,
                options: HorizontalPodAutoscalerOptions = HorizontalPodAutoscalerOptions(),
                otherSelectors: [(name: String, selector: LabelSelector)] = []) {
        self.otherSelectors = otherSelectors
        self.hpa = hpa
        self.scale = scale
        self.pods = pods
        self.podMetrics = podMetrics
        self.history = history
        self.now = now
        self.options = options
    }
}

/// An Event the sync records on the HPA.
public struct HPAEvent: Sendable, Equatable {
    /// `Normal` or `Warning`.
    public var type: String
    /// `SuccessfulRescale`, `FailedGetScale`, ...
    public var reason: String
    /// Upstream's wording.
    public var message: String

    public init(type: String, reason: String, message: String) {
        self.type = type
        self.reason = reason
        self.message = message
    }
}

/// What one sync does: the status to write (when it differs from the stored one), the new
/// replica count for the target's scale (nil: leave it), the Events, the updated history.
public struct HorizontalPodAutoscalerPlan: Sendable, Equatable {
    /// The HPA's whole new status (written when it differs from the stored one).
    public var status: JSONValue
    /// The replica count to write through the scale subresource; nil leaves the target alone.
    public var rescale: Int?
    /// Why (`cpu resource utilization (percentage of request) above target`).
    public var rescaleReason: String
    /// The target's replica count when the sync read it.
    public var current: Int
    /// The Events to record, in order.
    public var events: [HPAEvent]
    /// The history to keep (the scale event is added once the rescale succeeded).
    public var history: ScaleHistory
    /// What the status becomes when writing `rescale` fails (upstream's FailedUpdateScale path).
    var beforeRescale: HPAConditions
    var fallbackStatus: JSONValue

    /// The status and Event after a failed scale update with `error`.
    public func failedRescale(_ error: String, now: Date) -> (status: JSONValue, event: HPAEvent) {
        var conditions = beforeRescale
        conditions.set(HorizontalPodAutoscalerView.ableToScale, "False", "FailedUpdateScale",
                       "the HPA controller was unable to update the target scale: \(error)", now: now)
        var status = fallbackStatus
        status["conditions"] = .array(conditions.list)
        return (status, HPAEvent(type: "Warning", reason: "FailedRescale",
                                 message: "New size: \(rescale ?? 0); reason: \(rescaleReason); error: \(error)"))
    }
}

/// Upstream's reconcileAutoscaler as a pure function (pkg/controller/podautoscaler/horizontal.go).
public enum HorizontalPodAutoscalerSync {
    /// The whole decision of one sync (see the README for the flow).
    public static func plan(_ input: HorizontalPodAutoscalerSyncInput) -> HorizontalPodAutoscalerPlan {
        let hpa = input.hpa
        let now = input.now
        var conditions = HPAConditions(list: hpa.status["conditions"]?.array ?? [])
        var events: [HPAEvent] = []
        var history = input.history
        let old = hpa.status
        func status(current: Int, desired: Int, metrics: [JSONValue], rescaled: Bool) -> JSONValue {
            var out: JSONValue = ["currentReplicas": .int(Int64(current)), "desiredReplicas": .int(Int64(desired))]
            out["lastScaleTime"] = rescaled ? .string(Timestamp.format(now)) : old["lastScaleTime"]
            if !metrics.isEmpty { out["currentMetrics"] = .array(metrics) }
            if !conditions.list.isEmpty { out["conditions"] = .array(conditions.list) }
            return out
        }
        func unchanged() -> HorizontalPodAutoscalerPlan {
            var same = old
            same["conditions"] = .array(conditions.list)
            return HorizontalPodAutoscalerPlan(status: same, rescale: nil, rescaleReason: "", current: 0, events: events, history: history,
                                               beforeRescale: conditions, fallbackStatus: same)
        }

        let scale: ScaleReading
        switch input.scale {
        case .failure(let error):
            events.append(HPAEvent(type: "Warning", reason: "FailedGetScale", message: error.message))
            conditions.set(HorizontalPodAutoscalerView.ableToScale, "False", "FailedGetScale",
                           "the HPA controller was unable to get the target's current scale: \(error.message)", now: now)
            return unchanged()
        case .success(let reading):
            scale = reading
        }
        conditions.set(HorizontalPodAutoscalerView.ableToScale, "True", "SucceededGetScale",
                       "the HPA controller was able to get the target's current scale", now: now)
        let current = scale.specReplicas
        history.recordInitial(current, now: now)
        let minReplicas = hpa.minReplicas
        let maxReplicas = hpa.maxReplicas
        var desired = 0
        var reason = ""
        var rescale = true
        var metricStatuses: [JSONValue] = []

        if current == 0 && minReplicas != 0 {
            rescale = false
            conditions.set(HorizontalPodAutoscalerView.scalingActive, "False", "ScalingDisabled",
                           "scaling is disabled since the replica count of the target is zero", now: now)
        } else if current > maxReplicas {
            reason = "Current number of replicas above Spec.MaxReplicas"
            desired = maxReplicas
        } else if current < minReplicas {
            reason = "Current number of replicas below Spec.MinReplicas"
            desired = minReplicas
        } else {
            var computation = MetricComputation(input: input, scale: scale, conditions: conditions)
            let result = computation.run()
            conditions = computation.conditions
            events += computation.events
            metricStatuses = computation.statuses
            guard let (proposal, metric) = result else {
                if let error = computation.error {
                    events.append(HPAEvent(type: "Warning", reason: "FailedComputeMetricsReplicas", message: error))
                }
                let failed = status(current: current, desired: hpa.desiredReplicas, metrics: metricStatuses, rescaled: false)
                return HorizontalPodAutoscalerPlan(status: failed, rescale: nil, rescaleReason: "", current: current, events: events,
                                                   history: history, beforeRescale: conditions, fallbackStatus: failed)
            }
            desired = max(0, proposal)
            if desired > current { reason = "\(metric) above target" }
            if desired < current { reason = "All metrics below target" }
            let outcome: ReplicaNormalization.Outcome
            if let behavior = hpa.behavior {
                outcome = ReplicaNormalization.withBehavior(behavior, current: current, desired: desired, minReplicas: minReplicas,
                                                            maxReplicas: maxReplicas, downscaleWindow: input.options.downscaleStabilization,
                                                            history: &history, now: now)
            } else {
                outcome = ReplicaNormalization.legacy(current: current, desired: desired, minReplicas: minReplicas, maxReplicas: maxReplicas,
                                                      downscaleWindow: input.options.downscaleStabilization, history: &history, now: now)
            }
            conditions.set(HorizontalPodAutoscalerView.ableToScale, "True", outcome.ableToScale.reason, outcome.ableToScale.message, now: now)
            conditions.set(HorizontalPodAutoscalerView.scalingLimited, outcome.limited ? "True" : "False", outcome.limitReason,
                           outcome.limitMessage, now: now)
            desired = outcome.replicas
            rescale = desired != current
        }

        let beforeRescale = conditions
        let fallback = status(current: current, desired: hpa.desiredReplicas, metrics: metricStatuses, rescaled: false)
        guard rescale else {
            return HorizontalPodAutoscalerPlan(status: status(current: current, desired: current, metrics: metricStatuses, rescaled: false),
                                               rescale: nil, rescaleReason: "", current: current, events: events, history: history,
                                               beforeRescale: beforeRescale, fallbackStatus: fallback)
        }
        conditions.set(HorizontalPodAutoscalerView.ableToScale, "True", "SucceededRescale",
                       "the HPA controller was able to update the target scale to \(desired)", now: now)
        events.append(HPAEvent(type: "Normal", reason: "SuccessfulRescale", message: "New size: \(desired); reason: \(reason)"))
        return HorizontalPodAutoscalerPlan(status: status(current: current, desired: desired, metrics: metricStatuses, rescaled: true),
                                           rescale: desired, rescaleReason: reason, current: current, events: events, history: history,
                                           beforeRescale: beforeRescale, fallbackStatus: fallback)
    }
}
