import Foundation

/// The apimachinery messages whose JSON form is not an object of their fields.
extension ProtobufDecoder {
    /// Seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range RFC 3339 can write.
    private static let representableSeconds: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// Decodes a Time, MicroTime, IntOrString, Quantity or raw-JSON message; nil when JSON leaves it out.
    static func decodeSpecial(_ bytes: ArraySlice<UInt8>, as type: ProtobufValueType, context: String) throws(StatusError) -> JSONValue? {
        let fields = try ProtobufWireReader.fields(of: bytes, in: context)
        switch type {
        case .time, .microTime:
            return try time(fields, withMicroseconds: type == .microTime, context: context)
        case .intOrString:
            var isString = false
            var intValue: Int32 = 0
            var stringValue = ""
            for (number, value) in fields {
                switch number {
                case 1: isString = try varint(value, field: "type", in: context) == 1
                case 2: intValue = Int32(truncatingIfNeeded: try varint(value, field: "intVal", in: context))
                case 3: stringValue = try string(value, field: "strVal", in: context)
                default: continue
                }
            }
            return isString ? .string(stringValue) : .int(Int64(intValue))
        case .quantity:
            var text = ""
            for (number, value) in fields where number == 1 {
                text = try string(value, field: "string", in: context)
            }
            return .string(text)
        case .rawJSON:
            var raw = ArraySlice<UInt8>()
            for (number, value) in fields where number == 1 {
                raw = try lengthDelimited(value, field: "raw", in: context)
            }
            guard !raw.isEmpty else { return nil }
            do {
                return try JSONValue.parse(Array(raw))
            } catch {
                throw malformed("the embedded JSON in \(context) is invalid: \(error)")
            }
        default:
            throw StatusError.internalError("\(type) is not a special protobuf type")
        }
    }

    /// `{1 seconds, 2 nanos}` as RFC 3339; nil for the all-zero time Go writes for an unset Time.
    private static func time(_ fields: [(number: Int, value: ProtobufWireValue)], withMicroseconds: Bool,
                             context: String) throws(StatusError) -> JSONValue? {
        var seconds: Int64 = 0
        var nanos: Int64 = 0
        for (number, value) in fields {
            switch number {
            case 1: seconds = Int64(bitPattern: try varint(value, field: "seconds", in: context))
            case 2: nanos = Int64(Int32(truncatingIfNeeded: try varint(value, field: "nanos", in: context)))
            default: continue
            }
        }
        if seconds == 0 && nanos == 0 { return nil }
        guard representableSeconds.contains(seconds), (0..<1_000_000_000).contains(nanos) else {
            throw malformed("the time in \(context) (\(seconds) s, \(nanos) ns) is out of range")
        }
        let whole = Timestamp.format(Date(timeIntervalSince1970: TimeInterval(seconds)))
        guard withMicroseconds, whole.hasSuffix("Z") else { return .string(whole) }
        let micros = String(nanos / 1000)
        return .string("\(whole.dropLast()).\(String(repeating: "0", count: 6 - micros.count))\(micros)Z")
    }
}
