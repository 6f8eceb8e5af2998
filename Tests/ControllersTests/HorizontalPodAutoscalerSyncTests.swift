import Controllers
import Foundation
import Model
import Testing

/// One HPA sync as upstream's reconcileAutoscaler decides it: the scale to write, the status
/// (current/desired replicas, currentMetrics, lastScaleTime, conditions) and the Events.
@Suite struct HorizontalPodAutoscalerSyncTests {
    typealias F = AutoscalingFixture

    static let threePods = [F.pod("a"), F.pod("b"), F.pod("c")]

    static func plan(_ hpa: HorizontalPodAutoscalerView = F.hpa(), replicas: Int = 3, selector: String = "app=web",
                     scaleError: String? = nil, pods: [PodView] = threePods, usage: [String: Int64] = ["a": 100, "b": 100, "c": 100],
                     metricsError: String? = nil, history: ScaleHistory = ScaleHistory()) -> HorizontalPodAutoscalerPlan {
        let scale: Result<ScaleReading, ReplicaCalculationError> = scaleError.map { .failure(ReplicaCalculationError($0)) }
            ?? .success(ScaleReading(specReplicas: replicas, statusReplicas: replicas, selector: selector))
        let metrics: Result<JSONValue, ReplicaCalculationError> = metricsError.map { .failure(ReplicaCalculationError($0)) }
            ?? .success(F.podMetricsList(usage))
        return HorizontalPodAutoscalerSync.plan(HorizontalPodAutoscalerSyncInput(hpa: hpa, scale: scale, pods: pods, podMetrics: metrics,
                                                                                  history: history, now: F.now))
    }

    static func conditions(_ status: JSONValue) -> [String] {
        (status["conditions"]?.array ?? []).map {
            "\($0["type"]?.string ?? "") \($0["status"]?.string ?? "") \($0["reason"]?.string ?? ""): \($0["message"]?.string ?? "")"
        }
    }

