import Foundation

/// A parsed kubectl JSONPath template (`-o jsonpath=`, `custom-columns`, `--sort-by`): literal
/// text and `{…}` actions — paths such as `{.items[*].metadata.name}`, string literals such as
/// `{"\n"}`, and `{range …}…{end}` loops.
///
/// Supported path syntax: `$` (the document root, also inside `range`) and `@` (the current
/// element), `.field` (with `\.` for dots inside a key), `..field`
/// (recursive descent), `.*` and `[*]`, `[N]` and negative indices, slices `[a:b:c]`, unions
/// `[0,2]` and `['a','b']`, `['key']`, and filters `[?(@.x == "y")]` with `== != < <= > >=`
/// and bare existence `[?(@.x)]`.
struct JSONPath: Sendable, Equatable {
    /// One piece of a template.
    indirect enum Node: Sendable, Equatable {
        case text(String)
        case path([Segment])
        case range([Segment], [Node])
    }

    /// One step of a path.
    indirect enum Segment: Sendable, Equatable {
        /// `$`: back to the document root (inside `range`, `.x` and `@.x` are the current element).
        case root
        case field(String)
        case recursive(String)
        case wildcard
        case index(Int)
        case slice(start: Int?, end: Int?, step: Int?)
        case union([Segment])
        case filter(Filter)
    }

    /// `@.x == "y"`, or just `@.x` (`op` nil: the path has a value).
    struct Filter: Sendable, Equatable {
        var left: Operand
        var op: String?
        var right: Operand?
    }

    /// A side of a filter: a path from the element, or a literal.
    enum Operand: Sendable, Equatable {
        case path([Segment])
        case string(String)
        case number(Double)
        case bool(Bool)
    }

    var nodes: [Node]

    /// Parses a template; errors read as kubectl's (`unclosed action`, `not in range`).
    init(_ template: String) throws(JSONPathError) {
        var parser = JSONPathParser(Array(template))
        nodes = try parser.template()
    }

    /// kubectl's relaxed form for `--sort-by` and custom columns: `.a.b`, `a.b` and `{.a.b}` mean
    /// the same path.
    init(relaxed expression: String) throws(JSONPathError) {
        var text = expression.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("{") && text.hasSuffix("}") { text = String(text.dropFirst().dropLast()) }
        if !text.hasPrefix(".") && !text.hasPrefix("$") && !text.hasPrefix("@") { text = "." + text }
        try self.init("{\(text)}")
    }
}

/// A template that does not parse, or a value it cannot print.
struct JSONPathError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Recursive-descent parser over the template's characters.
struct JSONPathParser {
    let chars: [Character]
    var position = 0

    init(_ chars: [Character]) { self.chars = chars }

    var atEnd: Bool { position >= chars.count }
    var current: Character? { atEnd ? nil : chars[position] }

    /// The whole template: text and actions until the end.
    mutating func template() throws(JSONPathError) -> [JSONPath.Node] {
        let (nodes, closedByEnd) = try nodes()
        if closedByEnd { throw JSONPathError("not in range, nothing to end") }
        return nodes
    }

    /// Nodes until the end of input or an `{end}` (whose presence is returned).
    mutating func nodes() throws(JSONPathError) -> ([JSONPath.Node], Bool) {
        var nodes: [JSONPath.Node] = []
        var text = ""
        while let c = current {
            guard c == "{" else {
                text.append(c)
                position += 1
                continue
            }
            if !text.isEmpty { nodes.append(.text(text)); text = "" }
            position += 1
            let action = try actionText()
            let trimmed = action.trimmingCharacters(in: .whitespaces)
            if trimmed == "end" { return (nodes, true) }
            if trimmed.hasPrefix("range ") || trimmed == "range" {
                let path = try Self.path(String(trimmed.dropFirst(5)).trimmingCharacters(in: .whitespaces))
                let (body, closed) = try self.nodes()
                guard closed else { throw JSONPathError("unclosed range: missing {end}") }
                nodes.append(.range(path, body))
            } else if let first = trimmed.first, first == "\"" || first == "'" {
                nodes.append(.text(try Self.unquote(trimmed)))
            } else {
                nodes.append(.path(try Self.path(trimmed)))
            }
        }
        if !text.isEmpty { nodes.append(.text(text)) }
        return (nodes, false)
    }

    /// The text of an action up to its closing `}` (braces inside quotes do not count).
    mutating func actionText() throws(JSONPathError) -> String {
        var text = ""
        var quote: Character?
        while let c = current {
            position += 1
            if let q = quote {
                text.append(c)
                if c == "\\", let next = current { text.append(next); position += 1 } else if c == q { quote = nil }
                continue
            }
            if c == "}" { return text }
            if c == "\"" || c == "'" { quote = c }
            text.append(c)
        }
        throw JSONPathError("unclosed action")
    }

