import Foundation

/// Everything read for one field of one message before it becomes JSON.
private struct CollectedField {
    /// Singular message-typed fields: the bytes of every occurrence, concatenated, which is how
    /// protobuf merges repeated occurrences of a singular message.
    var messageBytes: [UInt8] = []
    /// Singular scalar fields: the last occurrence wins.
    var scalar: JSONValue?
    /// Repeated fields, in wire order.
    var elements: [JSONValue] = []
    /// Map fields; a later duplicate key replaces the earlier value.
    var entries = JSONObject()
}

extension ProtobufValueType {
    /// True for types carried as length-delimited messages (messages and the special types).
    var isMessage: Bool {
        switch self {
        case .string, .bytes, .bool, .int32, .int64: return false
        case .message, .time, .microTime, .intOrString, .quantity, .rawJSON: return true
        }
    }
}

extension JSONValue {
    /// True for what Go writes for an unset non-pointer field: zero, false, "", [] or {}.
    var isGoZero: Bool {
        switch self {
        case .null: return true
        case .bool(let b): return !b
        case .int(let i): return i == 0
        case .double(let d): return d == 0
        case .string(let s): return s.isEmpty
        case .array(let a): return a.isEmpty
        case .object(let o): return o.isEmpty
        }
    }
}

extension ProtobufDecoder {
    /// Decodes the bytes of message `name` into a JSON object with the JSON field names.
    /// Unknown field numbers are skipped; zero non-pointer fields are dropped (see `ProtobufFieldShape`).
    static func decodeMessage(_ bytes: ArraySlice<UInt8>, as name: String) throws(StatusError) -> JSONObject {
        guard let fields = ProtobufFieldTable.messages[name], let byNumber = ProtobufFieldTable.byNumber[name] else {
            throw StatusError.internalError("the protobuf field table has no message \(name)")
        }
        var collected: [Int: CollectedField] = [:]
        for (number, value) in try ProtobufWireReader.fields(of: bytes, in: name) {
            guard let field = byNumber[number] else { continue }
            try collect(value, for: field, of: name, into: &collected[number, default: CollectedField()])
        }
        var object = JSONObject()
        for field in fields {
            guard let found = collected[field.number] else { continue }
            switch field.shape {
            case .plain, .pointer, .inline:
                var value = found.scalar
                if field.type.isMessage {
                    value = try decodeValue(.lengthDelimited(found.messageBytes[...]), as: field.type,
                                            field: field.name, of: name)
                }
                guard let value, field.shape == .pointer || !value.isGoZero else { continue }
                if field.shape == .inline, let inner = value.object {
                    for (key, innerValue) in inner.pairs where object[key] == nil { object[key] = innerValue }
                } else {
                    object[field.name] = value
                }
            case .repeated:
                if !found.elements.isEmpty { object[field.name] = .array(found.elements) }
            case .map:
                if !found.entries.isEmpty { object[field.name] = .object(found.entries) }
            }
        }
        return object
    }

    /// Adds one wire occurrence of `field` to what has been collected for it.
    private static func collect(_ value: ProtobufWireValue, for field: ProtobufField, of message: String,
                                into collected: inout CollectedField) throws(StatusError) {
        switch field.shape {
        case .plain, .pointer, .inline:
            if field.type.isMessage {
                collected.messageBytes += try lengthDelimited(value, field: field.name, in: message)
            } else {
                collected.scalar = try decodeValue(value, as: field.type, field: field.name, of: message)
            }
        case .repeated:
            if case .lengthDelimited(let packed) = value, field.type.isVarint {
                for number in try ProtobufWireReader.packedVarints(packed, in: "\(message).\(field.name)") {
                    collected.elements.append(scalarValue(number, as: field.type))
                }
            } else {
                let element = try decodeValue(value, as: field.type, field: field.name, of: message)
                collected.elements.append(element ?? .null)
            }
        case .map:
            let entry = try lengthDelimited(value, field: field.name, in: message)
            let (key, entryValue) = try mapEntry(entry, of: field, in: message)
            collected.entries[key] = entryValue
        }
    }

    /// A map entry `{1 key, 2 value}`; a missing part is its type's zero value.
    private static func mapEntry(_ bytes: ArraySlice<UInt8>, of field: ProtobufField,
                                 in message: String) throws(StatusError) -> (String, JSONValue) {
        let context = "\(message).\(field.name)"
        var key = ""
        var value: JSONValue?
        for (number, wire) in try ProtobufWireReader.fields(of: bytes, in: context) {
            switch number {
            case 1: key = try string(wire, field: "key", in: context)
            case 2: value = try decodeValue(wire, as: field.type, field: "value", of: context)
            default: continue
            }
        }
        if value == nil {
            value = field.type.isVarint
                ? scalarValue(0, as: field.type)
                : try decodeValue(.lengthDelimited([]), as: field.type, field: "value", of: context)
        }
        return (key, value ?? .null)
    }

    /// One wire value as JSON, or nil for a value JSON leaves out (a zero time, empty raw JSON).
    private static func decodeValue(_ value: ProtobufWireValue, as type: ProtobufValueType, field: String,
                                    of message: String) throws(StatusError) -> JSONValue? {
        switch type {
        case .string:
            return .string(try string(value, field: field, in: message))
        case .bytes:
            let bytes = try lengthDelimited(value, field: field, in: message)
            return .string(Data(bytes).base64EncodedString())
        case .bool, .int32, .int64:
            return scalarValue(try varint(value, field: field, in: message), as: type)
        case .message(let name):
            let bytes = try lengthDelimited(value, field: field, in: message)
            return .object(try decodeMessage(bytes, as: name))
        case .time, .microTime, .intOrString, .quantity, .rawJSON:
            let bytes = try lengthDelimited(value, field: field, in: message)
            return try decodeSpecial(bytes, as: type, context: "\(message).\(field)")
        }
    }

    /// A varint as the JSON of a bool, int32 or int64 field. Negative int32s arrive sign-extended
    /// to 64 bits, so truncating to 32 bits restores them.
    private static func scalarValue(_ number: UInt64, as type: ProtobufValueType) -> JSONValue {
        switch type {
        case .bool: return .bool(number != 0)
        case .int32: return .int(Int64(Int32(truncatingIfNeeded: number)))
        default: return .int(Int64(bitPattern: number))
        }
    }
}

extension ProtobufValueType {
    /// True for scalars carried as varints; repeated ones may also arrive packed into one
    /// length-delimited value.
    fileprivate var isVarint: Bool {
        switch self {
        case .bool, .int32, .int64: return true
        default: return false
        }
    }
}
