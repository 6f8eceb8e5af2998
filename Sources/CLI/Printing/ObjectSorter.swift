import Model

/// `--sort-by=JSONPATH`: orders objects by the first value the path selects, as kubectl does —
/// numbers by value, quantities (`500m` < `1`) by amount, other strings in natural order (`pod-2`
/// before `pod-10`, RFC 3339 times chronologically); objects without the field come first.
/// The sort is stable.
enum ObjectSorter {
    static func sorted(_ objects: [JSONValue], by path: JSONPath) -> [JSONValue] {
        sorted(objects, by: path, key: { $0 })
    }

    /// Sorts anything that carries an object (`key` reads it: a Table row's `object`).
    static func sorted<T>(_ items: [T], by path: JSONPath, key: (T) -> JSONValue) -> [T] {
        let keyed = items.enumerated().map { (offset: $0.offset, item: $0.element, value: path.values(key($0.element)).first) }
        return keyed.sorted { a, b in
            switch (a.value, b.value) {
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?):
                if less(x, y) { return true }
                if less(y, x) { return false }
                return a.offset < b.offset
            }
        }.map(\.item)
    }

    /// kubectl's order of two field values.
    static func less(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.double, let y = b.double { return x < y }
        if let x = a.string, let y = b.string {
            if let qx = try? Quantity(parsing: x), let qy = try? Quantity(parsing: y) { return qx < qy }
            return naturalLess(x, y)
        }
        if let x = a.bool, let y = b.bool { return !x && y }
        return JSONPath.text(a) < JSONPath.text(b)
    }

    /// Natural order: runs of digits compare by value, everything else by character.
    static func naturalLess(_ a: String, _ b: String) -> Bool {
        var i = a.startIndex, j = b.startIndex
        while i < a.endIndex, j < b.endIndex {
            if a[i].isNumber && b[j].isNumber {
                let ei = a[i...].firstIndex { !$0.isNumber } ?? a.endIndex
                let ej = b[j...].firstIndex { !$0.isNumber } ?? b.endIndex
                let x = a[i..<ei].drop { $0 == "0" }, y = b[j..<ej].drop { $0 == "0" }
                if x.count != y.count { return x.count < y.count }
                if x != y { return x < y }
                i = ei
                j = ej
            } else {
                if a[i] != b[j] { return a[i] < b[j] }
                i = a.index(after: i)
                j = b.index(after: j)
            }
        }
        return a.count - a.distance(from: a.startIndex, to: i) < b.count - b.distance(from: b.startIndex, to: j)
    }
}

/// `-o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName`: one column per spec, cells from
/// the path's values joined by commas, `<none>` when the path selects nothing.
struct CustomColumns: Sendable, Equatable {
    struct Column: Sendable, Equatable {
        var header: String
        var path: JSONPath
    }

    var columns: [Column]

    init(_ spec: String) throws(UsageError) {
        guard !spec.isEmpty else { throw UsageError("custom-columns format specified but no custom columns given") }
        var columns: [Column] = []
        for part in spec.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: ":", maxSplits: 1).map(String.init)
            guard pieces.count == 2 else {
                throw UsageError("unexpected custom-columns spec: \(part), expected <header>:<json-path-expr>")
            }
            do {
                columns.append(Column(header: pieces[0], path: try JSONPath(relaxed: pieces[1])))
            } catch {
                throw UsageError("error parsing custom-columns path \(pieces[1]): \(error.message)")
            }
        }
        self.columns = columns
    }

    /// Header and rows, aligned as kubectl's tables.
    func render(_ objects: [JSONValue], headers: Bool) -> [String] {
        var rows = headers ? [columns.map(\.header)] : []
        for object in objects {
            rows.append(columns.map { column in
                let values = column.path.values(object)
                return values.isEmpty ? "<none>" : values.map(JSONPath.text).joined(separator: ",")
            })
        }
        return TablePrinter.align(rows)
    }
}
