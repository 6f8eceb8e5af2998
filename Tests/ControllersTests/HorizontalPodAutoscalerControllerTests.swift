import Client
import ControllerRuntime
import Foundation
import Model
import Testing
import TestSupport
@testable import Controllers

/// The HorizontalPodAutoscalerController over a FakeAPIClient (which serves the scale subresource
/// and metrics.k8s.io through its raw handler) and a ManualClock, driven by calling reconcile(key).
@Suite struct HorizontalPodAutoscalerControllerTests {
    typealias F = AutoscalingFixture

    final class Harness: @unchecked Sendable {
        let client = FakeAPIClient()
        let clock = ManualClock(now: AutoscalingFixture.now)
        let events = RecordedJobEvents()
        let factory: SharedInformerFactory
        let controller: HorizontalPodAutoscalerController

        init(usage: [String: Int64], hpa: JSONValue = AutoscalingFixture.hpa(max: 5).object) throws {
            factory = SharedInformerFactory(client: client, clock: clock)
            controller = HorizontalPodAutoscalerController(client: client, factory: factory, recorder: events, clock: clock,
                                                           options: HorizontalPodAutoscalerOptions(syncPeriod: 5))
            try client.seed(ResourceCatalog.deployments, DeploymentFixtures.deployment(replicas: 3))
            for name in ["a", "b", "c"] { try client.seed(ResourceCatalog.pods, F.pod(name).object) }
            try client.seed(ResourceCatalog.horizontalPodAutoscalers, hpa)
            let client = self.client
            let metrics = F.podMetricsList(usage)
            client.setRawHandler { request in
                if request.path.hasPrefix("/apis/metrics.k8s.io/") {
                    return request.queryValue("labelSelector") == "app=web" ? RawResponse(status: 200, json: metrics) : nil
                }
                guard request.path == "/apis/apps/v1/namespaces/default/deployments/web/scale" else { return nil }
                let replicas = client.object(ResourceCatalog.deployments, namespace: "default", name: "web")?.value(at: ["spec", "replicas"]) ?? 0
                return RawResponse(status: 200, json: ["kind": "Scale", "apiVersion": "autoscaling/v1", "spec": ["replicas": replicas],
                                                       "status": ["replicas": replicas, "selector": "app=web"]])
            }
        }

        func start() async {
            factory.start()
            await factory.waitForSync()
        }

        var replicas: Int64? { client.object(ResourceCatalog.deployments, namespace: "default", name: "web")?.value(at: ["spec", "replicas"])?.int }
        var hpa: HorizontalPodAutoscalerView {
            HorizontalPodAutoscalerView(client.object(ResourceCatalog.horizontalPodAutoscalers, namespace: "default", name: "web") ?? .null)
        }
    }

    @Test func aSyncScalesTheTargetThroughItsScaleSubresourceAndWritesStatus() async throws {
        let h = try Harness(usage: ["a": 100, "b": 100, "c": 100])
        await h.start()
        let result = try await h.controller.reconcile("default/web")
        #expect(result.requeueAfter == 5)
        // 100% of requests against 50% → 6, capped at max 5.
        #expect(h.replicas == 5)
        #expect(h.client.calls.contains { $0.verb == "patch" && $0.body == ["spec": ["replicas": 5]] })
        #expect(h.events.reasons == ["SuccessfulRescale"])
        #expect(h.hpa.currentReplicas == 3 && h.hpa.desiredReplicas == 5)
        #expect(h.hpa.condition(HorizontalPodAutoscalerView.scalingLimited)?.reason == "TooManyReplicas")
        #expect(h.controller.history("default/web")?.recommendations.map(\.replicas) == [3, 6])
    }

    @Test func aFailedScaleWriteIsReportedInStatusAndEvents() async throws {
        let h = try Harness(usage: ["a": 100, "b": 100, "c": 100])
        await h.start()
        h.client.failNext("patch", with: StatusError.conflict(resource: "deployments", group: "apps", name: "web"))
        _ = try await h.controller.reconcile("default/web")
        #expect(h.replicas == 3)
        #expect(h.events.reasons == ["FailedRescale"])
        let able = h.hpa.condition(HorizontalPodAutoscalerView.ableToScale)
        #expect(able?.status == "False" && able?.reason == "FailedUpdateScale")
    }

    @Test func aMissingTargetIsFailedGetScale() async throws {
        let h = try Harness(usage: [:], hpa: F.hpa().object.replacing(["spec", "scaleTargetRef", "kind"], "Widget"))
        await h.start()
        _ = try await h.controller.reconcile("default/web")
        #expect(h.events.reasons == ["FailedGetScale"])
        #expect(h.hpa.condition(HorizontalPodAutoscalerView.ableToScale)?.message
                == #"the HPA controller was unable to get the target's current scale: no matches for kind "Widget" in group "apps""#)
    }

    @Test func aDeletedAutoscalerForgetsItsHistory() async throws {
        let h = try Harness(usage: ["a": 50, "b": 50, "c": 50])
        await h.start()
        _ = try await h.controller.reconcile("default/web")
        #expect(h.controller.history("default/web") != nil)
        _ = try await h.client.delete(ResourceCatalog.horizontalPodAutoscalers, namespace: "default", name: "web")
        _ = await eventually { h.controller.autoscalers.get("default/web") == nil }
        #expect(try await h.controller.reconcile("default/web") == .done)
        #expect(h.controller.history("default/web") == nil)
    }
}

extension JSONValue {
    /// A copy with `value` at `path`.
    func replacing(_ path: [String], _ value: JSONValue) -> JSONValue {
        var copy = self
        copy.setValue(value, at: path)
        return copy
    }
}
