/// A parsed label selector: a conjunction of requirements, as in `app=web,tier in (a,b),!canary`.
public struct LabelSelector: Sendable, Equatable {
    /// One requirement on one label key.
    public struct Requirement: Sendable, Equatable {
        /// The comparison a requirement makes.
        public enum Operator: String, Sendable, Equatable {
            case equals = "="
            case notEquals = "!="
            case `in` = "in"
            case notIn = "notin"
            case exists = "exists"
            case doesNotExist = "!"
        }
        public var key: String
        public var op: Operator
        /// Values for `=`/`!=` (one) and `in`/`notin` (one or more); empty for exists/!exists.
        public var values: [String]

        public init(key: String, op: Operator, values: [String] = []) {
            self.key = key
            self.op = op
            self.values = values
        }

        /// Whether `labels` satisfy this requirement (Kubernetes semantics: `!=` and `notin` match
        /// objects without the key).
        public func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch op {
            case .equals, .in: return value.map(values.contains) ?? false
            case .notEquals, .notIn: return value.map { !values.contains($0) } ?? true
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            }
        }
    }

    /// All requirements; an empty list selects everything.
    public var requirements: [Requirement]

    public init(requirements: [Requirement] = []) { self.requirements = requirements }

    /// The selector that matches every object.
    public static let everything = LabelSelector()

    /// True when the selector has no requirements.
    public var isEmpty: Bool { requirements.isEmpty }

    /// Whether `labels` satisfy every requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// Parses the query-string form (`k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`,
    /// joined by commas). Errors name the offending part.
    public static func parse(_ text: String) throws(SelectorError) -> LabelSelector {
        var requirements: [Requirement] = []
        for part in try splitTopLevel(text) {
            requirements.append(try parseRequirement(part))
        }
        return LabelSelector(requirements: requirements)
    }

    /// Builds a selector from a `metav1.LabelSelector` object (`matchLabels`, `matchExpressions`).
    public static func from(_ json: JSONValue) throws(SelectorError) -> LabelSelector {
        var requirements: [Requirement] = []
        for (k, v) in (json["matchLabels"]?.object?.pairs ?? []) {
            guard let s = v.string else { throw SelectorError("matchLabels[\(k)] must be a string") }
            requirements.append(Requirement(key: k, op: .equals, values: [s]))
        }
        for expression in json["matchExpressions"]?.array ?? [] {
            guard let key = expression["key"]?.string, let op = expression["operator"]?.string else {
                throw SelectorError("matchExpressions entries need key and operator")
            }
            let values = (expression["values"]?.array ?? []).compactMap(\.string)
            switch op {
            case "In": requirements.append(Requirement(key: key, op: .in, values: values))
            case "NotIn": requirements.append(Requirement(key: key, op: .notIn, values: values))
            case "Exists": requirements.append(Requirement(key: key, op: .exists))
            case "DoesNotExist": requirements.append(Requirement(key: key, op: .doesNotExist))
            default: throw SelectorError("\"\(op)\" is not a valid label selector operator")
            }
        }
        return LabelSelector(requirements: requirements)
    }

    /// The query-string form, e.g. `app=web,tier in (a,b)`.
    public var description: String {
        requirements.map { r in
            switch r.op {
            case .equals: return "\(r.key)=\(r.values.first ?? "")"
            case .notEquals: return "\(r.key)!=\(r.values.first ?? "")"
            case .in: return "\(r.key) in (\(r.values.joined(separator: ",")))"
            case .notIn: return "\(r.key) notin (\(r.values.joined(separator: ",")))"
            case .exists: return r.key
            case .doesNotExist: return "!\(r.key)"
            }
        }.joined(separator: ",")
    }

    /// Splits on commas that are not inside parentheses.
    private static func splitTopLevel(_ text: String) throws(SelectorError) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for c in text {
            switch c {
            case "(": depth += 1; current.append(c)
            case ")":
                depth -= 1
                if depth < 0 { throw SelectorError("unbalanced parentheses in \"\(text)\"") }
                current.append(c)
            case "," where depth == 0: parts.append(current); current = ""
            default: current.append(c)
            }
        }
        if depth != 0 { throw SelectorError("unbalanced parentheses in \"\(text)\"") }
        parts.append(current)
        let trimmed = parts.map { $0.trimmingSpaces }
        if trimmed == [""] { return [] }
        if trimmed.contains("") { throw SelectorError("empty requirement in \"\(text)\"") }
        return trimmed
    }

    private static func parseRequirement(_ part: String) throws(SelectorError) -> Requirement {
        if part.hasPrefix("!") {
            let key = String(part.dropFirst()).trimmingSpaces
            try validateKey(key, in: part)
            return Requirement(key: key, op: .doesNotExist)
        }
        for (token, op) in [("!=", Requirement.Operator.notEquals), ("==", .equals), ("=", .equals)] {
            if let range = part.range(of: token) {
                let key = String(part[..<range.lowerBound]).trimmingSpaces
                let value = String(part[range.upperBound...]).trimmingSpaces
                try validateKey(key, in: part)
                try validateValue(value, in: part)
                return Requirement(key: key, op: op, values: [value])
            }
        }
        let words = part.split(separator: " ", maxSplits: 1).map(String.init)
        if words.count == 2 {
            let rest = words[1].trimmingSpaces
            for (word, op) in [("notin", Requirement.Operator.notIn), ("in", .in)] where rest.hasPrefix(word) {
                let list = rest.dropFirst(word.count).trimmingSpaces
                guard list.hasPrefix("("), list.hasSuffix(")") else {
                    throw SelectorError("\"\(part)\": values must be in parentheses")
                }
                let values = list.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
                    .map { String($0).trimmingSpaces }
                if values.isEmpty || values == [""] { throw SelectorError("\"\(part)\": at least one value is required") }
                try validateKey(words[0], in: part)
                for v in values { try validateValue(v, in: part) }
                return Requirement(key: words[0], op: op, values: values)
            }
            throw SelectorError("\"\(part)\": unknown operator")
        }
        try validateKey(part, in: part)
        return Requirement(key: part, op: .exists)
    }

    private static func validateKey(_ key: String, in part: String) throws(SelectorError) {
        if !LabelSyntax.isQualifiedName(key) {
            throw SelectorError("\"\(part)\": invalid label key \"\(key)\"")
        }
    }

    private static func validateValue(_ value: String, in part: String) throws(SelectorError) {
        if !LabelSyntax.isLabelValue(value) {
            throw SelectorError("\"\(part)\": invalid label value \"\(value)\"")
        }
    }
}

/// A selector that could not be parsed.
public struct SelectorError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs (pure Swift: Foundation's
    /// `trimmingCharacters(in:)` bridges through NSString, a visible cost per request).
    public var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
