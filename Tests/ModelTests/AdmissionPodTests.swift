import Foundation
import Model
import Testing

@Suite struct AdmissionPodTests {
    let pods = ResourceCatalog.pods

    @Test(arguments: [
        ("spec.restartPolicy", JSONValue.string("Always")),
        ("spec.terminationGracePeriodSeconds", 30),
        ("spec.dnsPolicy", "ClusterFirst"),
        ("spec.schedulerName", "default-scheduler"),
        ("spec.enableServiceLinks", true),
        ("spec.securityContext", .emptyObject),
        ("spec.priority", 0),
        ("spec.containers.0.imagePullPolicy", "IfNotPresent"),
        ("spec.containers.0.terminationMessagePath", "/dev/termination-log"),
        ("spec.containers.0.terminationMessagePolicy", "File"),
        ("spec.containers.0.resources", .emptyObject),
        ("status.phase", "Pending"),
        ("status.qosClass", "BestEffort"),
    ])
    func createFillsPodDefaults(path: String, expected: JSONValue) {
        #expect(Fixture.defaulted(Fixture.pod, pods).at(path) == expected)
    }

    @Test(arguments: [
        ("busybox", "Always"), ("busybox:latest", "Always"), ("busybox:1.36", "IfNotPresent"),
        ("registry:5000/team/app", "Always"), ("registry:5000/team/app:v2", "IfNotPresent"),
        ("app@sha256:abcd", "IfNotPresent"),
    ])
    func imagePullPolicyFollowsTheTag(image: String, policy: String) {
        let pod = Fixture.pod.setting("spec.containers.0.image", .string(image))
        #expect(Fixture.defaulted(pod, pods).at("spec.containers.0.imagePullPolicy") == .string(policy))
    }

    @Test func requestsDefaultToLimitsAndMakeThePodGuaranteed() {
        let pod = Fixture.pod.setting("spec.containers.0.resources", ["limits": ["cpu": "500m", "memory": 1024]])
        let admitted = Fixture.defaulted(pod, pods)
        #expect(admitted.at("spec.containers.0.resources.requests") == ["cpu": "500m", "memory": "1024"])
        #expect(admitted.at("spec.containers.0.resources.limits.memory") == "1024")
        #expect(admitted.at("status.qosClass") == "Guaranteed")
    }

