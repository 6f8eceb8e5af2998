import Foundation

/// Decodes Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`) into the JSON
/// that the same request would have carried as `application/json` (KUBE-API.md §9).
///
/// client-go's typed clients send these for `kubectl create job|cronjob|deployment|namespace` and
/// for drain's DELETE fallback. Field numbers and Go pointer-ness come from the generated
/// `ProtobufFieldTable`; see Protobuf/README.md for the rules.
public enum ProtobufDecoder {
    /// The four bytes every Kubernetes protobuf body starts with: `k8s\0`.
    public static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    /// The media type of Kubernetes protobuf bodies.
    public static let mediaType = "application/vnd.kubernetes.protobuf"

    /// Decodes a whole request body: the magic number, then a runtime.Unknown
    /// `{1 typeMeta{1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}` whose `raw` holds
    /// the object. The returned object carries `apiVersion` and `kind` from the envelope.
    ///
    /// Throws a 400 BadRequest for a wrong magic number, malformed protobuf, or a kind this server
    /// cannot decode.
    public static func decodeKubernetesEnvelope(_ bytes: [UInt8]) throws(StatusError) -> (apiVersion: String, kind: String, object: JSONValue) {
        guard bytes.count >= magic.count, bytes.prefix(magic.count).elementsEqual(magic) else {
            throw StatusError.badRequest("the request body is not Kubernetes protobuf: it does not start with the bytes 6b 38 73 00")
        }
        let envelope = try Envelope(bytes[magic.count...])
        guard !envelope.kind.isEmpty else {
            throw malformed("the envelope names no kind")
        }
        guard let target = ProtobufFieldTable.kinds[envelope.kind] else {
            throw StatusError.badRequest("the server cannot decode a \(envelope.kind) from protobuf; send it as application/json")
        }
        if let expected = target.apiVersion, envelope.apiVersion != expected {
            throw StatusError.badRequest("the server decodes \(envelope.kind) from protobuf only as \(expected), not \"\(envelope.apiVersion)\"; send it as application/json")
        }
        guard envelope.contentEncoding.isEmpty else {
            throw StatusError.badRequest("the protobuf request body uses content encoding \"\(envelope.contentEncoding)\", which the server does not support")
        }
        guard envelope.contentType.isEmpty || envelope.contentType == mediaType else {
            throw StatusError.badRequest("the protobuf envelope holds content of type \"\(envelope.contentType)\", which the server does not support")
        }
        var object = JSONObject()
        if !envelope.apiVersion.isEmpty { object["apiVersion"] = .string(envelope.apiVersion) }
        object["kind"] = .string(envelope.kind)
        for (key, value) in try decodeMessage(envelope.raw, as: target.message).pairs {
            object[key] = value
        }
        return (envelope.apiVersion, envelope.kind, .object(object))
    }

    /// A 400 for protobuf that cannot be read.
    static func malformed(_ detail: String) -> StatusError {
        StatusError.badRequest("the protobuf request body is malformed: \(detail)")
    }
}

/// The runtime.Unknown wrapper around the object's bytes.
private struct Envelope {
    var apiVersion = ""
    var kind = ""
    var raw = ArraySlice<UInt8>()
    var contentEncoding = ""
    var contentType = ""

    init(_ bytes: ArraySlice<UInt8>) throws(StatusError) {
        for (number, value) in try ProtobufWireReader.fields(of: bytes, in: "runtime.Unknown") {
            switch number {
            case 1:
                let typeMeta = try ProtobufDecoder.lengthDelimited(value, field: "typeMeta", in: "runtime.Unknown")
                for (typeNumber, typeValue) in try ProtobufWireReader.fields(of: typeMeta, in: "runtime.TypeMeta") {
                    switch typeNumber {
                    case 1: apiVersion = try ProtobufDecoder.string(typeValue, field: "apiVersion", in: "runtime.TypeMeta")
                    case 2: kind = try ProtobufDecoder.string(typeValue, field: "kind", in: "runtime.TypeMeta")
                    default: continue
                    }
                }
            case 2: raw = try ProtobufDecoder.lengthDelimited(value, field: "raw", in: "runtime.Unknown")
            case 3: contentEncoding = try ProtobufDecoder.string(value, field: "contentEncoding", in: "runtime.Unknown")
            case 4: contentType = try ProtobufDecoder.string(value, field: "contentType", in: "runtime.Unknown")
            default: continue
            }
        }
    }
}

extension ProtobufDecoder {
    /// The bytes of a length-delimited value; any other wire type is malformed.
    static func lengthDelimited(_ value: ProtobufWireValue, field: String, in message: String) throws(StatusError) -> ArraySlice<UInt8> {
        guard case .lengthDelimited(let bytes) = value else {
            throw malformed("field \(field) of \(message) should be length-delimited but is \(value.wireTypeName)")
        }
        return bytes
    }

    /// A varint value; any other wire type is malformed.
    static func varint(_ value: ProtobufWireValue, field: String, in message: String) throws(StatusError) -> UInt64 {
        guard case .varint(let number) = value else {
            throw malformed("field \(field) of \(message) should be a varint but is \(value.wireTypeName)")
        }
        return number
    }

    /// A UTF-8 string value.
    static func string(_ value: ProtobufWireValue, field: String, in message: String) throws(StatusError) -> String {
        let bytes = try lengthDelimited(value, field: field, in: message)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw malformed("field \(field) of \(message) is not valid UTF-8")
        }
        return text
    }
}
