import Foundation
import Model
import Testing

@Suite struct AdmissionClusterTests {
    @Test func namespaceGetsNameLabelAndActivePhase() {
        let ns: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team-a", "uid": "n-1"]]
        let admitted = Fixture.defaulted(ns, ResourceCatalog.namespaces)
        #expect(admitted.at("metadata.labels") == ["kubernetes.io/metadata.name": "team-a"])
        #expect(admitted.at("status.phase") == "Active")
    }

    @Test func namespaceNamesAreDNSLabels() {
        let ns: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team.a"]]
        #expect(Fixture.causes(ns, ResourceCatalog.namespaces).map(\.summary) == [
            "metadata.name FieldValueInvalid Invalid value: \"team.a\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ])
    }

    @Test func clusterScopedObjectsMayNotHaveANamespace() {
        let ns: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "a", "namespace": "default"]]
        #expect(Fixture.causes(ns, ResourceCatalog.namespaces).map(\.summary) == [
            "metadata.namespace FieldValueForbidden Forbidden: not allowed on this type",
        ])
    }

    @Test func nodeAllocatableDefaultsToCapacity() {
        let node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "worker-1.example"],
                               "status": ["capacity": ["cpu": "4", "memory": "8Gi"]]]
        let admitted = Fixture.defaulted(node, ResourceCatalog.nodes)
        #expect(admitted.at("status.allocatable") == ["cpu": "4", "memory": "8Gi"])
    }

    @Test func nodeTaintsAndCapacityAreChecked() {
        let node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "w1"],
                               "spec": ["taints": [["key": "gpu", "effect": "Sometimes"], ["key": "gpu", "effect": "Sometimes"]]],
                               "status": ["capacity": ["cpu": "four"]]]
        #expect(Fixture.causes(node, ResourceCatalog.nodes).map(\.field) == [
            "spec.taints[0].effect", "spec.taints[1].effect", "spec.taints[1]", "status.capacity[cpu]", "status.allocatable[cpu]",
        ])
    }

    @Test func eventsNeedAnInvolvedObjectInTheirNamespace() {
        let events = ResourceCatalog.events
        var event: JSONValue = ["apiVersion": "v1", "kind": "Event", "metadata": ["name": "web.1", "namespace": "default"],
                                "involvedObject": ["kind": "Pod", "name": "web", "namespace": "default"],
                                "reason": "Scheduled", "message": "ok", "type": "Normal"]
        #expect(Fixture.causes(event, events).isEmpty)
        event["involvedObject"] = nil
        #expect(Fixture.causes(event, events).map(\.summary) == ["involvedObject FieldValueRequired Required value"])
        event["involvedObject"] = ["kind": "Pod", "name": "web", "namespace": "other"]
        event["reason"] = .string(String(repeating: "r", count: 129))
        event["type"] = "Odd"
        #expect(Fixture.causes(event, events).map(\.summary) == [
            "involvedObject.namespace FieldValueInvalid Invalid value: \"other\": does not match event.namespace",
            "reason FieldValueTooLong Too long: may not be more than 128 bytes",
            "type FieldValueNotSupported Unsupported value: \"Odd\": supported values: \"Normal\", \"Warning\"",
        ])
    }
}