    @Test func probesAndPortsGetDefaults() {
        let pod = Fixture.pod
            .setting("spec.containers.0.ports", [["containerPort": 8080]])
            .setting("spec.containers.0.livenessProbe", ["httpGet": ["port": 8080]])
        let admitted = Fixture.defaulted(pod, pods)
        #expect(admitted.at("spec.containers.0.ports.0.protocol") == "TCP")
        #expect(admitted.at("spec.containers.0.livenessProbe") == [
            "httpGet": ["port": 8080, "path": "/", "scheme": "HTTP"],
            "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3,
        ])
    }

    @Test func aVolumeWithoutSourceBecomesEmptyDir() {
        let pod = Fixture.pod.setting("spec.volumes", [["name": "scratch"]])
        #expect(Fixture.defaulted(pod, pods).at("spec.volumes.0.emptyDir") == .emptyObject)
    }

    @Test func userValuesAreKept() {
        let pod = Fixture.pod.setting("spec.restartPolicy", "Never").setting("spec.terminationGracePeriodSeconds", 5)
        let admitted = Fixture.defaulted(pod, pods)
        #expect(admitted.at("spec.restartPolicy") == "Never")
        #expect(admitted.at("spec.terminationGracePeriodSeconds") == 5)
    }

    @Test func imageIsOptionalForDrover() {
        #expect(Fixture.causes(Fixture.pod.setting("spec.containers.0.image", nil), pods).isEmpty)
    }

    /// (path to change, new value, expected field, reason, message)
    static let invalidPods: [Fixture.Change] = [
        ("spec.containers", [], "spec.containers", "FieldValueRequired", "Required value"),
        ("spec.containers.0.name", nil, "spec.containers[0].name", "FieldValueRequired", "Required value"),
        ("spec.containers.0.name", "Main", "spec.containers[0].name", "FieldValueInvalid",
         "Invalid value: \"Main\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
        ("spec.initContainers", [["name": "main", "image": "x"]], "spec.containers[0].name", "FieldValueDuplicate", "Duplicate value: \"main\""),
        ("spec.containers.0.image", "", "spec.containers[0].image", "FieldValueRequired", "Required value"),
        ("spec.containers.0.command", ["ok", 3], "spec.containers[0].command[1]", "FieldValueTypeInvalid", "Invalid value: 3: must be of type string"),
        ("spec.containers.0.env", [["name": "1BAD", "value": "x"]], "spec.containers[0].env[0].name", "FieldValueInvalid",
         "Invalid value: \"1BAD\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"),
        ("spec.containers.0.env", [["name": "X", "valueFrom": ["fieldRef": ["fieldPath": "spec.bogus"]]]],
         "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath", "FieldValueNotSupported",
         "Unsupported value: \"spec.bogus\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"metadata.labels\", \"metadata.annotations\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\""),
        ("spec.containers.0.ports", [["containerPort": 70000]], "spec.containers[0].ports[0].containerPort", "FieldValueInvalid",
         "Invalid value: 70000: must be between 1 and 65535, inclusive"),
        ("spec.containers.0.ports", [["name": "http"]], "spec.containers[0].ports[0].containerPort", "FieldValueRequired", "Required value"),
        ("spec.containers.0.resources", ["limits": ["cpu": "lots"]], "spec.containers[0].resources.limits[cpu]", "FieldValueInvalid",
         "Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
        ("spec.containers.0.resources", ["limits": ["cpu": "1"], "requests": ["cpu": "2"]], "spec.containers[0].resources.requests[cpu]",
         "FieldValueInvalid", "Invalid value: \"2\": must be less than or equal to cpu limit of 1"),
        ("spec.containers.0.resources", ["requests": ["memory": "-1Gi"]], "spec.containers[0].resources.requests[memory]",
         "FieldValueInvalid", "Invalid value: \"-1Gi\": must be greater than or equal to 0"),
        ("spec.restartPolicy", "Sometimes", "spec.restartPolicy", "FieldValueNotSupported",
         "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""),
        ("spec.activeDeadlineSeconds", 0, "spec.activeDeadlineSeconds", "FieldValueInvalid",
         "Invalid value: 0: must be between 1 and 2147483647, inclusive"),
        ("spec.terminationGracePeriodSeconds", -1, "spec.terminationGracePeriodSeconds", "FieldValueInvalid",
         "Invalid value: -1: must be greater than or equal to 0"),
        ("spec.nodeSelector", ["disk": "fast ssd"], "spec.nodeSelector", "FieldValueInvalid",
         "Invalid value: \"fast ssd\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
        ("spec.tolerations", [["key": "k", "operator": "Maybe"]], "spec.tolerations[0].operator", "FieldValueNotSupported",
         "Unsupported value: \"Maybe\": supported values: \"Equal\", \"Exists\""),
        ("spec.tolerations", [["key": "k", "effect": "NoSchedule", "tolerationSeconds": 5]], "spec.tolerations[0].effect", "FieldValueInvalid",
         "Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"),
        ("spec.tolerations", [["operator": "Equal", "value": "v"]], "spec.tolerations[0].operator", "FieldValueInvalid",
         "Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\""),
        ("spec.tolerations", [["key": "k", "effect": "Sometimes"]], "spec.tolerations[0].effect", "FieldValueNotSupported",
         "Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""),
        ("spec.affinity", ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
            ["matchExpressions": [["key": "zone", "operator": "In", "values": []]]]]]]],
         "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values",
         "FieldValueRequired", "Required value: must be specified when `operator` is 'In' or 'NotIn'"),
        ("spec.affinity", ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
            ["matchExpressions": [["key": "cpus", "operator": "Gt", "values": ["1", "2"]]]]]]]],
         "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values",
         "FieldValueRequired", "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'"),
        ("spec.affinity", ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
            ["matchExpressions": [["key": "zone", "operator": "Exists", "values": ["a"]]]]]]]],
         "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values",
         "FieldValueForbidden", "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        ("spec.affinity", ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
            ["matchExpressions": [["key": "zone", "operator": "Near"]]]]]]],
         "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator",
         "FieldValueInvalid", "Invalid value: \"Near\": not a valid selector operator"),
        ("spec.containers.0.livenessProbe", ["periodSeconds": 5], "spec.containers[0].livenessProbe", "FieldValueRequired",
         "Required value: must specify a handler type"),
        ("spec.containers.0.livenessProbe", ["exec": ["command": ["true"]], "tcpSocket": ["port": 80]],
         "spec.containers[0].livenessProbe.tcpSocket", "FieldValueForbidden", "Forbidden: may not specify more than 1 handler type"),
        ("spec.containers.0.livenessProbe", ["exec": ["command": ["true"]], "failureThreshold": -2],
         "spec.containers[0].livenessProbe.failureThreshold", "FieldValueInvalid", "Invalid value: -2: must be greater than or equal to 0"),
        ("spec.containers.0.volumeMounts", [["name": "data", "mountPath": "/data"]], "spec.containers[0].volumeMounts[0].name",
         "FieldValueNotFound", "Not found: \"data\""),
        ("spec.volumes", [["name": "a", "emptyDir": [:]], ["name": "a", "emptyDir": [:]]], "spec.volumes[1].name",
         "FieldValueDuplicate", "Duplicate value: \"a\""),
        ("spec", "not an object", "spec", "FieldValueTypeInvalid", "Invalid value: \"not an object\": must be of type object"),
        ("spec.containers", "oops", "spec.containers", "FieldValueTypeInvalid", "Invalid value: \"oops\": must be of type array"),
        ("spec.containers.0", 42, "spec.containers[0]", "FieldValueTypeInvalid", "Invalid value: 42: must be of type object"),
    ]

    @Test(arguments: invalidPods)
    func invalidPodReportsTheFieldReasonAndMessage(change: Fixture.Change) {
        let (found, causes) = Fixture.reports(change, on: Fixture.pod, pods)
        #expect(found, "got \(causes)")
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        let pod = Fixture.pod
            .setting("spec.containers.0.name", "Bad_Name")
            .setting("spec.restartPolicy", "Sometimes")
            .setting("metadata.labels", ["ok": "has space"])
        let fields = Set(Fixture.causes(pod, pods).map(\.field))
        #expect(fields == ["spec.containers[0].name", "spec.restartPolicy", "metadata.labels"])
    }

    @Test func podUpdateMayChangeImagesAndAddTolerations() {
        let old = Fixture.defaulted(Fixture.pod, pods)
        let new = old.setting("spec.containers.0.image", "busybox:1.37")
            .setting("spec.tolerations", [["key": "k", "operator": "Exists"]])
        #expect(Fixture.causes(new, pods, .update(old: old)).isEmpty)
    }

    @Test func podUpdateMayNotChangeOtherSpecFields() {
        let old = Fixture.defaulted(Fixture.pod, pods)
        let new = old.setting("spec.containers.0.command", ["sleep", "99"])
        let causes = Fixture.causes(new, pods, .update(old: old))
        #expect(causes.count == 1)
        #expect(causes.first?.field == "spec")
        #expect(causes.first?.reason == "FieldValueForbidden")
        #expect(causes.first?.message.hasPrefix("Forbidden: pod updates may not change fields other than `spec.containers[*].image`") == true)
    }

    @Test func activeDeadlineMayOnlyShrink() {
        let old = Fixture.defaulted(Fixture.pod.setting("spec.activeDeadlineSeconds", 100), pods)
        #expect(Fixture.causes(old.setting("spec.activeDeadlineSeconds", 50), pods, .update(old: old)).isEmpty)
        #expect(Fixture.causes(old.setting("spec.activeDeadlineSeconds", 200), pods, .update(old: old)).map(\.summary)
            == ["spec.activeDeadlineSeconds FieldValueInvalid Invalid value: 200: must be less than or equal to previous value"])
    }

    @Test func statusUpdateValidatesOnlyStatus() {
        let old = Fixture.defaulted(Fixture.pod, pods)
        #expect(Fixture.causes(old.setting("status.phase", "Running"), pods, .updateStatus(old: old)).isEmpty)
        #expect(Fixture.causes(old.setting("status.phase", "Sleeping"), pods, .updateStatus(old: old)).map(\.field) == ["status.phase"])
        let badRestarts = old.setting("status.containerStatuses", [["name": "main", "restartCount": -1]])
        #expect(Fixture.causes(badRestarts, pods, .updateStatus(old: old)).map(\.field) == ["status.containerStatuses[0].restartCount"])
    }
}
