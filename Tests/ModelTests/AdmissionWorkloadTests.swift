import Foundation
import Model
import Testing

@Suite struct AdmissionWorkloadTests {
    let deployments = ResourceCatalog.deployments
    let replicaSets = ResourceCatalog.replicaSets
    let daemonSets = ResourceCatalog.daemonSets

    static let deploymentDefaults: [(String, JSONValue)] = [
        ("spec.replicas", 1),
        ("spec.strategy", ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]]),
        ("spec.revisionHistoryLimit", 10),
        ("spec.progressDeadlineSeconds", 600),
        ("spec.template.spec.restartPolicy", "Always"),
        ("spec.template.spec.containers.0.imagePullPolicy", "Always"),
    ]

    @Test(arguments: deploymentDefaults)
    func createFillsDeploymentDefaults(path: String, expected: JSONValue) {
        #expect(Fixture.defaulted(Fixture.deployment, deployments).at(path) == expected)
    }

    @Test func recreateStrategyGetsNoRollingUpdate() {
        let admitted = Fixture.defaulted(Fixture.deployment.setting("spec.strategy", ["type": "Recreate"]), deployments)
        #expect(admitted.at("spec.strategy") == ["type": "Recreate"])
    }

    @Test func replicaSetAndDaemonSetDefaults() {
        #expect(Fixture.defaulted(Fixture.replicaSet, replicaSets).at("spec.replicas") == 1)
        let ds = Fixture.defaulted(Fixture.daemonSet, daemonSets)
        #expect(ds.at("spec.updateStrategy") == ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1, "maxSurge": 0]])
        #expect(ds.at("spec.revisionHistoryLimit") == 10)
        #expect(ds.at("spec.replicas") == nil)
    }

    static let invalidDeployments: [Fixture.Change] = [
        ("spec.selector", nil, "spec.selector", "FieldValueRequired", "Required value"),
        ("spec.selector", .emptyObject, "spec.selector", "FieldValueInvalid", "Invalid value: {}: empty selector is invalid for deployment"),
        ("spec.template.metadata.labels", ["app": "other"], "spec.template.metadata.labels", "FieldValueInvalid",
         "Invalid value: {\"app\":\"other\"}: `selector` does not match template `labels`"),
        ("spec.replicas", -1, "spec.replicas", "FieldValueInvalid", "Invalid value: -1: must be greater than or equal to 0"),
        ("spec.template.spec.restartPolicy", "Never", "spec.template.spec.restartPolicy", "FieldValueNotSupported",
         "Unsupported value: \"Never\": supported values: \"Always\""),
        ("spec.strategy", ["type": "Recreate", "rollingUpdate": ["maxSurge": 1]], "spec.strategy.rollingUpdate", "FieldValueForbidden",
         "Forbidden: may not be specified when strategy `type` is 'Recreate'"),
        ("spec.strategy", ["type": "Blue"], "spec.strategy.type", "FieldValueNotSupported",
         "Unsupported value: \"Blue\": supported values: \"Recreate\", \"RollingUpdate\""),
        ("spec.strategy.rollingUpdate", ["maxUnavailable": "ten", "maxSurge": 1], "spec.strategy.rollingUpdate.maxUnavailable", "FieldValueInvalid",
         "Invalid value: \"ten\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"),
        ("spec.strategy.rollingUpdate", ["maxUnavailable": "150%", "maxSurge": 1], "spec.strategy.rollingUpdate.maxUnavailable", "FieldValueInvalid",
         "Invalid value: \"150%\": must not be greater than 100%"),
        ("spec.strategy.rollingUpdate", ["maxUnavailable": 0, "maxSurge": "0%"], "spec.strategy.rollingUpdate.maxUnavailable", "FieldValueInvalid",
         "Invalid value: 0: may not be 0 when `maxSurge` is 0"),
        ("spec.strategy.rollingUpdate", ["maxUnavailable": 1, "maxSurge": -1], "spec.strategy.rollingUpdate.maxSurge", "FieldValueInvalid",
         "Invalid value: -1: must be greater than or equal to 0"),
        ("spec.progressDeadlineSeconds", 5, "spec.progressDeadlineSeconds", "FieldValueInvalid", "Invalid value: 5: must be greater than minReadySeconds"),
        ("spec.selector", ["matchExpressions": [["key": "app", "operator": "In"]]], "spec.selector.matchExpressions[0].values", "FieldValueRequired",
         "Required value: must be specified when `operator` is 'In' or 'NotIn'"),
        ("spec.template.spec.activeDeadlineSeconds", 10, "spec.template.spec.activeDeadlineSeconds", "FieldValueForbidden",
         "Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"),
    ]

    @Test(arguments: invalidDeployments)
    func invalidDeploymentReportsTheFieldReasonAndMessage(change: Fixture.Change) {
        let base = Fixture.deployment.setting("spec.minReadySeconds", change.path == "spec.progressDeadlineSeconds" ? 10 : nil)
        let (found, causes) = Fixture.reports(change, on: base, deployments)
        #expect(found, "got \(causes)")
    }

    @Test func theSameSelectorRulesApplyToReplicaSetsAndDaemonSets() {
        let mismatched = "spec.template.metadata.labels FieldValueInvalid Invalid value: {\"app\":\"x\"}: `selector` does not match template `labels`"
        #expect(Fixture.causes(Fixture.replicaSet.setting("spec.template.metadata.labels", ["app": "x"]), replicaSets).map(\.summary) == [mismatched])
        #expect(Fixture.causes(Fixture.daemonSet.setting("spec.template.metadata.labels", ["app": "x"]), daemonSets).map(\.summary) == [mismatched])
    }

    @Test func daemonSetUpdateStrategyIsChecked() {
        let ds = Fixture.daemonSet.setting("spec.updateStrategy", ["type": "Sometimes"])
        #expect(Fixture.causes(ds, daemonSets).map(\.summary) == [
            "spec.updateStrategy.type FieldValueNotSupported Unsupported value: \"Sometimes\": supported values: \"OnDelete\", \"RollingUpdate\"",
        ])
    }

    @Test(arguments: ["Deployment", "ReplicaSet", "DaemonSet"])
    func selectorIsImmutable(kind: String) {
        let resource = ResourceCatalog.all.first { $0.kind == kind } ?? deployments
        let old = Fixture.defaulted(Fixture.deployment.setting("kind", .string(kind)), resource)
        let new = old.setting("spec.selector.matchLabels.tier", "x").setting("spec.template.metadata.labels.tier", "x")
        #expect(Fixture.causes(new, resource, .update(old: old)).map(\.summary) == [
            "spec.selector FieldValueInvalid Invalid value: {\"matchLabels\":{\"app\":\"web\",\"tier\":\"x\"}}: field is immutable",
        ])
        #expect(Fixture.causes(old.setting("spec.template.spec.containers.0.image", "nginx:2"), resource, .update(old: old)).isEmpty)
    }

    @Test func scaleAndStatusWritesAreChecked() {
        let old = Fixture.defaulted(Fixture.deployment, deployments)
        #expect(Fixture.causes(old.setting("spec.replicas", 5), deployments, .update(old: old)).isEmpty)
        let status = old.setting("status", ["replicas": 2, "readyReplicas": -1, "conditions": [["type": "Available", "status": "Maybe"]]])
        #expect(Fixture.causes(status, deployments, .updateStatus(old: old)).map(\.field) == ["status.readyReplicas", "status.conditions[0].status"])
    }
}