    @Test func loadAboveTheTargetScalesUpWithUpstreamsEventAndConditions() {
        let plan = Self.plan()
        #expect(plan.rescale == 6)
        #expect(plan.events == [HPAEvent(type: "Normal", reason: "SuccessfulRescale",
                                         message: "New size: 6; reason: cpu resource utilization (percentage of request) above target")])
        #expect(plan.status["currentReplicas"] == 3 && plan.status["desiredReplicas"] == 6)
        #expect(plan.status["lastScaleTime"] == .string(Timestamp.format(F.now)))
        #expect(plan.status["currentMetrics"]
                == [["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": 100, "averageValue": "100m"]]]])
        #expect(Self.conditions(plan.status) == [
            "AbleToScale True SucceededRescale: the HPA controller was able to update the target scale to 6",
            "ScalingActive True ValidMetricFound: the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
            "ScalingLimited False DesiredWithinRange: the desired count is within the acceptable range",
        ])
    }

    @Test func theMaximumLimitsAndSaysSo() {
        let plan = Self.plan(F.hpa(max: 4))
        #expect(plan.rescale == 4)
        #expect(Self.conditions(plan.status).last
                == "ScalingLimited True TooManyReplicas: the desired replica count is more than the maximum replica count")
    }

    @Test func loadWithinTheToleranceChangesNothing() {
        let plan = Self.plan(usage: ["a": 52, "b": 52, "c": 52])
        #expect(plan.rescale == nil)
        #expect(plan.events.isEmpty)
        #expect(plan.status["desiredReplicas"] == 3 && plan.status["lastScaleTime"] == nil)
        #expect(Self.conditions(plan.status).first == "AbleToScale True ReadyForNewScale: recommended size matches current size")
    }

    @Test func aTargetThatCannotBeReadIsReported() {
        let plan = Self.plan(scaleError: #"deployments.apps "web" not found"#)
        #expect(plan.rescale == nil)
        #expect(plan.events == [HPAEvent(type: "Warning", reason: "FailedGetScale", message: #"deployments.apps "web" not found"#)])
        #expect(Self.conditions(plan.status)
                == [#"AbleToScale False FailedGetScale: the HPA controller was unable to get the target's current scale: deployments.apps "web" not found"#])
    }

    @Test func aTargetAtZeroReplicasDisablesScaling() {
        let plan = Self.plan(replicas: 0)
        #expect(plan.rescale == nil)
        #expect(Self.conditions(plan.status).contains(
            "ScalingActive False ScalingDisabled: scaling is disabled since the replica count of the target is zero"))
    }

    @Test(arguments: [(12, 10, "Current number of replicas above Spec.MaxReplicas"), (1, 2, "Current number of replicas below Spec.MinReplicas")])
    func aTargetOutsideTheBoundsIsBroughtInside(replicas: Int, expected: Int, reason: String) {
        let plan = Self.plan(F.hpa(min: 2, max: 10), replicas: replicas)
        #expect(plan.rescale == expected)
        #expect(plan.rescaleReason == reason)
        #expect(plan.events.first?.message == "New size: \(expected); reason: \(reason)")
    }

    @Test func missingMetricsAreUpstreamsFailure() {
        let old: JSONValue = ["currentReplicas": 3, "desiredReplicas": 3]
        let plan = Self.plan(F.hpa(status: old), metricsError: "unable to fetch metrics from resource metrics API: the server is down")
        #expect(plan.rescale == nil)
        let detail = "failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server is down"
        #expect(plan.events == [
            HPAEvent(type: "Warning", reason: "FailedGetResourceMetric", message: detail),
            HPAEvent(type: "Warning", reason: "FailedComputeMetricsReplicas",
                     message: "invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: \(detail)"),
        ])
        #expect(Self.conditions(plan.status).contains("ScalingActive False FailedGetResourceMetric: the HPA was unable to compute the replica count: \(detail)"))
        #expect(plan.status["currentMetrics"] == [["type": ""]])
    }

    @Test func aScaleWithoutASelectorCannotBeAutoscaled() {
        let plan = Self.plan(selector: "")
        #expect(plan.rescale == nil)
        #expect(plan.events.map(\.reason) == ["SelectorRequired", "FailedComputeMetricsReplicas"])
        #expect(Self.conditions(plan.status).contains("ScalingActive False InvalidSelector: the HPA target's scale is missing a selector"))
    }

    @Test func theHighestMetricWinsAndABrokenOneDoesNotStopAScaleUp() {
        let metrics: [JSONValue] = [
            ["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "1Gi"]]],
            HorizontalPodAutoscalerConversion.cpuMetric(utilization: 50),
        ]
        // No memory usage in the metrics (every pod lacks it → "did not receive metrics"), cpu asks for 6.
        let plan = Self.plan(F.hpa(metrics: metrics))
        #expect(plan.rescale == 6)
        #expect(plan.events.map(\.reason) == ["FailedGetResourceMetric", "SuccessfulRescale"])
        #expect(plan.status["currentMetrics"]?.array?.first == ["type": ""])
    }

    @Test func aFailedScaleWriteIsReportedAndKeepsTheOldDesiredCount() {
        let plan = Self.plan(F.hpa(status: ["currentReplicas": 3, "desiredReplicas": 3]))
        let (status, event) = plan.failedRescale("the object has been modified", now: F.now)
        #expect(event == HPAEvent(type: "Warning", reason: "FailedRescale",
                                  message: "New size: 6; reason: cpu resource utilization (percentage of request) above target; error: the object has been modified"))
        #expect(status["desiredReplicas"] == 3 && status["lastScaleTime"] == nil)
        #expect(Self.conditions(status).first
                == "AbleToScale False FailedUpdateScale: the HPA controller was unable to update the target scale: the object has been modified")
    }

    @Test func aConditionKeepsItsTransitionTimeWhileItsStatusHolds() {
        let earlier = Timestamp.format(F.at(-600))
        let old: JSONValue = ["currentReplicas": 3, "desiredReplicas": 3, "conditions": [
            ["type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale", "message": "m", "lastTransitionTime": .string(earlier)],
            ["type": "ScalingActive", "status": "False", "reason": "FailedGetResourceMetric", "message": "m",
             "lastTransitionTime": .string(earlier)],
        ]]
        let plan = Self.plan(F.hpa(status: old), usage: ["a": 50, "b": 50, "c": 50])
        let conditions = plan.status["conditions"]?.array ?? []
        #expect(conditions[0]["lastTransitionTime"] == .string(earlier))
        #expect(conditions[1]["lastTransitionTime"] == .string(Timestamp.format(F.now)))
    }

    @Test func aRestartedControllerHoldsOffAScaleDownForOneWindow() {
        // No history: the current count becomes the first recommendation, so the legacy window keeps 3.
        let plan = Self.plan(usage: ["a": 5, "b": 5, "c": 5])
        #expect(plan.rescale == nil)
        #expect(plan.history.recommendations.map(\.replicas) == [3, 1])
        // Once the window has passed, the same load scales down to 1.
        let later = Self.plan(usage: ["a": 5, "b": 5, "c": 5],
                              history: ScaleHistory(recommendations: [ScaleHistory.Recommendation(replicas: 3, time: F.at(-301))]))
        #expect(later.rescale == 1)
        #expect(later.rescaleReason == "All metrics below target")
    }
}

extension HorizontalPodAutoscalerSyncTests {
    @Test func podsPickedByAnotherAutoscalerMakeTheSelectorAmbiguous() throws {
        let input = HorizontalPodAutoscalerSyncInput(
            hpa: F.hpa(), scale: .success(ScaleReading(specReplicas: 3, statusReplicas: 3, selector: "app=web")), pods: Self.threePods,
            podMetrics: .success(F.podMetricsList(["a": 100, "b": 100, "c": 100])), history: ScaleHistory(), now: F.now,
            otherSelectors: [("other", try LabelSelector.parse("app")), ("elsewhere", try LabelSelector.parse("app=db"))])
        let plan = HorizontalPodAutoscalerSync.plan(input)
        #expect(plan.rescale == nil)
        let message = "pods by selector app=web are controlled by multiple HPAs: [{other default} {web default}]"
        #expect(plan.events.first == HPAEvent(type: "Warning", reason: "AmbiguousSelector", message: message))
        #expect(Self.conditions(plan.status).contains("ScalingActive False AmbiguousSelector: \(message)"))
    }
}
