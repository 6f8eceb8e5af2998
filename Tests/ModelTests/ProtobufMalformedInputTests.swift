import Model
import Testing

/// Bad protobuf bodies become 400 BadRequest errors with a readable message, never a crash.
@Suite struct ProtobufMalformedInputTests {
    /// The error decoding `bytes` throws, or nil if it decodes.
    func decodeError(_ bytes: [UInt8]) -> StatusError? {
        do {
            _ = try ProtobufDecoder.decodeKubernetesEnvelope(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// A small valid Job body.
    static let jobBody = kubernetesBody("batch/v1", "Job", PB()
        .message(1, GoWire.objectMeta(name: "w1", labels: ["app": "w1"]))
        .message(2, GoWire.jobSpec(GoWire.podTemplate(GoWire.objectMeta(), GoWire.podSpec(
            [GoWire.container(name: "w1", image: "busybox", command: ["echo", "hi"])], restartPolicy: "Never"))))
        .message(3, GoWire.emptyJobStatus))

    @Test(arguments: [
        ("empty body", [UInt8]()),
        ("short body", [0x6b, 0x38]),
        ("JSON body", Array(#"{"kind":"Job"}"#.utf8)),
        ("wrong fourth magic byte", [0x6b, 0x38, 0x73, 0x01, 0x0a, 0x00]),
    ])
    func bodiesWithoutTheMagicNumberAreRejected(_ name: String, _ bytes: [UInt8]) {
        let error = decodeError(bytes)

        #expect(error?.code == 400, "\(name)")
        #expect(error?.reason == "BadRequest")
        #expect(error?.message.contains("6b 38 73 00") == true)
    }

    @Test(arguments: [
        ("truncated varint", ProtobufDecoder.magic + [0x0a, 0x80], "cut off"),
        ("varint longer than ten bytes", ProtobufDecoder.magic + [0x08] + [UInt8](repeating: 0xff, count: 11), "longer than 64 bits"),
        ("length past the end", ProtobufDecoder.magic + [0x12, 0x05, 0x01], "claims 5 bytes but only 1 remain"),
        ("group wire type", ProtobufDecoder.magic + [0x0b], "unsupported wire type 3"),
        ("field number zero", ProtobufDecoder.magic + [0x02, 0x00], "field number 0"),
        ("typeMeta as a varint", ProtobufDecoder.magic + [0x08, 0x01], "should be length-delimited"),
    ])
    func malformedEnvelopesAreBadRequests(_ name: String, _ bytes: [UInt8], _ detail: String) {
        let error = decodeError(bytes)

        #expect(error?.code == 400, "\(name)")
        #expect(error?.message.hasPrefix("the protobuf request body is malformed: ") == true, "\(name): \(String(describing: error))")
        #expect(error?.message.contains(detail) == true, "\(name): \(String(describing: error))")
    }

    @Test func malformedObjectBytesNameTheMessage() {
        let body = kubernetesBody("batch/v1", "Job", PB().message(2, PB().bytes(6, [0x0a, 0x09, 0x00])))

        let error = decodeError(body)

        #expect(error?.code == 400)
        #expect(error?.message.contains("core.v1.PodTemplateSpec") == true, "\(String(describing: error))")
    }

    @Test func aFieldWithTheWrongWireTypeIsABadRequest() {
        let body = kubernetesBody("v1", "Namespace", PB().message(1, PB().varint(1, 5)))

        let error = decodeError(body)

        #expect(error?.code == 400)
        #expect(error?.message.contains("field name of meta.v1.ObjectMeta should be length-delimited but is varint") == true)
    }

    @Test func invalidUTF8InAStringIsABadRequest() {
        let body = kubernetesBody("v1", "Namespace", PB().message(1, PB().bytes(1, [0x61, 0xff, 0x62])))

        #expect(decodeError(body)?.message.contains("not valid UTF-8") == true)
    }

    @Test func kindsTheServerDoesNotDecodeAreBadRequests() {
        let configMap = kubernetesBody("v1", "PersistentVolumeClaim", PB().message(1, GoWire.objectMeta(name: "demo")))

        let error = decodeError(configMap)

        #expect(error?.code == 400)
        #expect(error?.message == "the server cannot decode a PersistentVolumeClaim from protobuf; send it as application/json")
    }

    @Test func aKnownKindInAnotherGroupVersionIsABadRequest() {
        let error = decodeError(kubernetesBody("events.k8s.io/v1", "Event", PB()))

        #expect(error?.code == 400)
        #expect(error?.message.contains("only as v1") == true)
    }

    @Test func anEnvelopeWithoutAKindIsABadRequest() {
        let error = decodeError(ProtobufDecoder.magic + PB().message(2, PB()).bytes)

        #expect(error?.message == "the protobuf request body is malformed: the envelope names no kind")
    }

    @Test func encodedContentIsABadRequest() {
        let unknown = PB().message(1, PB().string(1, "v1").string(2, "Namespace")).message(2, PB()).string(3, "gzip")

        #expect(decodeError(ProtobufDecoder.magic + unknown.bytes)?.message.contains("content encoding \"gzip\"") == true)
    }

    @Test func anOutOfRangeTimeIsABadRequest() {
        let metadata = PB().message(8, PB().int(1, Int64.max))

        let error = decodeError(kubernetesBody("v1", "Namespace", PB().message(1, metadata)))

        #expect(error?.message.contains("out of range") == true)
    }

    @Test func invalidEmbeddedJSONIsABadRequest() {
        let metadata = PB().message(17, PB().message(7, PB().bytes(1, Array("{nope".utf8))))

        let error = decodeError(kubernetesBody("v1", "Namespace", PB().message(1, metadata)))

        #expect(error?.message.contains("embedded JSON in meta.v1.ManagedFieldsEntry.fieldsV1 is invalid") == true)
    }

    @Test func everyTruncationOfAValidBodyDecodesOrFailsWithBadRequest() {
        let body = Self.jobBody
        #expect(decodeError(body) == nil)
        for length in 0..<body.count {
            let error = decodeError(Array(body.prefix(length)))
            #expect(error == nil || error?.code == 400, "prefix of \(length) bytes")
        }
    }

    @Test func corruptedBytesDecodeOrFailWithBadRequest() {
        // A fixed linear congruential sequence, so every run corrupts the same bytes.
        var state: UInt64 = 0x2545_f491_4f6c_dd1d
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for _ in 0..<500 {
            var body = Self.jobBody
            for _ in 0..<3 {
                let index = ProtobufDecoder.magic.count + next() % (body.count - ProtobufDecoder.magic.count)
                body[index] = UInt8(truncatingIfNeeded: next())
            }
            let error = decodeError(body)
            #expect(error == nil || error?.code == 400)
        }
    }
}
