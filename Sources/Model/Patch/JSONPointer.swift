/// An RFC 6901 JSON pointer such as `/spec/containers/0/image`; `""` is the whole document.
/// `~1` stands for `/` and `~0` for `~` inside a reference token.
public struct JSONPointer: Sendable, Equatable, CustomStringConvertible {
    /// The unescaped reference tokens, outermost first.
    public let tokens: [String]
    /// The pointer as written.
    public let description: String

    /// Parses a pointer; the error is a 422, the status upstream gives a patch whose path is unusable.
    public init(_ text: String) throws(StatusError) {
        description = text
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw .unprocessablePatch("\"\(text)\" is not a valid JSON pointer: it must be empty or start with \"/\".")
        }
        var parsed: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var escaping = false
            for c in raw {
                if escaping {
                    guard c == "0" || c == "1" else {
                        throw .unprocessablePatch("the JSON pointer \"\(text)\" has the invalid escape \"~\(c)\"; only ~0 and ~1 are allowed.")
                    }
                    token.append(c == "0" ? "~" : "/")
                    escaping = false
                } else if c == "~" {
                    escaping = true
                } else {
                    token.append(c)
                }
            }
            if escaping {
                throw .unprocessablePatch("the JSON pointer \"\(text)\" ends with an incomplete escape \"~\".")
            }
            parsed.append(token)
        }
        tokens = parsed
    }

    /// True when `other` points strictly inside the value this pointer names.
    func isProperPrefix(of other: JSONPointer) -> Bool {
        other.tokens.count > tokens.count && Array(other.tokens.prefix(tokens.count)) == tokens
    }

    /// The array index a token names: decimal digits without leading zeros, within `0..<limit`
    /// (or `0...limit` when `allowingEnd`, for inserts).
    func index(_ token: String, count: Int, allowingEnd: Bool = false) throws(StatusError) -> Int {
        let digitsOnly = !token.isEmpty && token.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        guard digitsOnly, token == "0" || !token.hasPrefix("0"), let i = Int(token) else {
            throw .unprocessablePatch("\"\(token)\" in \"\(description)\" is not a valid array index.")
        }
        guard i < count || (allowingEnd && i == count) else {
            throw .unprocessablePatch("the index \(i) in \"\(description)\" is out of bounds for an array of \(count) elements.")
        }
        return i
    }
}

extension JSONValue {
    /// The value a pointer names; a 422 when it does not exist.
    func value(at pointer: JSONPointer) throws(StatusError) -> JSONValue {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object(let o):
                guard let child = o[token] else { throw .missingPath(pointer) }
                current = child
            case .array(let a):
                current = a[try pointer.index(token, count: a.count)]
            default:
                throw .missingPath(pointer)
            }
        }
        return current
    }

    /// Runs `body` on the container that holds the pointer's last token (the parent), creating nothing
    /// on the way: every step must exist.
    mutating func updateParent(of pointer: JSONPointer,
                               _ body: (inout JSONValue, String) throws(StatusError) -> Void) throws(StatusError) {
        try updateParent(tokens: pointer.tokens[...], pointer: pointer, body)
    }

    private mutating func updateParent(tokens: ArraySlice<String>, pointer: JSONPointer,
                                       _ body: (inout JSONValue, String) throws(StatusError) -> Void) throws(StatusError) {
        guard let token = tokens.first else { return }
        if tokens.count == 1 {
            try body(&self, token)
            return
        }
        let rest = tokens.dropFirst()
        switch self {
        case .object(var o):
            guard var child = o[token] else { throw .missingParent(pointer) }
            try child.updateParent(tokens: rest, pointer: pointer, body)
            o[token] = child
            self = .object(o)
        case .array(var a):
            let i = try pointer.index(token, count: a.count)
            try a[i].updateParent(tokens: rest, pointer: pointer, body)
            self = .array(a)
        default:
            throw .missingParent(pointer)
        }
    }
}

extension StatusError {
    static func missingPath(_ pointer: JSONPointer) -> StatusError {
        .unprocessablePatch("the path \"\(pointer)\" does not exist in the object.")
    }

    static func missingParent(_ pointer: JSONPointer) -> StatusError {
        .unprocessablePatch("the parent of \"\(pointer)\" does not exist in the object or is not an object or array.")
    }
}
