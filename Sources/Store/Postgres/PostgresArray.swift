/// PostgreSQL's text form of arrays, for passing lists as one statement parameter.
enum PostgresArray {
    /// `{"a","b\"c"}`: every element quoted, `"` and `\` escaped, so any string round-trips.
    static func literal(_ elements: [String]) -> String {
        var out = "{"
        for (i, element) in elements.enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for ch in element.unicodeScalars {
                if ch == "\"" || ch == "\\" { out += "\\" }
                out.unicodeScalars.append(ch)
            }
            out += "\""
        }
        return out + "}"
    }
}
