extension JSONValue {
    /// JSON equality as RFC 6902 `test` defines it: numbers compare by value (`1 == 1.0`), objects
    /// ignore key order, arrays compare element by element.
    public func isEquivalent(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.int(let a), .int(let b)): return a == b
        case (.int, .double), (.double, .int), (.double, .double): return double == other.double
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isEquivalent(to: $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.pairs.allSatisfy { pair in
                b[pair.key].map { pair.value.isEquivalent(to: $0) } ?? false
            }
        default: return self == other
        }
    }
}
