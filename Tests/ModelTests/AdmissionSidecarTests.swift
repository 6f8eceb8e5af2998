import Foundation
import Model
import Testing

/// Sidecar containers (init containers with `restartPolicy: Always`) in pod admission.
@Suite struct AdmissionSidecarTests {
    let pods = ResourceCatalog.pods

    static let sidecar: JSONValue = ["name": "proxy", "image": "busybox", "command": ["sleep", "600"], "restartPolicy": "Always",
                                     "startupProbe": ["exec": ["command": ["true"]]],
                                     "readinessProbe": ["exec": ["command": ["true"]]],
                                     "livenessProbe": ["exec": ["command": ["true"]]]]
    static let setup: JSONValue = ["name": "setup", "image": "busybox", "command": ["true"]]

    @Test func anInitContainerWithRestartPolicyAlwaysAndProbesIsAccepted() throws {
        let pod = Fixture.pod.setting("spec.initContainers", [Self.sidecar, Self.setup])
        let admitted = try Fixture.admit(pod, pods).get()
        #expect(admitted.at("spec.initContainers.0.restartPolicy") == "Always")
        #expect(admitted.at("spec.initContainers.1.restartPolicy") == nil)
    }

    static let invalid: [Fixture.Change] = [
        ("spec.initContainers.0.restartPolicy", "OnFailure", "spec.initContainers[0].restartPolicy", "FieldValueNotSupported",
         "Unsupported value: \"OnFailure\": supported values: \"Always\""),
        ("spec.initContainers.0.restartPolicy", "Never", "spec.initContainers[0].restartPolicy", "FieldValueNotSupported",
         "Unsupported value: \"Never\": supported values: \"Always\""),
        ("spec.containers.0.restartPolicy", "Always", "spec.containers[0].restartPolicy", "FieldValueForbidden",
         "Forbidden: may not be set for non-init containers"),
        ("spec.initContainers.1.livenessProbe", ["exec": ["command": ["true"]]], "spec.initContainers[1].livenessProbe",
         "FieldValueForbidden", "Forbidden: may not be set for init containers without restartPolicy=Always"),
        ("spec.initContainers.1.readinessProbe", ["exec": ["command": ["true"]]], "spec.initContainers[1].readinessProbe",
         "FieldValueForbidden", "Forbidden: may not be set for init containers without restartPolicy=Always"),
        ("spec.initContainers.1.startupProbe", ["exec": ["command": ["true"]]], "spec.initContainers[1].startupProbe",
         "FieldValueForbidden", "Forbidden: may not be set for init containers without restartPolicy=Always"),
        ("spec.initContainers.1.lifecycle", ["preStop": ["exec": ["command": ["true"]]]], "spec.initContainers[1].lifecycle",
         "FieldValueForbidden", "Forbidden: may not be set for init containers without restartPolicy=Always"),
    ]

    @Test(arguments: invalid)
    func restartPolicyOnContainersIsOnlyAlwaysOnInitContainers(change: Fixture.Change) {
        let base = Fixture.pod.setting("spec.initContainers", [Self.sidecar, Self.setup])
        let (found, causes) = Fixture.reports(change, on: base, pods)
        #expect(found, "got \(causes)")
    }
}
