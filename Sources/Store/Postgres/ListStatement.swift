import Model

/// Builds the SQL of one list page: filters (resource, namespace, label and field selectors
/// evaluated on the jsonb body exactly as `LabelSelector.matches` and `FieldSelector.matches` do)
/// and the page window. Every value travels as a parameter.
struct ListStatement {
    private(set) var params: [String?] = []

    /// The statement for `query`. Result columns: current rv, compacted rv, then per item
    /// namespace, name, uid, rv, body (NULL when no items). With a limit it returns up to
    /// `limit + 1` items: the extra one only says that more remain (no count: counting every
    /// match costs O(N) per page, so `remainingItemCount` is left out, as upstream does when unknown).
    ///
    /// Without `start` the page is read from `objects` in key order. With it (a continue page, or
    /// an exact resourceVersion) the state at `start.resourceVersion` R is, after `start`'s key:
    /// the objects whose newest write is at or before R, plus — for the few keys written after R —
    /// their newest change at or before R unless it is a deletion. Both halves walk an index in key
    /// order and stop at the page, so a page costs O(limit + keys changed since R), not O(N).
    mutating func sql(for query: ListQuery, limit: Int?, start: ContinueToken?) -> String {
        let window = limit.map { " LIMIT \($0 + 1)" } ?? ""
        let resource = bind(query.resource)
        var keys = ["resource = \(resource)"]
        if let namespace = query.namespace { keys.append("namespace = \(bind(namespace))") }
        let selected = labelFilters(query.labelSelector) + fieldFilters(query.fieldSelector)
        func conditions(_ more: [String]) -> String { (keys + more + selected).joined(separator: " AND ") }
        let page: String
        if let start {
            let rv = "\(bind(String(start.resourceVersion)))::bigint"
            // Row comparison with the whole primary key, so the index range scan starts at the key.
            let after = "(resource, namespace, name) > (\(resource), \(bind(start.namespace)), \(bind(start.name)))"
            page = """
                changed AS (SELECT DISTINCT namespace, name FROM changes WHERE rv > \(rv) AND \((keys + [after]).joined(separator: " AND "))),
                older AS (SELECT * FROM (
                    SELECT DISTINCT ON (c.namespace, c.name) c.type, c.namespace, c.name, c.uid, c.rv, c.body
                    FROM changes c JOIN changed USING (namespace, name)
                    WHERE c.resource = \(resource) AND c.rv <= \(rv) ORDER BY c.namespace, c.name, c.rv DESC) AS latest
                    WHERE type <> 'DELETED'),
                src AS ((SELECT namespace, name, uid, rv, body FROM objects WHERE \(conditions([after, "rv <= \(rv)"]))
                         ORDER BY namespace, name\(window))
                        UNION ALL (SELECT namespace, name, uid, rv, body FROM older WHERE \(selected.isEmpty ? "true" : selected.joined(separator: " AND ")))),
                page AS (SELECT namespace, name, uid, rv, body::text AS body FROM src ORDER BY namespace, name\(window))
                """
        } else {
            page = """
                page AS (SELECT namespace, name, uid, rv, body::text AS body FROM objects WHERE \(conditions([]))
                         ORDER BY namespace, name\(window))
                """
        }
        return """
            WITH st AS (SELECT current_rv, compacted_rv FROM store_state),
            \(page)
            SELECT st.current_rv, st.compacted_rv, page.namespace, page.name, page.uid, page.rv, page.body
            FROM st LEFT JOIN page ON true ORDER BY page.namespace, page.name
            """
    }

    private mutating func bind(_ value: String) -> String {
        params.append(value)
        return "$\(params.count)"
    }

    private mutating func labelFilters(_ selector: LabelSelector) -> [String] {
        selector.requirements.map { r in
            let label = "drover_label(body, \(bind(r.key)))"
            let values = r.values.isEmpty ? "NULL" : r.values.map { bind($0) }.joined(separator: ", ")
            switch r.op {
            case .equals, .in: return "\(label) IN (\(values))"
            // A missing key satisfies != and notin (Kubernetes semantics).
            case .notEquals, .notIn: return "COALESCE(\(label) NOT IN (\(values)), true)"
            case .exists: return "\(label) IS NOT NULL"
            case .doesNotExist: return "\(label) IS NULL"
            }
        }
    }

    private mutating func fieldFilters(_ selector: FieldSelector) -> [String] {
        selector.requirements.map { r in
            let path = r.field.split(separator: ".").map { bind(String($0)) }
            // What FieldSelector reads for an absent field: "" or, for boolean fields, "false".
            let missing = FieldSelector.fieldValue(r.field, of: .emptyObject)
            let value = "drover_field(body, ARRAY[\(path.joined(separator: ", "))]::text[], \(bind(missing)))"
            return "\(value) \(r.negated ? "<>" : "=") \(bind(r.value))"
        }
    }
}
