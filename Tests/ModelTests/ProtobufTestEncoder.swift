import Model

/// A tiny protobuf encoder for building request bodies in tests: each call appends one field,
/// as Go's generated marshallers do (in field-number order, empty non-pointer fields included).
struct PB {
    private(set) var bytes: [UInt8] = []

    /// The base-128 varint encoding of `value`.
    static func varint(_ value: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        var rest = value
        while rest >= 0x80 {
            out.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
        return out
    }

    private func appending(_ field: Int, wireType: UInt64, _ payload: [UInt8]) -> PB {
        var copy = self
        copy.bytes += PB.varint(UInt64(field) << 3 | wireType) + payload
        return copy
    }

    /// A varint field (wire type 0) holding any 64-bit pattern.
    func varint(_ field: Int, _ value: UInt64) -> PB { appending(field, wireType: 0, PB.varint(value)) }
    /// An int32 or int64 field: negative values are sign-extended to ten bytes, as Go writes them.
    func int(_ field: Int, _ value: Int64) -> PB { varint(field, UInt64(bitPattern: value)) }
    func bool(_ field: Int, _ value: Bool) -> PB { varint(field, value ? 1 : 0) }
    /// A length-delimited field (wire type 2).
    func bytes(_ field: Int, _ payload: [UInt8]) -> PB {
        appending(field, wireType: 2, PB.varint(UInt64(payload.count)) + payload)
    }
    func string(_ field: Int, _ text: String) -> PB { bytes(field, Array(text.utf8)) }
    func message(_ field: Int, _ message: PB) -> PB { bytes(field, message.bytes) }
    /// One `repeated string` field: one occurrence per element.
    func strings(_ field: Int, _ texts: [String]) -> PB { texts.reduce(self) { $0.string(field, $1) } }
    /// A `map<string,string>` field: one entry message `{1 key, 2 value}` per pair, keys sorted as Go does.
    func map(_ field: Int, _ pairs: [String: String]) -> PB {
        pairs.keys.sorted().reduce(self) { $0.message(field, PB().string(1, $1).string(2, pairs[$1]!)) }
    }
    func fixed32(_ field: Int, _ value: UInt32) -> PB {
        appending(field, wireType: 5, (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) })
    }
    func fixed64(_ field: Int, _ value: UInt64) -> PB {
        appending(field, wireType: 1, (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) })
    }
}

/// A whole request body: magic number, then runtime.Unknown {typeMeta, raw, "", ""} as client-go writes it.
func kubernetesBody(_ apiVersion: String, _ kind: String, _ object: PB) -> [UInt8] {
    let unknown = PB()
        .message(1, PB().string(1, apiVersion).string(2, kind))
        .message(2, object)
        .string(3, "")
        .string(4, "")
    return ProtobufDecoder.magic + unknown.bytes
}

/// Builders for the Go structs kubectl's generators fill in, writing every non-pointer field the
/// way Go does even when it is empty.
enum GoWire {
    /// meta.v1.ObjectMeta: fields 1–8 always (name … creationTimestamp{}), then labels.
    static func objectMeta(name: String = "", labels: [String: String] = [:]) -> PB {
        PB().string(1, name).string(2, "").string(3, "").string(4, "").string(5, "").string(6, "")
            .int(7, 0).message(8, PB()).map(11, labels)
    }

    /// core.v1.Container with its empty non-pointer fields (workingDir, resources{}, tty, …).
    static func container(name: String, image: String, command: [String]) -> PB {
        PB().string(1, name).string(2, image).strings(3, command).string(5, "").message(8, PB())
            .string(13, "").string(14, "").bool(16, false).bool(17, false).bool(18, false).string(20, "")
    }

    /// core.v1.PodSpec with its empty non-pointer strings and bools.
    static func podSpec(_ containers: [PB], restartPolicy: String = "") -> PB {
        containers.reduce(PB()) { $0.message(2, $1) }
            .string(3, restartPolicy).string(6, "").string(8, "").string(9, "").string(10, "")
            .bool(11, false).bool(12, false).bool(13, false).string(16, "").string(17, "").string(19, "")
            .string(24, "")
    }

    /// core.v1.PodTemplateSpec.
    static func podTemplate(_ metadata: PB, _ spec: PB) -> PB { PB().message(1, metadata).message(2, spec) }

    /// batch.v1.JobSpec: only `template` is a non-pointer field.
    static func jobSpec(_ template: PB) -> PB { PB().message(6, template) }

    /// batch.v1.JobStatus as Go writes an empty one: zero counters and completedIndexes "".
    static let emptyJobStatus = PB().int(4, 0).int(5, 0).int(6, 0).string(7, "")
}
