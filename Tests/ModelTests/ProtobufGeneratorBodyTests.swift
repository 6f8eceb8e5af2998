import Model
import Testing

/// The protobuf bodies `kubectl create job|cronjob|deployment|namespace` and drain's DELETE
/// fallback send decode to exactly the JSON of KUBE-API.md §9 ("Decoded generator bodies").
@Suite struct ProtobufGeneratorBodyTests {
    /// Parses the expected JSON and adds the envelope's apiVersion and kind.
    func expected(_ apiVersion: String, _ kind: String, _ json: String) throws -> JSONValue {
        var value = try JSONValue.parse(json)
        value["apiVersion"] = .string(apiVersion)
        value["kind"] = .string(kind)
        return value
    }

    @Test func createJobBodyDecodesToTheGeneratorJSON() throws {
        let container = GoWire.container(name: "w1", image: "busybox", command: ["echo", "hi"])
        let template = GoWire.podTemplate(GoWire.objectMeta(), GoWire.podSpec([container], restartPolicy: "Never"))
        let job = PB().message(1, GoWire.objectMeta(name: "w1"))
            .message(2, GoWire.jobSpec(template))
            .message(3, GoWire.emptyJobStatus)

        let decoded = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("batch/v1", "Job", job))

        #expect(decoded.apiVersion == "batch/v1")
        #expect(decoded.kind == "Job")
        #expect(decoded.object == (try expected("batch/v1", "Job", """
            {"metadata":{"name":"w1"},"spec":{"template":{"spec":{"containers":[{"name":"w1","image":"busybox","command":["echo","hi"]}],"restartPolicy":"Never"}}}}
            """)))
    }

    @Test func createCronJobBodyDecodesToTheGeneratorJSON() throws {
        let container = GoWire.container(name: "cj1", image: "busybox", command: ["echo", "hi"])
        let template = GoWire.podTemplate(GoWire.objectMeta(), GoWire.podSpec([container], restartPolicy: "OnFailure"))
        let jobTemplate = PB().message(1, GoWire.objectMeta(name: "cj1")).message(2, GoWire.jobSpec(template))
        let spec = PB().string(1, "*/1 * * * *").string(3, "").message(5, jobTemplate)
        let cronJob = PB().message(1, GoWire.objectMeta(name: "cj1")).message(2, spec).message(3, PB())

        let decoded = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("batch/v1", "CronJob", cronJob))

        #expect(decoded.object == (try expected("batch/v1", "CronJob", """
            {"metadata":{"name":"cj1"},"spec":{"schedule":"*/1 * * * *","jobTemplate":{"metadata":{"name":"cj1"},"spec":{"template":{"spec":{"containers":[{"name":"cj1","image":"busybox","command":["echo","hi"]}],"restartPolicy":"OnFailure"}}}}}}
            """)))
    }

    @Test func createDeploymentBodyDecodesToTheGeneratorJSON() throws {
        let labels = ["app": "d1"]
        let container = GoWire.container(name: "busybox", image: "busybox", command: ["sleep", "3600"])
        let spec = PB().int(1, 1)
            .message(2, PB().map(1, labels))
            .message(3, GoWire.podTemplate(GoWire.objectMeta(labels: labels), GoWire.podSpec([container])))
            .message(4, PB().string(1, ""))
            .int(5, 0)
            .bool(7, false)
        let status = PB().int(1, 0).int(2, 0).int(3, 0).int(4, 0).int(5, 0).int(7, 0)
        let deployment = PB().message(1, GoWire.objectMeta(name: "d1", labels: labels)).message(2, spec).message(3, status)

        let decoded = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("apps/v1", "Deployment", deployment))

        #expect(decoded.object == (try expected("apps/v1", "Deployment", """
            {"metadata":{"name":"d1","labels":{"app":"d1"}},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"d1"}},"template":{"metadata":{"labels":{"app":"d1"}},"spec":{"containers":[{"name":"busybox","image":"busybox","command":["sleep","3600"]}]}}}}
            """)))
    }

    @Test func createNamespaceBodyDecodesToTheGeneratorJSON() throws {
        let namespace = PB().message(1, GoWire.objectMeta(name: "ns1")).message(2, PB()).message(3, PB().string(1, ""))

        let decoded = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("v1", "Namespace", namespace))

        #expect(decoded.object == (try expected("v1", "Namespace", #"{"metadata":{"name":"ns1"}}"#)))
    }

    @Test func drainDeleteOptionsBodyDecodesToAnEmptyObject() throws {
        let decoded = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("v1", "DeleteOptions", PB()))

        #expect(decoded.object == ["apiVersion": "v1", "kind": "DeleteOptions"])
    }

    @Test func deleteOptionsKeepsExplicitZeroGracePeriodAndPolicy() throws {
        let options = PB().int(1, 0).string(4, "Background").bool(3, false)

        let decoded = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("v1", "DeleteOptions", options))

        #expect(decoded.object == [
            "apiVersion": "v1", "kind": "DeleteOptions",
            "gracePeriodSeconds": 0, "orphanDependents": false, "propagationPolicy": "Background",
        ])
    }

    /// ObjectMeta bytes exactly as kubectl v1.34 wrote them for `create configmap demo` (a capture
    /// published with another project's tests): name, then six empty strings, generation 0 and an
    /// empty creationTimestamp.
    static let capturedObjectMeta: [UInt8] = [
        0x0a, 0x04, 0x64, 0x65, 0x6d, 0x6f, 0x12, 0x00, 0x1a, 0x00, 0x22, 0x00, 0x2a, 0x00,
        0x32, 0x00, 0x38, 0x00, 0x42, 0x00,
    ]

    @Test func capturedKubectlObjectMetaDecodesToJustTheName() throws {
        let namespace = PB().bytes(1, Self.capturedObjectMeta).message(2, PB()).message(3, PB().string(1, ""))

        let decoded = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("v1", "Namespace", namespace))

        #expect(decoded.object == ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "demo"]])
    }
}
