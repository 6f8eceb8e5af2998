import Foundation
import Model
import Testing

/// autoscaling/v2 HorizontalPodAutoscalers: defaulting and validation as upstream's
/// pkg/apis/autoscaling (v2 defaults, validation.go), and the `kubectl get hpa` row.
@Suite struct HorizontalPodAutoscalerTests {
    static let target: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"]

    static func hpa(_ spec: JSONValue) -> JSONValue {
        ["apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": ["name": "web", "namespace": "default"],
         "spec": spec]
    }

    static func admitted(_ object: JSONValue) throws(StatusError) -> JSONValue {
        var object = object
        try Admission.admit(&object, resource: ResourceCatalog.horizontalPodAutoscalers, operation: .create, now: Date())
        return object
    }

    static func causes(_ object: JSONValue) -> [String] {
        do {
            _ = try admitted(object)
            return []
        } catch {
            return error.causes.map { "\($0.field): \($0.message)" }
        }
    }

    @Test func minReplicasAndCPUMetricAreDefaulted() throws {
        let object = try Self.admitted(Self.hpa(["scaleTargetRef": Self.target, "maxReplicas": 5]))
        #expect(object.value(at: ["spec", "minReplicas"]) == 1)
        #expect(object.value(at: ["spec", "metrics"]) == [HorizontalPodAutoscalerConversion.cpuMetric(utilization: 80)])
        #expect(object.value(at: ["spec", "behavior"]) == nil)
    }

