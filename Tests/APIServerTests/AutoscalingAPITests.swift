import Foundation
import Model
import Testing
import TestSupport
@testable import APIServer

/// HorizontalPodAutoscalers over the API: stored as autoscaling/v2, served as v1 too by
/// conversion (create, get, list, patch, put, watch), validated with 422s, discovered in both
/// versions with v2 preferred.
@Suite struct AutoscalingAPITests {
    static let v1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers"
    static let v2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers"

    static let v1Body: JSONValue = [
        "apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": ["name": "web"],
        "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"], "minReplicas": 1, "maxReplicas": 5,
                 "targetCPUUtilizationPercentage": 50],
    ]

    @Test func aV1AutoscalerIsStoredAsV2AndReadBackInEither() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (status, created) = api.call("POST", Self.v1, body: Self.v1Body)
        #expect(status == 201)
        #expect(created["apiVersion"] == "autoscaling/v1")
        #expect(created.value(at: ["spec", "targetCPUUtilizationPercentage"]) == 50)
        let (_, stored) = api.call("GET", "\(Self.v2)/web")
        #expect(stored["apiVersion"] == "autoscaling/v2")
        #expect(stored.value(at: ["spec", "metrics"]) == [HorizontalPodAutoscalerConversion.cpuMetric(utilization: 50)])
        let (_, list) = api.call("GET", Self.v1)
        #expect(list["kind"] == "HorizontalPodAutoscalerList" && list["apiVersion"] == "autoscaling/v1")
        #expect(list["items"]?[0]?["apiVersion"] == "autoscaling/v1")
        #expect(list["items"]?[0]?.value(at: ["spec", "targetCPUUtilizationPercentage"]) == 50)
    }

    @Test func patchesAndPutsThroughV1KeepWhatOnlyV2Holds() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", Self.v1, body: Self.v1Body)
        let memory: JSONValue = ["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "64Mi"]]]
        let (patched, _) = api.call("PATCH", "\(Self.v2)/web",
                                    body: ["spec": ["metrics": [HorizontalPodAutoscalerConversion.cpuMetric(utilization: 50), memory]]],
                                    headers: ["Content-Type": "application/merge-patch+json"])
        #expect(patched == 200)
        let (code, v1) = api.call("PATCH", "\(Self.v1)/web", body: ["spec": ["targetCPUUtilizationPercentage": 70]],
                                  headers: ["Content-Type": "application/merge-patch+json"])
        #expect(code == 200)
        #expect(v1.value(at: ["spec", "targetCPUUtilizationPercentage"]) == 70)
        #expect(v1.value(at: ["metadata", "annotations", HorizontalPodAutoscalerConversion.metricsAnnotation]) != nil)
        // PUT of what v1 read (annotations included) changes maxReplicas and keeps the memory metric.
        var body = v1
        body.setValue(8, at: ["spec", "maxReplicas"])
        let (put, _) = api.call("PUT", "\(Self.v1)/web", body: body)
        #expect(put == 200)
        let (_, stored) = api.call("GET", "\(Self.v2)/web")
        #expect(stored.value(at: ["spec", "maxReplicas"]) == 8)
        #expect(stored.value(at: ["spec", "metrics"]) == [memory, HorizontalPodAutoscalerConversion.cpuMetric(utilization: 70)])
        #expect(stored.value(at: ["metadata", "annotations"]) == nil)
    }

    @Test(arguments: [Self.v1, Self.v2])
    func invalidAutoscalersAre422WithFieldPaths(_ path: String) throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        var body = Self.v1Body
        if path == Self.v2 {
            body = ["apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": ["name": "web"],
                    "spec": ["scaleTargetRef": ["kind": "Deployment", "name": "web"], "minReplicas": 3, "maxReplicas": 2,
                             "metrics": [["type": "Nope"]]]]
        } else {
            body.setValue(3, at: ["spec", "minReplicas"])
            body.setValue(2, at: ["spec", "maxReplicas"])
        }
        let (status, answer) = api.call("POST", path, body: body)
        #expect(status == 422)
        #expect(answer["reason"] == "Invalid")
        let fields = (answer.value(at: ["details", "causes"])?.array ?? []).compactMap { $0["field"]?.string }
        #expect(fields.contains("spec.maxReplicas"))
        if path == Self.v2 { #expect(fields.contains("spec.metrics[0].type")) }
    }

    @Test(arguments: [
        (#"{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"x"}}"#, 400),
        (#"{"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"x"},"spec":"full"}"#, 422),
        (#"{"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"x","annotations":{"autoscaling.alpha.kubernetes.io/metrics":"[{\"type\":7}]"}},"spec":{"maxReplicas":[]}}"#, 422),
        (#"[1,2]"#, 400),
    ])
    func badV1BodiesAreRefusedNeverAServerError(_ body: String, _ code: Int) throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (status, _) = api.call("POST", Self.v1, rawBody: body, headers: ["Content-Type": "application/json"])
        #expect(status == code)
    }

    @Test func aV1WatchSeesV1Objects() async throws {
        try await offCooperativePool {
            let api = try APIHarness()
            defer { api.shutdown() }
            let v1Watch = try #require(api.watch(Self.v1))
            let v2Watch = try #require(api.watch(Self.v2))
            api.call("POST", Self.v1, body: Self.v1Body)
            api.call("PATCH", "\(Self.v2)/web/status", body: ["status": ["currentReplicas": 2, "desiredReplicas": 2]],
                     headers: ["Content-Type": "application/merge-patch+json"])
            let events = v1Watch.waitForEvents(2)
            #expect(events.map { $0["type"] } == ["ADDED", "MODIFIED"])
            #expect(events.map { $0["object"]?["apiVersion"] } == ["autoscaling/v1", "autoscaling/v1"])
            #expect(events.last?["object"]?.value(at: ["status", "currentReplicas"]) == 2)
            #expect(v2Watch.waitForEvents(2).map { $0["object"]?["apiVersion"] } == ["autoscaling/v2", "autoscaling/v2"])
            v1Watch.close()
            v2Watch.close()
        }
    }

    @Test func discoveryListsBothVersionsPreferringV2() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let (_, groups) = api.call("GET", "/apis")
        let autoscaling = try #require(groups["groups"]?.array?.first { $0["name"] == "autoscaling" })
        #expect(autoscaling["versions"]?.array?.map { $0["version"] } == ["v2", "v1"])
        #expect(autoscaling["preferredVersion"]?["groupVersion"] == "autoscaling/v2")
        for version in ["v1", "v2"] {
            let (status, list) = api.call("GET", "/apis/autoscaling/\(version)")
            #expect(status == 200)
            let names = (list["resources"]?.array ?? []).compactMap { $0["name"]?.string }
            #expect(names == ["horizontalpodautoscalers", "horizontalpodautoscalers/status"])
            #expect(list["resources"]?[0]?["shortNames"] == ["hpa"])
        }
        let (_, aggregated) = api.call("GET", "/apis", headers: ["Accept": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"])
        let item = try #require(aggregated["items"]?.array?.first { $0.value(at: ["metadata", "name"]) == "autoscaling" })
        #expect(item["versions"]?.array?.map { $0["version"] } == ["v2", "v1"])
        let (_, openapi) = api.call("GET", "/openapi/v3/apis/autoscaling/v1")
        #expect(openapi["paths"]?["/apis/autoscaling/v1/namespaces/{namespace}/horizontalpodautoscalers/{name}"] != nil)
    }

    @Test func kubectlGetHPAGetsUpstreamsColumns() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        api.call("POST", Self.v1, body: Self.v1Body)
        let (_, table) = api.call("GET", Self.v2, headers: ["Accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"])
        #expect(table["columnDefinitions"]?.array?.map { $0["name"] } == ["Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"])
        let cells = table["rows"]?[0]?["cells"]?.array ?? []
        #expect(Array(cells.prefix(6)) == ["web", "Deployment/web", "cpu: <unknown>/50%", "1", 5, 0])
    }
}
