import Foundation

/// A JSON document as a tree: the form in which the API server reads, patches, validates and
/// writes Kubernetes objects without losing fields it does not know about.
///
/// Objects keep their keys in insertion order so output is stable and diffs stay readable.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// An integer that fits in 64 bits; kept apart from `.double` so `3` never turns into `3.0`.
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// An empty JSON object, `{}`.
    public static var emptyObject: JSONValue { .object(JSONObject()) }
}

/// An ordered JSON object: members in insertion order in one array. Lookups scan it while the
/// object is small (Kubernetes objects mostly have a handful of keys per level: one allocation
/// and no hashing beats a dictionary there); past `indexThreshold` members a key → position
/// index keeps lookups O(1), so big maps (labels, ConfigMap data) stay linear to build.
public struct JSONObject: Sendable, Equatable {
    /// Key/value pairs in order.
    public private(set) var pairs: [(key: String, value: JSONValue)] = []
    /// Position of each key, kept only while the object has more than `indexThreshold` members.
    private var index: [String: Int]?

    /// Members up to which lookups scan instead of hashing.
    static let indexThreshold = 12

    /// Creates an empty object.
    public init() {}

    /// Creates an object from key/value pairs; a later duplicate key replaces the earlier value.
    public init(_ pairs: [(String, JSONValue)]) {
        self.pairs.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    /// The keys in order.
    public var keys: [String] { pairs.map(\.key) }

    /// The value for `key`; assigning `nil` removes the key.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { pairs[$0].value } }
        set {
            if let newValue {
                if let i = position(of: key) {
                    pairs[i].value = newValue
                } else {
                    pairs.append((key, newValue))
                    if index != nil {
                        index?[key] = pairs.count - 1
                    } else if pairs.count > Self.indexThreshold {
                        rebuildIndex()
                    }
                }
            } else if let i = position(of: key) {
                pairs.remove(at: i)
                rebuildIndex()
            }
        }
    }

    /// Number of keys.
    public var count: Int { pairs.count }
    /// True when the object has no keys.
    public var isEmpty: Bool { pairs.isEmpty }

    /// Order-insensitive equality, as JSON defines it.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.pairs.count == rhs.pairs.count else { return false }
        for (key, value) in lhs.pairs {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        for i in pairs.indices where pairs[i].key == key { return i }
        return nil
    }

    private mutating func rebuildIndex() {
        guard pairs.count > Self.indexThreshold else {
            index = nil
            return
        }
        var positions: [String: Int] = [:]
        positions.reserveCapacity(pairs.count)
        for (i, pair) in pairs.enumerated() { positions[pair.key] = i }
        index = positions
    }
}

// No ExpressibleByNilLiteral: `nil` must always mean "absent" (Optional), never JSON null.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}

extension JSONValue {
    /// The string, if this is a string.
    public var string: String? { if case .string(let s) = self { return s }; return nil }
    /// The integer, if this is an integer (or a double with no fractional part).
    public var int: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e18: return Int64(d)
        default: return nil
        }
    }
    /// The number as a double, if this is a number.
    public var double: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    /// The boolean, if this is a boolean.
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    /// The elements, if this is an array.
    public var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    /// The object, if this is an object.
    public var object: JSONObject? { if case .object(let o) = self { return o }; return nil }
    /// True for `null`.
    public var isNull: Bool { if case .null = self { return true }; return false }

    /// The JSON type name used in error messages ("string", "object", ...).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Member access on objects; `nil` for missing keys and non-objects. Assigning through it on a
    /// non-object turns the value into an object first; assigning `nil` removes the key.
    public subscript(key: String) -> JSONValue? {
        get { if case .object(let o) = self { return o[key] }; return nil }
        set {
            var o = object ?? JSONObject()
            self = .null   // `o` is now the only reference: the member is set in place, not on a copy
            o[key] = newValue
            self = .object(o)
        }
    }

    /// Element access on arrays; `nil` when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// The value at a path of object keys, e.g. `["metadata", "name"]`.
    public func value(at path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current
    }

    /// Sets (or, with `nil`, removes) the value at a path of object keys, creating objects on the way.
    public mutating func setValue(_ value: JSONValue?, at path: [String]) {
        guard let first = path.first else {
            self = value ?? .null
            return
        }
        if path.count == 1 {
            self[first] = value
            return
        }
        var child = self[first] ?? .emptyObject
        if child.object == nil { child = .emptyObject }
        self[first] = .null   // `child` is now the only reference: changed in place, not copied
        child.setValue(value, at: Array(path.dropFirst()))
        self[first] = child
    }

    /// A string map (labels, annotations) at this value; non-string values are skipped.
    public var stringMap: [String: String] {
        guard let o = object else { return [:] }
        var out: [String: String] = [:]
        for (k, v) in o.pairs { if let s = v.string { out[k] = s } }
        return out
    }

    /// Builds a JSON object from a string map with keys sorted, so output is deterministic.
    public static func stringMap(_ map: [String: String]) -> JSONValue {
        .object(JSONObject(map.keys.sorted().map { ($0, .string(map[$0]!)) }))
    }
}
