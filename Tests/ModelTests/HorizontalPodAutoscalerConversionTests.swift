import Foundation
import Model
import Testing

/// autoscaling/v1 ↔ v2 as upstream's pkg/apis/autoscaling/v1/conversion.go: the cpu target maps
/// to targetCPUUtilizationPercentage, everything else rides in annotations, so a round trip
/// through v1 loses nothing.
@Suite struct HorizontalPodAutoscalerConversionTests {
    static let v2 = """
    {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
     "metadata":{"name":"web","namespace":"default","annotations":{"team":"a"}},
     "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":5,
             "metrics":[{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"64Mi"}}},
                        {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}],
             "behavior":{"scaleDown":{"selectPolicy":"Min","stabilizationWindowSeconds":30,"policies":[{"type":"Pods","value":1,"periodSeconds":60}]}}},
     "status":{"currentReplicas":2,"desiredReplicas":3,"lastScaleTime":"2026-01-01T00:00:00Z",
               "currentMetrics":[{"type":"Resource","resource":{"name":"memory","current":{"averageValue":"10Mi"}}},
                                 {"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":70,"averageValue":"70m"}}}],
               "conditions":[{"type":"AbleToScale","status":"True","reason":"SucceededRescale","message":"m","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}
    """

    @Test func v2BecomesV1WithTheRestInAnnotations() throws {
        let v1 = HorizontalPodAutoscalerConversion.toV1(try JSONValue.parse(Self.v2))
        #expect(v1["apiVersion"] == "autoscaling/v1")
        #expect(v1["spec"] == (try JSONValue.parse(#"""
            {"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":5,"targetCPUUtilizationPercentage":50}
            """#)))
        #expect(v1["status"] == (try JSONValue.parse(#"""
            {"lastScaleTime":"2026-01-01T00:00:00Z","currentReplicas":2,"desiredReplicas":3,"currentCPUUtilizationPercentage":70}
            """#)))
        let annotations = v1.value(at: ["metadata", "annotations"])?.stringMap ?? [:]
        #expect(annotations["team"] == "a")
        #expect(annotations[HorizontalPodAutoscalerConversion.metricsAnnotation]
                == #"[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"64Mi"}}]"#)
        #expect(try JSONValue.parse(annotations[HorizontalPodAutoscalerConversion.currentMetricsAnnotation] ?? "")
                == (try JSONValue.parse(#"[{"type":"Resource","resource":{"name":"memory","currentAverageValue":"10Mi"}},{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":70,"currentAverageValue":"70m"}}]"#)))
        #expect(annotations[HorizontalPodAutoscalerConversion.conditionsAnnotation] != nil)
        #expect(annotations[HorizontalPodAutoscalerConversion.behaviorAnnotation] != nil)
    }

    @Test func aRoundTripThroughV1KeepsEverything() throws {
        let original = try JSONValue.parse(Self.v2)
        let back = HorizontalPodAutoscalerConversion.toV2(HorizontalPodAutoscalerConversion.toV1(original))
        #expect(back["spec"]?["metrics"] == original["spec"]?["metrics"])
        #expect(back["spec"]?["behavior"] == original["spec"]?["behavior"])
        #expect(back["status"]?["currentMetrics"] == original["status"]?["currentMetrics"])
        #expect(back["status"]?["conditions"] == original["status"]?["conditions"])
        #expect(back.value(at: ["metadata", "annotations"]) == ["team": "a"])
    }

    @Test func customAndExternalMetricsRoundTripThroughV1Annotations() throws {
        let metrics = try JSONValue.parse(#"""
            [{"type":"Pods","pods":{"metric":{"name":"qps","selector":{"matchLabels":{"a":"b"}}},"target":{"type":"AverageValue","averageValue":"10"}}},
             {"type":"Object","object":{"describedObject":{"kind":"Service","name":"front"},"metric":{"name":"rps"},"target":{"type":"Value","value":"5"}}},
             {"type":"External","external":{"metric":{"name":"queue"},"target":{"type":"AverageValue","averageValue":"3"}}},
             {"type":"ContainerResource","containerResource":{"name":"cpu","container":"main","target":{"type":"Utilization","averageUtilization":60}}}]
            """#)
        var v2 = try JSONValue.parse(Self.v2)
        v2.setValue(metrics, at: ["spec", "metrics"])
        let v1 = HorizontalPodAutoscalerConversion.toV1(v2)
        #expect(v1.value(at: ["spec", "targetCPUUtilizationPercentage"]) == nil)
        #expect(HorizontalPodAutoscalerConversion.toV2(v1).value(at: ["spec", "metrics"]) == metrics)
    }

    @Test func aV1TargetBecomesACPUUtilizationMetric() throws {
        let v1 = try JSONValue.parse(#"""
            {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"web"},
             "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":5,"targetCPUUtilizationPercentage":50}}
            """#)
        let v2 = HorizontalPodAutoscalerConversion.toV2(v1)
        #expect(v2["apiVersion"] == "autoscaling/v2")
        #expect(v2.value(at: ["spec", "metrics"]) == [HorizontalPodAutoscalerConversion.cpuMetric(utilization: 50)])
        #expect(v2["status"] == nil)
    }

    @Test func aV1AutoscalerWithoutATargetScalesOnCPUAt80Percent() throws {
        let v1 = try JSONValue.parse(#"{"metadata":{"name":"web"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":3}}"#)
        #expect(HorizontalPodAutoscalerConversion.toV2(v1).value(at: ["spec", "metrics"])
                == [HorizontalPodAutoscalerConversion.cpuMetric(utilization: 80)])
    }

    @Test func malformedAnnotationsAreDroppedNotFatal() throws {
        let v1 = try JSONValue.parse(#"""
            {"metadata":{"name":"web","annotations":{"autoscaling.alpha.kubernetes.io/metrics":"not json"}},
             "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":3,"targetCPUUtilizationPercentage":60}}
            """#)
        let v2 = HorizontalPodAutoscalerConversion.toV2(v1)
        #expect(v2.value(at: ["spec", "metrics"]) == [HorizontalPodAutoscalerConversion.cpuMetric(utilization: 60)])
        #expect(v2.value(at: ["metadata", "annotations"]) == nil)
    }

    @Test func theServedVersionsShareOneStoredResource() {
        #expect(ResourceCatalog.storageVersion(of: ResourceCatalog.horizontalPodAutoscalersV1) == ResourceCatalog.horizontalPodAutoscalers)
        #expect(ResourceConversion.isConverted(ResourceCatalog.horizontalPodAutoscalersV1))
        #expect(!ResourceConversion.isConverted(ResourceCatalog.horizontalPodAutoscalers))
        #expect(ResourceCatalog.lookup(group: "autoscaling", version: "v1", plural: "horizontalpodautoscalers") == ResourceCatalog.horizontalPodAutoscalersV1)
        #expect(!ResourceCatalog.all.contains(ResourceCatalog.horizontalPodAutoscalersV1))
    }
}

extension HorizontalPodAutoscalerConversionTests {
    @Test func annotationsOfTheWrongTypeAreLeftForValidation() throws {
        let v1 = try JSONValue.parse(#"{"metadata":{"name":"web","annotations":"x"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":3}}"#)
        #expect(HorizontalPodAutoscalerConversion.toV2(v1).value(at: ["metadata", "annotations"]) == "x")
        let numeric = try JSONValue.parse(#"{"metadata":{"name":"web","annotations":{"autoscaling.alpha.kubernetes.io/metrics":7}},"spec":{"maxReplicas":3}}"#)
        #expect(HorizontalPodAutoscalerConversion.toV2(numeric).value(at: ["metadata", "annotations", HorizontalPodAutoscalerConversion.metricsAnnotation]) == 7)
    }
}

/// `kubectl autoscale` sends an autoscaling/v1 HorizontalPodAutoscaler as protobuf.
@Suite struct HorizontalPodAutoscalerProtobufTests {
    @Test func kubectlAutoscalesBodyDecodes() throws {
        let reference = PB().string(1, "Deployment").string(2, "web").string(3, "apps/v1")
        let spec = PB().message(1, reference).int(2, 1).int(3, 5).int(4, 50)
        // Go writes the non-pointer status counters even when zero.
        let hpa = PB().message(1, GoWire.objectMeta(name: "web")).message(2, spec).message(3, PB().int(3, 0).int(4, 0))
        let decoded = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("autoscaling/v1", "HorizontalPodAutoscaler", hpa))
        #expect(decoded.object.value(at: ["spec"]) == (try JSONValue.parse(#"""
            {"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":5,"targetCPUUtilizationPercentage":50}
            """#)))
        let stored = ResourceConversion.toStorage(decoded.object, from: ResourceCatalog.horizontalPodAutoscalersV1)
        #expect(stored.value(at: ["spec", "metrics"]) == [HorizontalPodAutoscalerConversion.cpuMetric(utilization: 50)])
    }
}
