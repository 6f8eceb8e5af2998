import Foundation
import Model
import Testing

@Suite struct SchemaTests {
    @Test func validObjectsHaveNoUnknownFields() {
        #expect(Schema.unknownFields(in: Fixture.job, kind: "Job").isEmpty)
        #expect(Schema.unknownFields(in: Fixture.cronJob, kind: "CronJob").isEmpty)
        #expect(Schema.unknownFields(in: Fixture.deployment, kind: "Deployment").isEmpty)
    }

    @Test func defaultedObjectsHaveNoUnknownFields() {
        for (object, resource) in [(Fixture.pod, ResourceCatalog.pods), (Fixture.job, ResourceCatalog.jobs),
                                   (Fixture.cronJob, ResourceCatalog.cronJobs), (Fixture.deployment, ResourceCatalog.deployments),
                                   (Fixture.daemonSet, ResourceCatalog.daemonSets)] {
            let admitted = Fixture.defaulted(object, resource)
            #expect(admitted != .null)
            #expect(Schema.unknownFields(in: admitted, kind: resource.kind).isEmpty)
        }
    }

    static let unknownCases: [(String, String, String)] = [
        ("Job", "spec.foo", "spec.foo"),
        ("Job", "spec.template.spec.containers.0.bar", "spec.template.spec.containers[0].bar"),
        ("Job", "metadata.labelz", "metadata.labelz"),
        ("Job", "extra", "extra"),
        ("Job", "status.bogus", "status.bogus"),
        ("Job", "spec.template.metadata.nope", "spec.template.metadata.nope"),
        ("CronJob", "spec.jobTemplate.spec.template.spec.containers.0.env", "spec.jobTemplate.spec.template.spec.containers[0].env"),
        ("Deployment", "spec.strategy.rollingUpdate.maxSurges", "spec.strategy.rollingUpdate.maxSurges"),
    ]

    @Test(arguments: unknownCases)
    func unknownFieldsAreReportedWithTheirPaths(kind: String, path: String, expected: String) {
        let base: JSONValue = switch kind {
        case "CronJob": Fixture.cronJob
        case "Deployment": Fixture.deployment
        default: Fixture.job
        }
        let value: JSONValue = path.hasSuffix(".env") ? [["name": "A", "valu": "typo"]] : 1
        let expectedPath = path.hasSuffix(".env") ? "\(expected)[0].valu" : expected
        #expect(Schema.unknownFields(in: base.setting(path, value), kind: kind) == [expectedPath])
    }

    @Test func inlineStructsAndLeavesAreKnown() {
        let pod = Fixture.pod
            .setting("spec.volumes", [["name": "v", "emptyDir": ["sizeLimit": "1Gi"]]])
            .setting("spec.containers.0.livenessProbe", ["httpGet": ["port": "http", "path": "/"], "periodSeconds": 3])
            .setting("spec.containers.0.env", [["name": "A", "valueFrom": ["secretKeyRef": ["name": "s", "key": "k"]]]])
            .setting("spec.containers.0.resources", ["limits": ["example.com/gpu": 1, "anything": "2"]])
            .setting("metadata.labels", ["any.key/here": "v"])
            .setting("metadata.managedFields", [["manager": "kubectl", "fieldsV1": ["f:spec": ["f:x": [:]]]]])
        #expect(Schema.unknownFields(in: pod, kind: "Pod").isEmpty)
    }

    @Test func strictErrorHasUpstreamWording() {
        // Paths come in document order; `foo` is added after `template` here.
        let job = Fixture.job.setting("spec.template.spec.containers.0.bar", true).setting("spec.foo", 1)
        let error = Schema.strictDecodingError(in: job, kind: "Job")
        #expect(error?.code == 400)
        #expect(error?.reason == "BadRequest")
        #expect(error?.message == "strict decoding error: unknown field \"spec.template.spec.containers[0].bar\", unknown field \"spec.foo\"")
        #expect(Schema.strictDecodingError(in: Fixture.job, kind: "Job") == nil)
    }

    @Test func auxiliaryKindsAreCovered() {
        #expect(Schema.unknownFields(in: ["propagationPolicy": "Background", "gracePeriodSeconds": 0, "kind": "DeleteOptions"], kind: "DeleteOptions").isEmpty)
        #expect(Schema.unknownFields(in: ["spec": ["replicas": 2, "extra": 1]], kind: "Scale") == ["spec.extra"])
        #expect(Schema.knows(kind: "ObjectMeta") && Schema.knows(kind: "ListMeta"))
    }

    @Test func wrongTypesAndUnknownKindsAreNotSchemaErrors() {
        #expect(Schema.unknownFields(in: Fixture.job.setting("spec.template", "text"), kind: "Job").isEmpty)
        #expect(Schema.unknownFields(in: Fixture.job.setting("spec.template.spec.containers", ["x"]), kind: "Job").isEmpty)
        #expect(Schema.unknownFields(in: Fixture.job, kind: "Widget").isEmpty)
        #expect(Schema.unknownFields(in: "not an object", kind: "Job").isEmpty)
    }
}
