/// What the priority admission plugin knows of PriorityClasses: the built-in ones, the reserved
/// ranges, and how a pod's `priorityClassName` becomes its `priority` (pure; the API server hands
/// in the classes it knows).
public enum PriorityClasses {
    /// One class as admission needs it.
    public struct Class: Sendable, Equatable {
        public var name: String
        public var value: Int32
        public var preemptionPolicy: String
        public var globalDefault: Bool

        public init(name: String, value: Int32, preemptionPolicy: String = PriorityClasses.preemptLowerPriority, globalDefault: Bool = false) {
            self.name = name
            self.value = value
            self.preemptionPolicy = preemptionPolicy
            self.globalDefault = globalDefault
        }

        /// Reads a stored PriorityClass; nil without a name.
        public init?(_ object: JSONValue) {
            guard let name = object["metadata"]?["name"]?.string, !name.isEmpty else { return nil }
            self.init(name: name, value: Int32(clamping: object["value"]?.int ?? 0),
                      preemptionPolicy: object["preemptionPolicy"]?.string ?? PriorityClasses.preemptLowerPriority,
                      globalDefault: object["globalDefault"]?.bool ?? false)
        }

        /// The stored form.
        public var json: JSONValue {
            ["apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": .string(name)],
             "value": .int(Int64(value)), "globalDefault": .bool(globalDefault), "preemptionPolicy": .string(preemptionPolicy),
             "description": .string(PriorityClasses.builtIn.contains { $0.name == name }
                ? "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."
                : "")]
        }
    }

    public static let preemptLowerPriority = "PreemptLowerPriority"
    public static let never = "Never"
    /// Names with this prefix belong to the built-in classes.
    public static let systemPrefix = "system-"
    /// Upstream's HighestUserDefinablePriority.
    public static let highestUserDefinable: Int64 = 1_000_000_000

    /// The classes every cluster has (upstream's SystemPriorityClasses).
    public static let builtIn = [Class(name: "system-node-critical", value: 2_000_001_000),
                                 Class(name: "system-cluster-critical", value: 2_000_000_000)]

    /// Sets a pod's `spec.priority`, `spec.priorityClassName` (the global default's when it names
    /// none) and `spec.preemptionPolicy` from its class, as upstream's Priority admission plugin.
    /// - Parameters:
    ///   - lookup: the class of that name, if one exists.
    ///   - globalDefault: the class marked globalDefault, if any.
    /// - Throws: 403 Forbidden for an unknown class, or a priority or preemption policy in the spec
    ///   that contradicts the class.
    public static func resolve(_ pod: inout JSONValue, lookup: (String) -> Class?, globalDefault: Class?) throws(StatusError) {
        let spec = pod["spec"] ?? .emptyObject
        let podName = pod["metadata"]?["name"]?.string ?? ""
        let named = spec["priorityClassName"]?.string ?? ""
        let chosen: Class?
        if named.isEmpty {
            chosen = globalDefault
        } else {
            guard let found = lookup(named) else { throw forbidden(podName, "no PriorityClass with name \(named) was found") }
            chosen = found
        }
        let priority = chosen?.value ?? 0
        if let given = spec["priority"]?.int, given != Int64(priority) {
            throw forbidden(podName, "the integer value of priority (\(given)) must not be provided in pod spec; priority admission controller computed \(priority) from the given PriorityClass name")
        }
        pod.setValue(.int(Int64(priority)), at: ["spec", "priority"])
        guard let chosen else { return }
        if let given = spec["preemptionPolicy"]?.string, given != chosen.preemptionPolicy {
            throw forbidden(podName, "the string value of PreemptionPolicy (\(given)) must not be provided in pod spec; priority admission controller computed \(chosen.preemptionPolicy) from the given PriorityClass name")
        }
        pod.setValue(.string(chosen.name), at: ["spec", "priorityClassName"])
        pod.setValue(.string(chosen.preemptionPolicy), at: ["spec", "preemptionPolicy"])
    }

    private static func forbidden(_ pod: String, _ message: String) -> StatusError {
        StatusError(code: 403, reason: "Forbidden", message: "pods \"\(pod)\" is forbidden: \(message)", name: pod, kind: "pods")
    }
}