    /// A Go-style quoted string: `"\n"`, `'x'`.
    static func unquote(_ text: String) throws(JSONPathError) -> String {
        let chars = Array(text)
        guard chars.count >= 2, chars.first == chars.last else { throw JSONPathError("unterminated quoted string \(text)") }
        var out = ""
        var i = 1
        while i < chars.count - 1 {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count - 1 {
                i += 1
                switch chars[i] {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                default: out.append(chars[i])
                }
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }

    /// A path expression: `.a.b[0]`, `$.a`, `@.x`, `..name`.
    static func path(_ text: String) throws(JSONPathError) -> [JSONPath.Segment] {
        var parser = JSONPathParser(Array(text))
        return try parser.segments()
    }

    mutating func segments() throws(JSONPathError) -> [JSONPath.Segment] {
        var segments: [JSONPath.Segment] = []
        if current == "$" {
            segments.append(.root)
            position += 1
        } else if current == "@" {
            position += 1
        }
        while let c = current {
            switch c {
            case ".":
                position += 1
                if current == "." {
                    position += 1
                    segments.append(.recursive(fieldName()))
                } else if current == "*" {
                    position += 1
                    segments.append(.wildcard)
                } else {
                    let name = fieldName()
                    if !name.isEmpty { segments.append(.field(name)) }
                }
            case "[":
                position += 1
                segments.append(try bracket())
            case " ", "\t":
                position += 1
            default:
                let name = fieldName()
                guard !name.isEmpty else { throw JSONPathError("unrecognized character in action: \(c)") }
                segments.append(.field(name))
            }
        }
        return segments
    }

    /// A field name up to the next `.` or `[` (a backslash keeps the next character literal).
    mutating func fieldName() -> String {
        var name = ""
        while let c = current, c != ".", c != "[", c != " " {
            if c == "\\", position + 1 < chars.count {
                name.append(chars[position + 1])
                position += 2
                continue
            }
            name.append(c)
            position += 1
        }
        return name
    }

    /// The inside of `[…]` after the opening bracket.
    mutating func bracket() throws(JSONPathError) -> JSONPath.Segment {
        var body = ""
        var depth = 0
        var quote: Character?
        while let c = current {
            position += 1
            if let q = quote {
                body.append(c)
                if c == q { quote = nil }
                continue
            }
            if c == "\"" || c == "'" { quote = c }
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if c == "]" && depth == 0 { return try Self.bracketSegment(body.trimmingCharacters(in: .whitespaces)) }
            body.append(c)
        }
        throw JSONPathError("unterminated array")
    }

    static func bracketSegment(_ body: String) throws(JSONPathError) -> JSONPath.Segment {
        if body == "*" { return .wildcard }
        if body.hasPrefix("?(") && body.hasSuffix(")") { return .filter(try filter(String(body.dropFirst(2).dropLast()))) }
        let parts = splitOutsideQuotes(body, on: ",")
        if parts.count > 1 { return .union(try parts.map { p throws(JSONPathError) in try bracketSegment(p.trimmingCharacters(in: .whitespaces)) }) }
        if let first = body.first, first == "'" || first == "\"" { return .field(try unquote(body)) }
        if body.contains(":") {
            let numbers = body.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard numbers.count <= 3 else { throw JSONPathError("invalid array slice [\(body)]") }
            func number(_ i: Int) throws(JSONPathError) -> Int? {
                guard i < numbers.count, !numbers[i].isEmpty else { return nil }
                guard let n = Int(numbers[i]) else { throw JSONPathError("invalid array index \(numbers[i])") }
                return n
            }
            return .slice(start: try number(0), end: try number(1), step: try number(2))
        }
        guard let index = Int(body) else { throw JSONPathError("invalid array index \(body)") }
        return .index(index)
    }

    /// `@.x == "y"` and friends.
    static func filter(_ text: String) throws(JSONPathError) -> JSONPath.Filter {
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            let parts = splitOutsideQuotes(text, on: op)
            if parts.count == 2 {
                return JSONPath.Filter(left: try operand(parts[0]), op: op, right: try operand(parts[1]))
            }
        }
        return JSONPath.Filter(left: try operand(text), op: nil, right: nil)
    }

    static func operand(_ raw: String) throws(JSONPathError) -> JSONPath.Operand {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let first = text.first, first == "'" || first == "\"" { return .string(try unquote(text)) }
        if text == "true" || text == "false" { return .bool(text == "true") }
        if let number = Double(text) { return .number(number) }
        guard text.hasPrefix("@") || text.hasPrefix("$") || text.hasPrefix(".") else {
            throw JSONPathError("unrecognized filter operand \(text)")
        }
        return .path(try path(text))
    }

    /// Splits on `separator` where it is not inside quotes.
    static func splitOutsideQuotes(_ text: String, on separator: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        let chars = Array(text), sep = Array(separator)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if i + sep.count <= chars.count, Array(chars[i..<(i + sep.count)]) == sep {
                parts.append(current)
                current = ""
                i += sep.count
                continue
            }
            current.append(c)
            i += 1
        }
        parts.append(current)
        return parts
    }
}
