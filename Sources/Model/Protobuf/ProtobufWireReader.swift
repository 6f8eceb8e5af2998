/// One value as it appears on the protobuf wire, before the field table gives it a meaning.
enum ProtobufWireValue {
    /// Wire type 0.
    case varint(UInt64)
    /// Wire type 1.
    case fixed64(UInt64)
    /// Wire type 2: strings, bytes, messages, map entries and packed repeated scalars.
    case lengthDelimited(ArraySlice<UInt8>)
    /// Wire type 5.
    case fixed32(UInt32)

    /// The wire type's name for error messages.
    var wireTypeName: String {
        switch self {
        case .varint: return "varint"
        case .fixed64: return "64-bit"
        case .lengthDelimited: return "length-delimited"
        case .fixed32: return "32-bit"
        }
    }
}

/// Splits protobuf bytes into (field number, wire value) pairs. Every read is bounds-checked:
/// malformed input becomes a 400 StatusError, never a trap.
struct ProtobufWireReader {
    private let bytes: ArraySlice<UInt8>
    private var position: Int
    /// What is being read, for error messages (`batch.v1.JobSpec`).
    private let context: String

    private init(_ bytes: ArraySlice<UInt8>, context: String) {
        self.bytes = bytes
        self.position = bytes.startIndex
        self.context = context
    }

    /// All fields of a message, in wire order.
    static func fields(of bytes: ArraySlice<UInt8>, in context: String) throws(StatusError) -> [(number: Int, value: ProtobufWireValue)] {
        var reader = ProtobufWireReader(bytes, context: context)
        var fields: [(number: Int, value: ProtobufWireValue)] = []
        while !reader.isAtEnd {
            fields.append(try reader.field())
        }
        return fields
    }

    /// The varints of a packed repeated scalar field.
    static func packedVarints(_ bytes: ArraySlice<UInt8>, in context: String) throws(StatusError) -> [UInt64] {
        var reader = ProtobufWireReader(bytes, context: context)
        var values: [UInt64] = []
        while !reader.isAtEnd {
            values.append(try reader.varint())
        }
        return values
    }

    private var isAtEnd: Bool { position >= bytes.endIndex }

    /// Reads one tag and its value.
    private mutating func field() throws(StatusError) -> (number: Int, value: ProtobufWireValue) {
        let tag = try varint()
        let number = tag >> 3
        guard number >= 1, number <= 536_870_911 else {
            throw ProtobufDecoder.malformed("field number \(number) in \(context) is out of range")
        }
        switch tag & 7 {
        case 0: return (Int(number), .varint(try varint()))
        case 1: return (Int(number), .fixed64(try fixed(8)))
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.endIndex - position) else {
                throw ProtobufDecoder.malformed("field \(number) in \(context) claims \(length) bytes but only \(bytes.endIndex - position) remain")
            }
            let start = position
            position += Int(length)
            return (Int(number), .lengthDelimited(bytes[start..<position]))
        case 5: return (Int(number), .fixed32(UInt32(try fixed(4))))
        default:
            throw ProtobufDecoder.malformed("field \(number) in \(context) has unsupported wire type \(tag & 7)")
        }
    }

    /// Reads a base-128 varint of at most ten bytes.
    private mutating func varint() throws(StatusError) -> UInt64 {
        var result: UInt64 = 0
        for index in 0..<10 {
            guard position < bytes.endIndex else {
                throw ProtobufDecoder.malformed("a varint in \(context) is cut off at the end of the data")
            }
            let byte = bytes[position]
            position += 1
            // The tenth byte may only carry the 64th bit.
            if index == 9 && byte > 1 {
                throw ProtobufDecoder.malformed("a varint in \(context) is longer than 64 bits")
            }
            result |= UInt64(byte & 0x7f) << UInt64(7 * index)
            if byte & 0x80 == 0 { return result }
        }
        throw ProtobufDecoder.malformed("a varint in \(context) is longer than ten bytes")
    }

    /// Reads a little-endian fixed-width integer of `width` bytes.
    private mutating func fixed(_ width: Int) throws(StatusError) -> UInt64 {
        guard bytes.endIndex - position >= width else {
            throw ProtobufDecoder.malformed("a \(width * 8)-bit value in \(context) is cut off at the end of the data")
        }
        var result: UInt64 = 0
        for index in 0..<width {
            result |= UInt64(bytes[position + index]) << UInt64(8 * index)
        }
        position += width
        return result
    }
}
