import Model
import Testing

/// Field-level decoding: Go pointer fields, maps, special types, packed scalars, inline structs.
@Suite struct ProtobufDecoderTests {
    /// Decodes a Job whose JobSpec is `spec` and returns the decoded `spec`.
    func decodedJobSpec(_ spec: PB) throws -> JSONValue? {
        let job = PB().message(1, GoWire.objectMeta(name: "j")).message(2, spec)
        return try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("batch/v1", "Job", job)).object["spec"]
    }

    /// Decodes a Pod with the given PodSpec and returns the decoded `spec`.
    func decodedPodSpec(_ spec: PB) throws -> JSONValue? {
        let pod = PB().message(1, GoWire.objectMeta(name: "p")).message(2, spec)
        return try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("v1", "Pod", pod)).object["spec"]
    }

    @Test func explicitZeroPointerFieldsSurvive() throws {
        let spec = try decodedJobSpec(PB().int(1, 0).int(7, 0).bool(10, false))

        #expect(spec == ["parallelism": 0, "backoffLimit": 0, "suspend": false])
    }

    @Test func zeroNonPointerFieldsAreDropped() throws {
        let spec = PB().int(1, 3).message(4, PB().string(1, "")).int(5, 0).bool(7, false)
        let deployment = PB().message(1, GoWire.objectMeta(name: "d")).message(2, spec)

        let object = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("apps/v1", "Deployment", deployment)).object

        #expect(object["spec"] == ["replicas": 3])
    }

    @Test func negativeIntegersDecodeFromSignExtendedVarints() throws {
        let spec = try decodedJobSpec(PB().int(7, -1).int(3, -30))

        #expect(spec == ["backoffLimit": -1, "activeDeadlineSeconds": -30])
        #expect(PB().int(7, -1).bytes.count == 11, "Go writes a negative int32 as a ten-byte varint")
    }

    @Test func labelsAndAnnotationsBecomeObjectsKeepingEmptyValues() throws {
        let metadata = GoWire.objectMeta(name: "n", labels: ["app": "web", "empty": ""])
            .message(12, PB().string(1, "note"))
        let namespace = PB().message(1, metadata)

        let object = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("v1", "Namespace", namespace)).object

        #expect(object["metadata"] == [
            "name": "n", "labels": ["app": "web", "empty": ""], "annotations": ["note": ""],
        ])
    }

    @Test func intOrStringDecodesToANumberOrAString() throws {
        let rollingUpdate = PB()
            .message(1, PB().int(1, 1).int(2, 0).string(3, "25%"))
            .message(2, PB().int(1, 0).int(2, 2).string(3, ""))
        let spec = PB().message(4, PB().string(1, "RollingUpdate").message(2, rollingUpdate))
        let deployment = PB().message(1, GoWire.objectMeta(name: "d")).message(2, spec)

        let object = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("apps/v1", "Deployment", deployment)).object

        #expect(object["spec"] == [
            "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": 2]],
        ])
    }

    @Test func timesBecomeRFC3339AndZeroTimesAreOmitted() throws {
        let metadata = PB().string(1, "n")
            .message(8, PB().int(1, 1_700_000_000).int(2, 0))
            .message(9, PB())
        let object = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("v1", "Namespace", PB().message(1, metadata))).object

        #expect(object["metadata"] == ["name": "n", "creationTimestamp": "2023-11-14T22:13:20Z"])
    }

    @Test func microTimesKeepMicroseconds() throws {
        let event = PB().message(1, GoWire.objectMeta(name: "e"))
            .string(3, "Started")
            .message(10, PB().int(1, 1_700_000_000).int(2, 123_456_789))
            .message(11, PB().int(1, 2).message(2, PB().int(1, 1_700_000_001).int(2, 5_000)))

        let object = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("v1", "Event", event)).object

        #expect(object["eventTime"] == "2023-11-14T22:13:20.123456Z")
        #expect(object["series"] == ["count": 2, "lastObservedTime": "2023-11-14T22:13:21.000005Z"])
        #expect(object["reason"] == "Started")
    }

    @Test func packedAndUnpackedRepeatedScalarsDecodeAlike() throws {
        func exitCodeValues(_ requirement: PB) throws -> JSONValue? {
            let rule = PB().string(1, "FailJob").message(2, requirement)
            let spec = try decodedJobSpec(PB().message(11, PB().message(1, rule)))
            return spec?.value(at: ["podFailurePolicy", "rules"])?[0]?.value(at: ["onExitCodes", "values"])
        }
        let packed = PB().string(2, "In").bytes(3, PB.varint(1) + PB.varint(2) + PB.varint(300))
        let unpacked = PB().string(2, "In").int(3, 1).int(3, 2).int(3, 300)

        #expect(try exitCodeValues(packed) == [1, 2, 300])
        #expect(try exitCodeValues(unpacked) == [1, 2, 300])
    }

    @Test func inlineStructsMergeIntoTheirParentAndEmptyPointerStructsSurvive() throws {
        let volume = PB().string(1, "cache").message(2, PB().message(2, PB().string(1, "")))
        let keyRef = PB().message(1, PB().string(1, "settings")).string(2, "mode")
        let env = PB().string(1, "MODE").string(2, "").message(3, PB().message(3, keyRef))
        let probe = PB().message(1, PB().message(1, PB().strings(1, ["true"]))).int(2, 0).int(4, 10)
        let container = GoWire.container(name: "c", image: "busybox", command: [])
            .message(7, env).message(10, probe).message(15, PB())

        let spec = try decodedPodSpec(GoWire.podSpec([container]).message(1, volume))

        #expect(spec == [
            "volumes": [["name": "cache", "emptyDir": .emptyObject]],
            "containers": [[
                "name": "c", "image": "busybox",
                "env": [["name": "MODE", "valueFrom": ["configMapKeyRef": ["name": "settings", "key": "mode"]]]],
                "livenessProbe": ["exec": ["command": ["true"]], "periodSeconds": 10],
                "securityContext": .emptyObject,
            ]],
        ])
    }

    @Test func quantitiesBecomeStrings() throws {
        let limits = PB().message(1, PB().string(1, "cpu").message(2, PB().string(1, "500m")))
        let container = GoWire.container(name: "c", image: "busybox", command: []).message(8, limits)

        let spec = try decodedPodSpec(GoWire.podSpec([container]))

        #expect(spec?["containers"]?[0]?["resources"] == ["limits": ["cpu": "500m"]])
    }

    @Test func rawJSONFieldsAreParsed() throws {
        let entry = PB().string(1, "kubectl").string(2, "Update")
            .message(7, PB().bytes(1, Array(#"{"f:metadata":{"f:labels":{}}}"#.utf8)))
        let metadata = GoWire.objectMeta(name: "n").message(17, entry)

        let object = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("v1", "Namespace", PB().message(1, metadata))).object

        #expect(object["metadata"]?["managedFields"] == [[
            "manager": "kubectl", "operation": "Update", "fieldsV1": ["f:metadata": ["f:labels": .emptyObject]],
        ]])
    }

    @Test func unknownFieldsOfEveryWireTypeAreSkipped() throws {
        let spec = PB().varint(99, 7).fixed32(98, 1).fixed64(97, 2).string(96, "x").int(7, 4)

        #expect(try decodedJobSpec(spec) == ["backoffLimit": 4])
    }

    @Test func repeatedOccurrencesOfAMessageFieldMerge() throws {
        let namespace = PB().message(1, PB().string(1, "first")).message(1, PB().map(11, ["app": "web"]))

        let object = try ProtobufDecoder.decodeKubernetesEnvelope(kubernetesBody("v1", "Namespace", namespace)).object

        #expect(object["metadata"] == ["name": "first", "labels": ["app": "web"]])
    }
}
