import Model

/// A node as scheduling sees it: its labels, taints, allocatable resources, and what the pods
/// already on it (bound or assumed) request.
public struct NodeInfo: Sendable, Equatable {
    public var name: String
    public var labels: [String: String]
    public var taints: [Taint]
    /// `spec.unschedulable` (cordoned).
    public var unschedulable: Bool
    /// The Ready condition is True.
    public var ready: Bool
    public var allocatable: ResourceAmounts
    /// Sum of the effective requests of the pods on the node (`pods` counts them).
    public var requested: ResourceAmounts

    /// Reads a node object; `requested` starts empty (add pods with `adding`).
    public init(_ node: JSONValue) {
        name = node.value(at: ["metadata", "name"])?.string ?? ""
        labels = node.value(at: ["metadata", "labels"])?.stringMap ?? [:]
        unschedulable = node.value(at: ["spec", "unschedulable"])?.bool ?? false
        taints = (node.value(at: ["spec", "taints"])?.array ?? []).compactMap { t in
            guard let key = t["key"]?.string, let effect = t["effect"]?.string else { return nil }
            return Taint(key: key, value: t["value"]?.string ?? "", effect: effect)
        }
        let conditions = node.value(at: ["status", "conditions"])?.array ?? []
        ready = conditions.contains { $0["type"]?.string == "Ready" && $0["status"]?.string == "True" }
        allocatable = ResourceAmounts(requests: node.value(at: ["status", "allocatable"]) ?? node.value(at: ["status", "capacity"]))
        requested = ResourceAmounts()
    }

    public init(name: String, labels: [String: String] = [:], taints: [Taint] = [], unschedulable: Bool = false, ready: Bool = true,
                allocatable: ResourceAmounts, requested: ResourceAmounts = ResourceAmounts()) {
        self.name = name
        self.labels = labels
        self.taints = taints
        self.unschedulable = unschedulable
        self.ready = ready
        self.allocatable = allocatable
        self.requested = requested
    }

    /// This node with `pod`'s requests added (a bound or assumed pod).
    public func adding(_ pod: PodInfo) -> NodeInfo {
        var copy = self
        copy.requested = requested + pod.requests
        return copy
    }

    /// This node with `pod`'s requests removed (a pod that left or a forgotten assumption).
    public func removing(_ pod: PodInfo) -> NodeInfo {
        var copy = self
        copy.requested = requested - pod.requests
        return copy
    }
}
