import Foundation
import Model
import Testing

@Suite struct PodGroupTests {
    static func podGroup(_ spec: JSONValue) -> JSONValue {
        ["apiVersion": "scheduling.x-k8s.io/v1alpha1", "kind": "PodGroup", "metadata": ["name": "train", "namespace": "default"],
         "spec": spec]
    }

    static func admit(_ object: JSONValue) -> [String] {
        var object = object
        do {
            try Admission.admit(&object, resource: ResourceCatalog.podGroups, operation: .create, now: Date())
            return []
        } catch {
            return error.causes.map { "\($0.field): \($0.message)" }
        }
    }

    @Test(arguments: [
        (podGroup(["minMember": 4, "scheduleTimeoutSeconds": 30, "minResources": ["cpu": "8", "example.com/gpu": "4"]]), [String]()),
        (podGroup(["minMember": 0]), ["spec.minMember: Invalid value: 0: must be between 1 and 2147483647"]),
        (podGroup(["scheduleTimeoutSeconds": 5]), ["spec.minMember: Required value: a gang needs at least one member"]),
        (podGroup(["minMember": 2, "scheduleTimeoutSeconds": -1]), ["spec.scheduleTimeoutSeconds: Invalid value: -1: must be greater than or equal to 0"]),
        (podGroup(["minMember": "four"]), ["spec.minMember: Invalid value: \"four\": must be of type integer"]),
        (podGroup(["minMember": 2, "minResources": ["cpu": "lots"]]),
         ["spec.minResources[cpu]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"]),
    ] as [(JSONValue, [String])])
    func podGroupsAreValidated(object: JSONValue, causes: [String]) {
        #expect(Self.admit(object) == causes)
    }

    @Test func aPodGroupIsReadWithTheDefaultTimeout() {
        let spec = PodGroupSpec(Self.podGroup(["minMember": 3, "minResources": ["cpu": "2", "memory": "1Gi"]]))
        #expect(spec.key == "default/train")
        #expect(spec.minMember == 3)
        #expect(spec.scheduleTimeoutSeconds == PodGroupSpec.defaultScheduleTimeoutSeconds)
        #expect(spec.minResources == ResourceAmounts(milliCPU: 2000, memory: 1 << 30))
    }

    @Test func aGangJobNamesItsOwnPodGroupUnlessItsTemplateNamesOne() {
        func job(annotations: [String: String], templateLabels: [String: String] = [:]) -> JobView {
            JobView(["metadata": ["name": "train", "namespace": "default",
                                  "annotations": .object(JSONObject(annotations.map { ($0.key, JSONValue.string($0.value)) }))],
                     "spec": ["parallelism": 8, "completions": 4,
                              "template": ["metadata": ["labels": .object(JSONObject(templateLabels.map { ($0.key, JSONValue.string($0.value)) }))]]]])
        }
        let gang = job(annotations: [PodGroupSpec.jobGangAnnotation: "true", PodGroupSpec.jobGangFailureAnnotation: "RestartGang"])
        #expect(gang.podGroupName == "train")
        #expect(gang.createsPodGroup)
        #expect(gang.gangSize == 4)
        #expect(gang.restartsGangOnFailure)
        let named = job(annotations: [PodGroupSpec.jobGangAnnotation: "true"], templateLabels: [PodGroupSpec.podGroupLabel: "shared"])
        #expect(named.podGroupName == "shared")
        #expect(!named.createsPodGroup)
        let plain = job(annotations: [PodGroupSpec.jobGangFailureAnnotation: "RestartGang"])
        #expect(plain.podGroupName == nil)
        #expect(!plain.restartsGangOnFailure)
    }
}