    @Test func aGivenBehaviorIsCompletedFromUpstreamsDefaults() throws {
        let object = try Self.admitted(Self.hpa(["scaleTargetRef": Self.target, "maxReplicas": 5,
                                                 "behavior": ["scaleDown": ["stabilizationWindowSeconds": 60]]]))
        let behavior = try #require(object.value(at: ["spec", "behavior"]))
        #expect(behavior["scaleUp"] == (try JSONValue.parse(#"""
            {"selectPolicy":"Max","stabilizationWindowSeconds":0,"policies":[{"type":"Pods","value":4,"periodSeconds":15},
             {"type":"Percent","value":100,"periodSeconds":15}]}
            """#)))
        // The scale-down window stays as given; unset it would be the controller's flag.
        #expect(behavior["scaleDown"] == (try JSONValue.parse(#"""
            {"stabilizationWindowSeconds":60,"selectPolicy":"Max","policies":[{"type":"Percent","value":100,"periodSeconds":15}]}
            """#)))
        #expect(HorizontalPodAutoscalerView(object).behavior?.scaleDown.stabilizationWindowSeconds == 60)
    }

    @Test(arguments: [
        (hpa(["scaleTargetRef": target, "minReplicas": 2, "maxReplicas": 5]), [String]()),
        (hpa(["scaleTargetRef": target, "minReplicas": 5, "maxReplicas": 2]),
         ["spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"]),
        (hpa(["scaleTargetRef": target, "minReplicas": 0, "maxReplicas": 0]),
         ["spec.minReplicas: Invalid value: 0: must be greater than or equal to 1", "spec.maxReplicas: Invalid value: 0: must be greater than 0"]),
        (hpa(["scaleTargetRef": ["name": "a/b"], "maxReplicas": 1]),
         ["spec.scaleTargetRef.kind: Required value", "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'"]),
        (hpa(["scaleTargetRef": target, "maxReplicas": 1, "metrics": [["type": "Foo"]]]),
         [#"spec.metrics[0].type: Unsupported value: "Foo": supported values: "Object", "Pods", "Resource", "External", "ContainerResource""#]),
        (hpa(["scaleTargetRef": target, "maxReplicas": 1, "metrics": [["type": "Pods", "resource": ["name": "cpu",
                                                                        "target": ["type": "Utilization", "averageUtilization": 50]]]]]),
         ["spec.metrics[0].pods: Required value: must populate information for the given metric source",
          "spec.metrics[0].resource: Forbidden: must populate the given metric source only"]),
        (hpa(["scaleTargetRef": target, "maxReplicas": 1, "metrics": [["type": "Resource", "resource": ["name": "cpu",
                                                                        "target": ["type": "Percent", "averageUtilization": 0]]]]]),
         [#"spec.metrics[0].resource.target.type: Invalid value: "Percent": must be either Utilization, Value, or AverageValue"#,
          "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0"]),
        (hpa(["scaleTargetRef": target, "maxReplicas": 1, "metrics": [["type": "Resource", "resource": ["name": "memory",
                                                                        "target": ["type": "AverageValue", "averageValue": "-1Mi",
                                                                                   "averageUtilization": 50]]]]]),
         [#"spec.metrics[0].resource.target.averageValue: Invalid value: "-1Mi": must be positive"#,
          "spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization"]),
        (hpa(["scaleTargetRef": target, "maxReplicas": 1, "behavior": ["scaleUp": ["selectPolicy": "Sideways", "stabilizationWindowSeconds": 4000,
                                                                                    "policies": [["type": "Nodes", "value": 0, "periodSeconds": 0]]]]]),
         [#"spec.behavior.scaleUp.selectPolicy: Unsupported value: "Sideways": supported values: "Disabled", "Max", "Min""#,
          "spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600",
          #"spec.behavior.scaleUp.policies[0].type: Unsupported value: "Nodes": supported values: "Percent", "Pods""#,
          "spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero",
          "spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 0: must be greater than zero"]),
        (hpa(["scaleTargetRef": target, "maxReplicas": 1, "behavior": ["scaleDown": ["policies": []]]]),
         ["spec.behavior.scaleDown.policies: Required value: must specify at least one Policy"]),
        (hpa(["scaleTargetRef": target, "maxReplicas": "five"]),
         [#"spec.maxReplicas: Invalid value: "five": must be of type integer"#, "spec.maxReplicas: Invalid value: 0: must be greater than 0",
          "spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`"]),
    ] as [(JSONValue, [String])])
    func autoscalersAreValidatedAsUpstream(object: JSONValue, causes: [String]) {
        #expect(Self.causes(object) == causes)
    }

    @Test func anInvalidAutoscalerIsA422WithFieldPaths() {
        #expect(throws: StatusError.self) { try Self.admitted(Self.hpa(["scaleTargetRef": Self.target, "maxReplicas": 0])) }
        do {
            _ = try Self.admitted(Self.hpa(["scaleTargetRef": Self.target, "maxReplicas": 0]))
        } catch {
            #expect(error.code == 422 && error.reason == "Invalid")
            #expect(error.causes.first?.field == "spec.maxReplicas")
        }
    }

    @Test(arguments: [
        // Utilization: current of the first status, the target; unknown before the first measurement.
        (#"{"metadata":{"name":"web","creationTimestamp":"2024-05-01T11:59:00Z"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":5,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]},"status":{"currentReplicas":3,"currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":12,"averageValue":"12m"}}}]}}"#,
         #"["web","Deployment/web","cpu: 12%/50%","1",5,3,"60s"]"#),
        (#"{"metadata":{"name":"new"},"spec":{"scaleTargetRef":{"kind":"ReplicaSet","name":"rs"},"maxReplicas":2,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}},{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"64Mi"}}},{"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"10"}}}]}}"#,
         #"["new","ReplicaSet/rs","cpu: <unknown>/50%, memory: <unknown>/64Mi + 1 more...","<unset>",2,0,"<unknown>"]"#),
    ])
    func printsTheColumnsKubectlShows(_ object: String, _ expected: String) throws {
        let renderer = TableRenderer(now: Date(timeIntervalSince1970: 1_714_564_800))   // 2024-05-01T12:00:00Z
        #expect(TableRenderer.columns(for: ResourceCatalog.horizontalPodAutoscalers).map(\.name)
                == ["Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"])
        #expect(.array(renderer.cells(for: try JSONValue.parse(object), resource: ResourceCatalog.horizontalPodAutoscalers))
                == (try JSONValue.parse(expected)))
    }
}
