import Foundation
import Model

extension JSONPath {
    /// The template's output for `root`, as `kubectl -o jsonpath` prints it: literal text as is,
    /// each action's results separated by spaces, strings bare, maps and lists as compact JSON
    /// with sorted keys. Missing fields print nothing (kubectl allows missing keys here).
    func render(_ root: JSONValue) -> String {
        Self.render(nodes, current: root, root: root)
    }

    private static func render(_ nodes: [Node], current: JSONValue, root: JSONValue) -> String {
        var out = ""
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .path(let segments):
                out += evaluate(segments, on: current, root: root).map(text).joined(separator: " ")
            case .range(let segments, let body):
                for element in evaluate(segments, on: current, root: root) { out += render(body, current: element, root: root) }
            }
        }
        return out
    }

    /// Every value the template's paths select (for `--sort-by` and custom columns, whose
    /// templates hold one path).
    func values(_ root: JSONValue) -> [JSONValue] {
        nodes.flatMap { node -> [JSONValue] in
            if case .path(let segments) = node { return Self.evaluate(segments, on: root) }
            return []
        }
    }

    /// A selected value as text: strings bare, numbers and booleans as JSON, the rest as JSON
    /// with sorted keys (Go's `json.Marshal` of a map).
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .null: return ""
        case .double(let d) where d.rounded() == d && abs(d) < 1e15: return String(Int64(d))
        default: return sortedKeys(value).jsonString()
        }
    }

    static func sortedKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.pairs.sorted { $0.key < $1.key }.map { ($0.key, sortedKeys($0.value)) }))
        case .array(let items):
            return .array(items.map(sortedKeys))
        default:
            return value
        }
    }

    /// The values `segments` select from `value`.
    static func evaluate(_ segments: [Segment], on value: JSONValue, root: JSONValue? = nil) -> [JSONValue] {
        var current = [value]
        for segment in segments {
            if segment == .root {
                current = [root ?? value]
                continue
            }
            current = current.flatMap { apply(segment, to: $0) }
        }
        return current
    }

    static func apply(_ segment: Segment, to value: JSONValue) -> [JSONValue] {
        switch segment {
        case .root:
            return [value]
        case .field(let name):
            return value[name].map { [$0] } ?? []
        case .recursive(let name):
            return descendants(of: value).compactMap { $0[name] }
        case .wildcard:
            if let items = value.array { return items }
            return value.object?.pairs.map(\.value) ?? []
        case .index(let index):
            guard let items = value.array else { return [] }
            let i = index < 0 ? items.count + index : index
            return items.indices.contains(i) ? [items[i]] : []
        case .slice(let start, let end, let step):
            guard let items = value.array else { return [] }
            return slice(items, start: start, end: end, step: step)
        case .union(let members):
            return members.flatMap { apply($0, to: value) }
        case .filter(let filter):
            guard let items = value.array else { return [] }
            return items.filter { matches(filter, $0) }
        }
    }

    /// The value and everything under it, depth first.
    static func descendants(of value: JSONValue) -> [JSONValue] {
        switch value {
        case .object(let object): return [value] + object.pairs.flatMap { descendants(of: $0.value) }
        case .array(let items): return [value] + items.flatMap(descendants)
        default: return [value]
        }
    }

    static func slice(_ items: [JSONValue], start: Int?, end: Int?, step: Int?) -> [JSONValue] {
        let count = items.count
        func clamp(_ n: Int) -> Int { min(max(n < 0 ? n + count : n, 0), count) }
        let from = clamp(start ?? 0), to = clamp(end ?? count), by = max(step ?? 1, 1)
        guard from < to else { return [] }
        return stride(from: from, to: to, by: by).map { items[$0] }
    }

    static func matches(_ filter: Filter, _ element: JSONValue) -> Bool {
        let left = operandValues(filter.left, element)
        guard let op = filter.op, let rightOperand = filter.right else {
            return left.contains { !$0.isNull && $0 != .bool(false) }
        }
        guard let l = left.first, let r = operandValues(rightOperand, element).first else { return false }
        if let a = l.double, let b = r.double { return compare(a, b, op) }
        if let a = l.string, let b = r.string { return compare(a, b, op) }
        switch op {
        case "==": return l == r
        case "!=": return l != r
        default: return false
        }
    }

    static func operandValues(_ operand: Operand, _ element: JSONValue) -> [JSONValue] {
        switch operand {
        case .path(let segments): return evaluate(segments, on: element)
        case .string(let s): return [.string(s)]
        case .number(let n): return [.double(n)]
        case .bool(let b): return [.bool(b)]
        }
    }

    static func compare<T: Comparable>(_ a: T, _ b: T, _ op: String) -> Bool {
        switch op {
        case "==": return a == b
        case "!=": return a != b
        case "<": return a < b
        case "<=": return a <= b
        case ">": return a > b
        default: return a >= b
        }
    }
}
