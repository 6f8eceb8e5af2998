import Model

/// Builds the SQL of one list page: filters (resource, namespace, label and field selectors
/// evaluated on the jsonb body exactly as `LabelSelector.matches` and `FieldSelector.matches` do)
/// and the page window. Every value travels as a parameter.
struct ListStatement {
    private(set) var params: [String?] = []

    /// The statement for `query`. Without `start`, the first page reads the objects table; with it,
    /// a continue page rebuilds the state at `start.resourceVersion` from the change log and
    /// resumes after `start`'s key. Result columns: current rv, compacted rv, matching count (NULL
    /// without a limit), then per item namespace, name, uid, rv, body (NULL when no items).
    mutating func sql(for query: ListQuery, limit: Int?, start: ContinueToken?) -> String {
        var filters = ["resource = \(bind(query.resource))"]
        if let namespace = query.namespace { filters.append("namespace = \(bind(namespace))") }
        let source: String
        if let start {
            var inner = filters
            inner.append("rv <= \(bind(String(start.resourceVersion)))::bigint")
            inner.append("(namespace, name) > (\(bind(start.namespace)), \(bind(start.name)))")
            source = """
                (SELECT * FROM (
                    SELECT DISTINCT ON (namespace, name) type, namespace, name, uid, rv, body FROM changes
                    WHERE \(inner.joined(separator: " AND "))
                    ORDER BY namespace, name, rv DESC) AS latest
                 WHERE type <> 'DELETED')
                """
            filters = []
        } else {
            source = "objects"
        }
        filters += labelFilters(query.labelSelector) + fieldFilters(query.fieldSelector)
        let condition = filters.isEmpty ? "true" : filters.joined(separator: " AND ")
        let window = limit.map { " LIMIT \($0)" } ?? ""
        let count = limit == nil ? "NULL::bigint" : "(SELECT count(*) FROM matching)"
        return """
            WITH st AS (SELECT current_rv, compacted_rv FROM store_state),
            matching AS (SELECT namespace, name, uid, rv, body FROM \(source) AS src WHERE \(condition)),
            page AS (SELECT namespace, name, uid, rv, body::text AS body FROM matching ORDER BY namespace, name\(window))
            SELECT st.current_rv, st.compacted_rv, \(count), page.namespace, page.name, page.uid, page.rv, page.body
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
