import CYAML
import Model

/// A YAML document that could not be read.
struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    /// The 1-based number of the document the problem is in, when known.
    var document: Int?
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Reads YAML text into JSON values with libyaml's event parser: one value per document, YAML 1.1
/// plain-scalar typing (`YAMLScalar`), anchors and aliases, and `<<` merge keys.
enum YAMLReader {
    /// Every document of the stream, in order (an empty document reads as `null`).
    static func documents(_ bytes: [UInt8]) throws(YAMLError) -> [JSONValue] {
        let events = try YAMLEventStream(bytes)
        var builder = TreeBuilder(events: events)
        return try builder.stream()
    }
}

/// A libyaml event copied into Swift values.
enum YAMLEvent {
    case streamStart, streamEnd, documentStart, documentEnd
    case scalar(value: String, anchor: String?, tag: String?, plain: Bool)
    case alias(String)
    case sequenceStart(anchor: String?), sequenceEnd
    case mappingStart(anchor: String?), mappingEnd
}

/// Owns a libyaml parser over a private copy of the input.
final class YAMLEventStream {
    private var parser = yaml_parser_t()
    private let input: UnsafeMutableBufferPointer<UInt8>

    init(_ bytes: [UInt8]) throws(YAMLError) {
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        guard yaml_parser_initialize(&parser) == 1 else {
            input.deallocate()
            throw YAMLError("the YAML parser could not be initialised")
        }
        yaml_parser_set_input_string(&parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(&parser)
        input.deallocate()
    }

    /// The next event, or a `YAMLError` with line and column.
    func next() throws(YAMLError) -> YAMLEvent {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else {
            let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
            let mark = parser.problem_mark
            throw YAMLError("error converting YAML to JSON: yaml: line \(mark.line + 1), column \(mark.column + 1): \(problem)")
        }
        defer { yaml_event_delete(&event) }
        func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
        switch event.type {
        case YAML_STREAM_START_EVENT: return .streamStart
        case YAML_STREAM_END_EVENT: return .streamEnd
        case YAML_DOCUMENT_START_EVENT: return .documentStart
        case YAML_DOCUMENT_END_EVENT: return .documentEnd
        case YAML_ALIAS_EVENT: return .alias(text(event.data.alias.anchor) ?? "")
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let value = s.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: s.length), as: UTF8.self)
            } ?? ""
            return .scalar(value: value, anchor: text(s.anchor), tag: text(s.tag), plain: s.style == YAML_PLAIN_SCALAR_STYLE)
        case YAML_SEQUENCE_START_EVENT: return .sequenceStart(anchor: text(event.data.sequence_start.anchor))
        case YAML_SEQUENCE_END_EVENT: return .sequenceEnd
        case YAML_MAPPING_START_EVENT: return .mappingStart(anchor: text(event.data.mapping_start.anchor))
        case YAML_MAPPING_END_EVENT: return .mappingEnd
        default: throw YAMLError("error converting YAML to JSON: unexpected parser event")
        }
    }
}

/// Builds JSON trees from the event stream.
private struct TreeBuilder {
    let events: YAMLEventStream
    var anchors: [String: JSONValue] = [:]
    var depth = 0

    init(events: YAMLEventStream) { self.events = events }

    mutating func stream() throws(YAMLError) -> [JSONValue] {
        var documents: [JSONValue] = []
        while true {
            do throws(YAMLError) {
                switch try events.next() {
                case .streamStart, .documentEnd: continue
                case .streamEnd: return documents
                case .documentStart:
                    anchors = [:]
                    documents.append(try node(try events.next()))
                default: throw YAMLError("error converting YAML to JSON: unexpected content between documents")
                }
            } catch {
                // Which document failed: the one after those read completely.
                var located = error
                if located.document == nil { located.document = documents.count + 1 }
                throw located
            }
        }
    }

    mutating func node(_ event: YAMLEvent) throws(YAMLError) -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        guard depth < 256 else { throw YAMLError("error converting YAML to JSON: the document is nested too deeply") }
        switch event {
        case .scalar(let value, let anchor, let tag, let plain):
            let resolved = try scalar(value, tag: tag, plain: plain)
            if let anchor { anchors[anchor] = resolved }
            return resolved
        case .alias(let name):
            guard let value = anchors[name] else { throw YAMLError("error converting YAML to JSON: unknown anchor '\(name)' referenced") }
            return value
        case .sequenceStart(let anchor):
            var elements: [JSONValue] = []
            while true {
                let next = try events.next()
                if case .sequenceEnd = next { break }
                elements.append(try node(next))
            }
            if let anchor { anchors[anchor] = .array(elements) }
            return .array(elements)
        case .mappingStart(let anchor):
            let mapping = try mapping()
            if let anchor { anchors[anchor] = mapping }
            return mapping
        default:
            throw YAMLError("error converting YAML to JSON: unexpected parser event inside a document")
        }
    }

    mutating func mapping() throws(YAMLError) -> JSONValue {
        var object = JSONObject()
        var merged: [JSONObject] = []
        while true {
            let keyEvent = try events.next()
            if case .mappingEnd = keyEvent { break }
            let key: String
            var isMergeKey = false
            switch keyEvent {
            case .scalar(let raw, _, let tag, let plain):
                isMergeKey = plain && raw == "<<"
                key = YAMLScalar.keyString(try scalar(raw, tag: tag, plain: plain), raw: raw)
            case .alias(let name):
                guard let value = anchors[name], let s = value.string ?? (value.object == nil && value.array == nil ? value.jsonString() : nil) else {
                    throw YAMLError("error converting YAML to JSON: the alias '\(name)' cannot be a mapping key")
                }
                key = s
            default:
                throw YAMLError("error converting YAML to JSON: mapping keys must be scalars")
            }
            let value = try node(try events.next())
            if isMergeKey {
                let sources = value.array ?? [value]
                for source in sources {
                    guard let o = source.object else { throw YAMLError("error converting YAML to JSON: map merge requires a mapping or a list of mappings") }
                    merged.append(o)
                }
            } else {
                object[key] = value
            }
        }
        // Explicit keys win over merged ones; earlier merge sources win over later ones.
        for source in merged {
            for (k, v) in source.pairs where object[k] == nil { object[k] = v }
        }
        return .object(object)
    }

    func scalar(_ value: String, tag: String?, plain: Bool) throws(YAMLError) -> JSONValue {
        let resolved: JSONValue
        switch tag {
        case "tag:yaml.org,2002:str": resolved = .string(value)
        case nil where !plain: resolved = .string(value)
        case "!" : resolved = .string(value)
        default: resolved = YAMLScalar.resolve(value)
        }
        if let d = resolved.double, !d.isFinite {
            throw YAMLError("error converting YAML to JSON: the value \"\(value)\" (\(d)) cannot be represented in JSON")
        }
        return resolved
    }
}
