import Model

/// Indented JSON as `-o json` prints it (four spaces, `"key": value`).
enum JSONPrettyPrinter {
    static func render(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out + "\n"
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent + 4)
        switch value {
        case .array(let elements) where !elements.isEmpty:
            out += "[\n"
            for (i, element) in elements.enumerated() {
                out += pad
                write(element, indent: indent + 4, into: &out)
                out += i < elements.count - 1 ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let object) where !object.isEmpty:
            out += "{\n"
            let pairs = object.pairs
            for (i, pair) in pairs.enumerated() {
                out += pad + JSONValue.string(pair.key).jsonString() + ": "
                write(pair.value, indent: indent + 4, into: &out)
                out += i < pairs.count - 1 ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        default:
            out += value.jsonString()
        }
    }
}
