import Foundation
import Model
import Testing

@Suite struct AdmissionMetadataTests {
    let pods = ResourceCatalog.pods

    static let invalidMetadata: [Fixture.Change] = [
        ("metadata.name", nil, "metadata.name", "FieldValueRequired", "Required value: name or generateName is required"),
        ("metadata.name", "Web_1", "metadata.name", "FieldValueInvalid",
         "Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        ("metadata.namespace", nil, "metadata.namespace", "FieldValueRequired", "Required value"),
        ("metadata.labels", ["bad key": "v"], "metadata.labels", "FieldValueInvalid",
         "Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
        ("metadata.labels", ["example.com/": "v"], "metadata.labels", "FieldValueInvalid", "Invalid value: \"example.com/\": name part must be non-empty"),
        ("metadata.labels", ["k": .string(String(repeating: "v", count: 64))], "metadata.labels", "FieldValueInvalid",
         "Invalid value: \"\(String(repeating: "v", count: 64))\": must be no more than 63 characters"),
        ("metadata.labels", ["k": 5], "metadata.labels[k]", "FieldValueTypeInvalid", "Invalid value: 5: must be of type string"),
        ("metadata.annotations", ["Bad/Prefix/x": "v"], "metadata.annotations", "FieldValueInvalid",
         "Invalid value: \"Bad/Prefix/x\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"),
        ("metadata.annotations", ["big": .string(String(repeating: "x", count: 262_145))], "metadata.annotations", "FieldValueTooLong",
         "Too long: may not be more than 262144 bytes"),
        ("metadata.ownerReferences", [["apiVersion": "batch/v1", "kind": "Job", "name": "x"]], "metadata.ownerReferences.uid",
         "FieldValueInvalid", "Invalid value: \"\": uid must not be empty"),
        ("metadata", "text", "metadata", "FieldValueTypeInvalid", "Invalid value: \"text\": must be of type object"),
    ]

    @Test(arguments: invalidMetadata)
    func invalidMetadataReportsTheFieldReasonAndMessage(change: Fixture.Change) {
        let (found, causes) = Fixture.reports(change, on: Fixture.pod, pods)
        #expect(found, "got \(causes)")
    }

    @Test func generateNameStandsInForName() {
        let pod = Fixture.pod.setting("metadata.name", nil).setting("metadata.generateName", "web-")
        #expect(Fixture.causes(pod, pods).isEmpty)
    }

    @Test func twoControllerReferencesAreRejected() {
        let refs: JSONValue = [
            ["apiVersion": "batch/v1", "kind": "Job", "name": "a", "uid": "1", "controller": true],
            ["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "b", "uid": "2", "controller": true],
        ]
        let causes = Fixture.causes(Fixture.pod.setting("metadata.ownerReferences", refs), pods)
        #expect(causes.count == 1)
        #expect(causes.first?.message.hasSuffix("Only one reference can have Controller set to true. Found \"true\" in references for Job/a and ReplicaSet/b") == true)
    }

    @Test(arguments: ["name", "namespace", "uid", "creationTimestamp"])
    func identityFieldsAreImmutable(field: String) {
        let old = Fixture.defaulted(Fixture.pod, pods)
        let new = old.setting("metadata.\(field)", "changed")
        #expect(Fixture.causes(new, pods, .update(old: old)).contains {
            $0.field == "metadata.\(field)" && $0.message == "Invalid value: \"changed\": field is immutable"
        })
        #expect(Fixture.causes(new, pods, .updateStatus(old: old)).contains { $0.field == "metadata.\(field)" })
    }

    @Test func labelsMayChangeOnUpdate() {
        let old = Fixture.defaulted(Fixture.pod, pods)
        #expect(Fixture.causes(old.setting("metadata.labels", ["tier": "web"]), pods, .update(old: old)).isEmpty)
    }

    @Test func invalidMessageListsAllCausesInBrackets() {
        let pod = Fixture.pod.setting("spec.restartPolicy", "x").setting("spec.dnsPolicy", "y")
        guard case .failure(let error) = Fixture.admit(pod, pods) else {
            Issue.record("expected rejection")
            return
        }
        #expect(error.message == "Pod \"web\" is invalid: [spec.restartPolicy: Unsupported value: \"x\": supported values: \"Always\", \"OnFailure\", \"Never\", spec.dnsPolicy: Unsupported value: \"y\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"]")
    }

    @Test func aNonObjectBodyIsABadRequest() {
        guard case .failure(let error) = Fixture.admit("just a string", pods) else {
            Issue.record("expected rejection")
            return
        }
        #expect(error.code == 400)
    }

    /// Wrong JSON types anywhere become causes, never crashes.
    @Test(arguments: ["metadata", "spec", "status", "spec.template", "spec.template.spec", "spec.jobTemplate",
                      "spec.selector", "spec.strategy", "spec.updateStrategy", "involvedObject", "spec.taints"])
    func wrongTypesNeverCrash(path: String) {
        for resource in ResourceCatalog.all {
            for value: JSONValue in ["s", 1, true, [1, "x"], .null] {
                let base = resource.kind == "Job" ? Fixture.job : Fixture.deployment
                let object = base.setting("kind", .string(resource.kind)).setting(path, value)
                _ = Fixture.admit(object, resource)
                _ = Fixture.admit(object, resource, .update(old: base))
                _ = Fixture.admit(object, resource, .updateStatus(old: base))
            }
        }
    }
}
