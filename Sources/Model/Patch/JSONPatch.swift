/// An RFC 6902 JSON patch: a list of operations applied in order, all or nothing.
///
/// A body that is not a list of well-formed operations is a 400; an operation that cannot be
/// applied to the object (missing path, index out of bounds, failed `test`) is a 422, as upstream.
public struct JSONPatch: Sendable, Equatable {
    /// One operation.
    public enum Operation: Sendable, Equatable {
        case add(JSONPointer, JSONValue)
        case remove(JSONPointer)
        case replace(JSONPointer, JSONValue)
        case move(from: JSONPointer, to: JSONPointer)
        case copy(from: JSONPointer, to: JSONPointer)
        case test(JSONPointer, JSONValue)
    }

    /// The operations in order.
    public var operations: [Operation]

    public init(operations: [Operation]) { self.operations = operations }

    /// Reads a patch document: a JSON array of `{"op", "path", "value"|"from"}` objects.
    public init(parsing document: JSONValue) throws(StatusError) {
        guard case .array(let items) = document else {
            throw .badRequest("a JSON patch must be a JSON array of operations, not \(document.typeName).")
        }
        var operations: [Operation] = []
        for (n, item) in items.enumerated() {
            operations.append(try Self.operation(item, number: n))
        }
        self.operations = operations
    }

    private static func operation(_ item: JSONValue, number n: Int) throws(StatusError) -> Operation {
        guard case .object(let o) = item else {
            throw .badRequest("JSON patch operation \(n) must be an object, not \(item.typeName).")
        }
        guard let op = o["op"]?.string else {
            throw .badRequest("JSON patch operation \(n) has no \"op\" string.")
        }
        guard let pathText = o["path"]?.string else {
            throw .badRequest("JSON patch operation \(n) (\(op)) has no \"path\" string.")
        }
        let path = try JSONPointer(pathText)
        func value() throws(StatusError) -> JSONValue {
            guard let v = o["value"] else {
                throw .badRequest("JSON patch operation \(n) (\(op) \(pathText)) has no \"value\".")
            }
            return v
        }
        func from() throws(StatusError) -> JSONPointer {
            guard let f = o["from"]?.string else {
                throw .badRequest("JSON patch operation \(n) (\(op) \(pathText)) has no \"from\" string.")
            }
            return try JSONPointer(f)
        }
        switch op {
        case "add": return .add(path, try value())
        case "remove": return .remove(path)
        case "replace": return .replace(path, try value())
        case "move": return .move(from: try from(), to: path)
        case "copy": return .copy(from: try from(), to: path)
        case "test": return .test(path, try value())
        default:
            throw .badRequest("JSON patch operation \(n) has the unknown op \"\(op)\"; use add, remove, replace, move, copy or test.")
        }
    }

    /// The document with every operation applied; the original is untouched on failure.
    public func applied(to document: JSONValue) throws(StatusError) -> JSONValue {
        var doc = document
        for operation in operations {
            try Self.apply(operation, to: &doc)
        }
        return doc
    }

    private static func apply(_ operation: Operation, to doc: inout JSONValue) throws(StatusError) {
        switch operation {
        case .add(let path, let value):
            try add(value, at: path, in: &doc)
        case .remove(let path):
            _ = try remove(path, from: &doc)
        case .replace(let path, let value):
            _ = try remove(path, from: &doc, replacingWith: value)
        case .move(let from, let to):
            if from == to { return }
            if from.isProperPrefix(of: to) {
                throw .unprocessablePatch("cannot move \"\(from)\" into its own child \"\(to)\".")
            }
            let value = try remove(from, from: &doc)
            try add(value, at: to, in: &doc)
        case .copy(let from, let to):
            try add(try doc.value(at: from), at: to, in: &doc)
        case .test(let path, let expected):
            guard try doc.value(at: path).isEquivalent(to: expected) else {
                throw .unprocessablePatch("test of \"\(path)\" failed: the value there is not \(expected.jsonString()).")
            }
        }
    }

    private static func add(_ value: JSONValue, at path: JSONPointer, in doc: inout JSONValue) throws(StatusError) {
        guard !path.tokens.isEmpty else {
            doc = value
            return
        }
        try doc.updateParent(of: path) { (parent: inout JSONValue, token: String) throws(StatusError) in
            switch parent {
            case .object(var o):
                o[token] = value
                parent = .object(o)
            case .array(var a):
                if token == "-" {
                    a.append(value)
                } else {
                    a.insert(value, at: try path.index(token, count: a.count, allowingEnd: true))
                }
                parent = .array(a)
            default:
                throw .missingParent(path)
            }
        }
    }

    /// Removes (or, with `replacement`, replaces) the value at `path`, which must exist; returns the old value.
    private static func remove(_ path: JSONPointer, from doc: inout JSONValue,
                               replacingWith replacement: JSONValue? = nil) throws(StatusError) -> JSONValue {
        guard !path.tokens.isEmpty else {
            guard let replacement else {
                throw .unprocessablePatch("the whole object cannot be removed.")
            }
            defer { doc = replacement }
            return doc
        }
        var old = JSONValue.null
        try doc.updateParent(of: path) { (parent: inout JSONValue, token: String) throws(StatusError) in
            switch parent {
            case .object(var o):
                guard let existing = o[token] else { throw .missingPath(path) }
                old = existing
                o[token] = replacement
                parent = .object(o)
            case .array(var a):
                let i = try path.index(token, count: a.count)
                old = a[i]
                if let replacement {
                    a[i] = replacement
                } else {
                    a.remove(at: i)
                }
                parent = .array(a)
            default:
                throw .missingPath(path)
            }
        }
        return old
    }
}
