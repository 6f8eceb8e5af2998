/// The type of one protobuf value: a field's value, a repeated field's element or a map's value.
enum ProtobufValueType: Sendable, Equatable {
    case string
    /// Raw bytes; base64 in JSON.
    case bytes
    case bool
    /// A varint holding a two's complement int32 (negative values use all ten bytes).
    case int32
    case int64
    /// A message from the field table, by name (`batch.v1.JobSpec`).
    case message(String)
    /// meta.v1.Time `{1 seconds, 2 nanos}`; RFC 3339 with whole seconds in JSON.
    case time
    /// meta.v1.MicroTime `{1 seconds, 2 nanos}`; RFC 3339 with microseconds in JSON.
    case microTime
    /// intstr.IntOrString `{1 type, 2 intVal, 3 strVal}`; a number or a string in JSON.
    case intOrString
    /// resource.Quantity `{1 string}`; its string in JSON.
    case quantity
    /// runtime.RawExtension and meta.v1.FieldsV1 `{1 raw}`: bytes that are themselves JSON.
    case rawJSON
}

/// How a field sits in the Go struct, which decides how it appears in JSON.
enum ProtobufFieldShape: Sendable, Equatable {
    /// A non-pointer Go field. Go writes it even when zero, so a zero value means "unset" and is
    /// dropped from the JSON.
    case plain
    /// A pointer Go field. Go writes it only when set, so it is kept even when zero (`backoffLimit: 0`).
    case pointer
    /// A Go embedded struct (`json:",inline"`): its JSON fields sit in the parent object.
    case inline
    /// A repeated field; dropped when it has no elements, its elements always kept.
    case repeated
    /// A `map<string, type>`; dropped when it has no entries, its entries always kept.
    case map
}

/// One field of a protobuf message as the field table describes it.
struct ProtobufField: Sendable {
    /// The protobuf field number.
    let number: Int
    /// The JSON name.
    let name: String
    /// The value type (element type for repeated fields, value type for maps).
    let type: ProtobufValueType
    let shape: ProtobufFieldShape

    init(_ number: Int, _ name: String, _ type: ProtobufValueType, _ shape: ProtobufFieldShape = .plain) {
        self.number = number
        self.name = name
        self.type = type
        self.shape = shape
    }
}

/// The Kubernetes messages the decoder understands; the tables themselves are generated
/// (ProtobufFieldTable.swift, by scripts/gen-protobuf-fields.py).
enum ProtobufFieldTable {
    /// Message name → field number → field, built once from `messages`.
    static let byNumber: [String: [Int: ProtobufField]] = messages.mapValues { fields in
        Dictionary(fields.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
