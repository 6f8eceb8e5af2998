import Model

/// DeleteOptions from a DELETE body (kubectl) or query (Python `propagationPolicy=`).
struct DeleteOptions: Sendable {
    enum Propagation: String, Sendable { case orphan = "Orphan", background = "Background", foreground = "Foreground" }

    var gracePeriodSeconds: Int64?
    var propagation: Propagation?
    var preconditionUID: String?
    var preconditionResourceVersion: Int64?
    var dryRun = false

    /// Reads options from `body` (may be empty or a DeleteOptions object) and the query; 400 on nonsense.
    init(body: JSONValue?, query: [String: String]) throws(StatusError) {
        if let body {
            guard body.object != nil else { throw .badRequest("DeleteOptions must be a JSON object") }
            if let grace = body["gracePeriodSeconds"], !grace.isNull {
                guard let g = grace.int else { throw .badRequest("gracePeriodSeconds must be an integer") }
                gracePeriodSeconds = g
            }
            if let policy = body["propagationPolicy"]?.string { propagation = try Self.propagation(policy) }
            if body["orphanDependents"]?.bool == true, propagation == nil { propagation = .orphan }
            preconditionUID = body.value(at: ["preconditions", "uid"])?.string
            if let rv = body.value(at: ["preconditions", "resourceVersion"])?.string, !rv.isEmpty {
                guard let n = Int64(rv) else { throw .badRequest("preconditions.resourceVersion \"\(rv)\" is not valid") }
                preconditionResourceVersion = n
            }
            if let dry = body["dryRun"]?.array, dry.contains("All") { dryRun = true }
        }
        if let grace = query["gracePeriodSeconds"], !grace.isEmpty {
            guard let g = Int64(grace) else { throw .badRequest("gracePeriodSeconds must be an integer, not \"\(grace)\"") }
            gracePeriodSeconds = g
        }
        if let policy = query["propagationPolicy"], !policy.isEmpty { propagation = try Self.propagation(policy) }
        if query["dryRun"] == "All" { dryRun = true }
        if let g = gracePeriodSeconds, g < 0 { gracePeriodSeconds = 0 }
    }

    private static func propagation(_ text: String) throws(StatusError) -> Propagation {
        guard let p = Propagation(rawValue: text) else {
            throw .badRequest("propagationPolicy: Unsupported value: \"\(text)\": supported values: \"Orphan\", \"Background\", \"Foreground\"")
        }
        return p
    }

    /// The finalizer that records this propagation for the garbage collector, as upstream does.
    var finalizer: String? {
        switch propagation {
        case .orphan: return "orphan"
        case .foreground: return "foregroundDeletion"
        case .background, nil: return nil
        }
    }
}
