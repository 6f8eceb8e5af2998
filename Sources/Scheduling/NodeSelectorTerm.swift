import Model

/// One `matchExpressions` / `matchFields` entry of a node selector term.
public struct NodeSelectorRequirement: Sendable, Equatable {
    public enum Operator: Sendable, Equatable {
        case `in`, notIn, exists, doesNotExist
        /// Label value, read as an integer, greater / less than the single value.
        case gt(Int64), lt(Int64)
        /// Unknown operators and Gt/Lt without exactly one integer value match nothing.
        case never
    }

    public var key: String
    public var op: Operator
    public var values: [String]

    public init(key: String, op: Operator, values: [String] = []) {
        self.key = key
        self.op = op
        self.values = values
    }

    /// Reads `{key, operator, values}`.
    public init(_ json: JSONValue) {
        key = json["key"]?.string ?? ""
        values = (json["values"]?.array ?? []).compactMap(\.string)
        switch json["operator"]?.string ?? "" {
        case "In": op = .in
        case "NotIn": op = .notIn
        case "Exists": op = .exists
        case "DoesNotExist": op = .doesNotExist
        case "Gt": op = values.count == 1 ? Int64(values[0]).map(Operator.gt) ?? .never : .never
        case "Lt": op = values.count == 1 ? Int64(values[0]).map(Operator.lt) ?? .never : .never
        default: op = .never
        }
    }

    /// Whether a label (or field) whose value is `actual` (nil when absent) satisfies this requirement.
    public func matches(_ actual: String?) -> Bool {
        switch op {
        case .in: return actual.map(values.contains) ?? false
        case .notIn: return !(actual.map(values.contains) ?? false)
        case .exists: return actual != nil
        case .doesNotExist: return actual == nil
        case .gt(let bound): return actual.flatMap { Int64($0) }.map { $0 > bound } ?? false
        case .lt(let bound): return actual.flatMap { Int64($0) }.map { $0 < bound } ?? false
        case .never: return false
        }
    }
}

/// A node selector term: its expressions (on labels) and fields (`metadata.name`) are ANDed.
/// An empty term matches no node, as upstream.
public struct NodeSelectorTerm: Sendable, Equatable {
    public var matchExpressions: [NodeSelectorRequirement]
    public var matchFields: [NodeSelectorRequirement]

    public init(matchExpressions: [NodeSelectorRequirement] = [], matchFields: [NodeSelectorRequirement] = []) {
        self.matchExpressions = matchExpressions
        self.matchFields = matchFields
    }

    public init(_ json: JSONValue) {
        matchExpressions = (json["matchExpressions"]?.array ?? []).map(NodeSelectorRequirement.init)
        matchFields = (json["matchFields"]?.array ?? []).map(NodeSelectorRequirement.init)
    }

    public func matches(_ node: NodeInfo) -> Bool {
        if matchExpressions.isEmpty && matchFields.isEmpty { return false }
        for requirement in matchExpressions where !requirement.matches(node.labels[requirement.key]) { return false }
        for requirement in matchFields where !requirement.matches(requirement.key == "metadata.name" ? node.name : nil) {
            return false
        }
        return true
    }
}

/// A pod's `spec.affinity.nodeAffinity`, read once.
public struct NodeAffinityRules: Sendable, Equatable {
    /// A preferred term and its weight (1...100).
    public struct WeightedTerm: Sendable, Equatable {
        public var weight: Int64
        public var term: NodeSelectorTerm

        public init(weight: Int64, term: NodeSelectorTerm) {
            self.weight = weight
            self.term = term
        }
    }

    /// `requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, ORed; nil when the pod
    /// has no requirement (an empty list, by contrast, matches no node).
    public var required: [NodeSelectorTerm]?
    /// `preferredDuringSchedulingIgnoredDuringExecution`.
    public var preferred: [WeightedTerm]

    public init(required: [NodeSelectorTerm]? = nil, preferred: [WeightedTerm] = []) {
        self.required = required
        self.preferred = preferred
    }

    public init(_ json: JSONValue?) {
        let required = json?["requiredDuringSchedulingIgnoredDuringExecution"].flatMap { $0.isNull ? nil : $0 }
        self.required = required.map { ($0["nodeSelectorTerms"]?.array ?? []).map(NodeSelectorTerm.init) }
        preferred = (json?["preferredDuringSchedulingIgnoredDuringExecution"]?.array ?? []).compactMap { entry in
            guard let weight = entry["weight"]?.int, weight != 0 else { return nil }
            return WeightedTerm(weight: weight, term: NodeSelectorTerm(entry["preference"] ?? .emptyObject))
        }
    }

    /// The only node names the required terms can admit, when every term pins `metadata.name In
    /// [...]` (a DaemonSet's pods): upstream's NodeAffinity PreFilter, which lets the scheduler
    /// look at those nodes instead of filtering the whole cluster. Nil when any term is open.
    public var requiredNodeNames: Set<String>? {
        guard let required, !required.isEmpty else { return nil }
        var names: Set<String> = []
        for term in required {
            guard let pin = term.matchFields.first(where: { $0.key == "metadata.name" && $0.op == .in }) else { return nil }
            names.formUnion(pin.values)
        }
        return names
    }

    /// Whether the required terms admit `node` (true when there are none).
    public func requiredMatch(_ node: NodeInfo) -> Bool {
        guard let required else { return true }
        return required.contains { $0.matches(node) }
    }
}
