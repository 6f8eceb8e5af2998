import Foundation

/// A kueue.x-k8s.io/v1beta1 ClusterQueue as the queue manager reads it (admission has validated it).
public struct ClusterQueueView: Sendable, Equatable {
    /// One flavor's quota of one resource.
    public struct ResourceQuota: Sendable, Equatable {
        public var nominal: Quantity
        /// How much more than nominal the queue may borrow from its cohort; nil is unlimited.
        public var borrowingLimit: Quantity?
        /// How much of nominal the cohort may borrow; nil is all of it.
        public var lendingLimit: Quantity?

        public init(nominal: Quantity, borrowingLimit: Quantity? = nil, lendingLimit: Quantity? = nil) {
            self.nominal = nominal
            self.borrowingLimit = borrowingLimit
            self.lendingLimit = lendingLimit
        }
    }

    /// A flavor of a resource group and its quotas by resource.
    public struct FlavorQuotas: Sendable, Equatable {
        public var name: String
        public var resources: [String: ResourceQuota]
        public init(name: String, resources: [String: ResourceQuota]) {
            self.name = name
            self.resources = resources
        }
    }

    /// `spec.resourceGroups[]`: resources that are assigned a flavor together, flavors in order.
    public struct ResourceGroup: Sendable, Equatable {
        public var coveredResources: [String]
        public var flavors: [FlavorQuotas]
        public init(coveredResources: [String], flavors: [FlavorQuotas]) {
            self.coveredResources = coveredResources
            self.flavors = flavors
        }
    }

    public var object: JSONValue
    public init(_ object: JSONValue) { self.object = object }

    private var spec: JSONValue { object["spec"] ?? .emptyObject }
    public var name: String { ObjectMetaView(object["metadata"]).name }
    /// `spec.cohort`, nil when the queue borrows from and lends to nobody.
    public var cohort: String? { spec["cohort"]?.string.flatMap { $0.isEmpty ? nil : $0 } }
    public var queueingStrategy: String { spec["queueingStrategy"]?.string ?? Kueue.bestEffortFIFO }
    public var isStrictFIFO: Bool { queueingStrategy == Kueue.strictFIFO }
    /// `spec.stopPolicy` other than None: admits nothing new.
    public var isStopped: Bool { (spec["stopPolicy"]?.string ?? "None") != "None" }
    /// `spec.fairSharing.weight` (default 1).
    public var fairWeight: Double {
        guard let raw = spec["fairSharing"]?["weight"], let q = try? Quantity(json: raw) else { return 1 }
        return Double(q.milliValue) / 1000
    }

    /// True when `spec.namespaceSelector` selects a namespace with these labels (null selects none).
    public func selects(namespaceLabels: [String: String]) -> Bool {
        guard let selector = spec["namespaceSelector"], !selector.isNull,
              let parsed = try? LabelSelector.from(selector) else { return false }
        return parsed.matches(namespaceLabels)
    }

    public var resourceGroups: [ResourceGroup] {
        (spec["resourceGroups"]?.array ?? []).map { group in
            ResourceGroup(
                coveredResources: group["coveredResources"]?.array?.compactMap(\.string) ?? [],
                flavors: (group["flavors"]?.array ?? []).map { flavor in
                    var resources: [String: ResourceQuota] = [:]
                    for r in flavor["resources"]?.array ?? [] {
                        guard let name = r["name"]?.string else { continue }
                        func q(_ key: String) -> Quantity? { r[key].flatMap { try? Quantity(json: $0) } }
                        resources[name] = ResourceQuota(nominal: q("nominalQuota") ?? .zero, borrowingLimit: q("borrowingLimit"),
                                                        lendingLimit: q("lendingLimit"))
                    }
                    return FlavorQuotas(name: flavor["name"]?.string ?? "", resources: resources)
                })
        }
    }
}

/// A kueue.x-k8s.io/v1beta1 LocalQueue: a namespace's door into a ClusterQueue.
public struct LocalQueueView: Sendable, Equatable {
    public var object: JSONValue
    public init(_ object: JSONValue) { self.object = object }
    public var name: String { ObjectMetaView(object["metadata"]).name }
    public var namespace: String { ObjectMetaView(object["metadata"]).namespace }
    public var clusterQueue: String { object["spec"]?["clusterQueue"]?.string ?? "" }
    public var isStopped: Bool { (object["spec"]?["stopPolicy"]?.string ?? "None") != "None" }
}

/// A kueue.x-k8s.io/v1beta1 ResourceFlavor: the node labels a Job admitted in it is pinned to,
/// the taints its nodes carry, and the tolerations its pods get.
public struct ResourceFlavorView: Sendable, Equatable {
    public var object: JSONValue
    public init(_ object: JSONValue) { self.object = object }
    public var name: String { ObjectMetaView(object["metadata"]).name }
    public var nodeLabels: [String: String] { object["spec"]?["nodeLabels"]?.stringMap ?? [:] }
    public var nodeTaints: [Taint] { object["spec"]?["nodeTaints"]?.array?.compactMap { Taint(json: $0) } ?? [] }
    /// `spec.tolerations` as sent.
    public var tolerations: [JSONValue] { object["spec"]?["tolerations"]?.array ?? [] }
}

extension ClusterQueueView {
    /// `spec.preemption.withinClusterQueue` (Never, LowerPriority, LowerOrNewerEqualPriority).
    public var withinClusterQueue: String { spec["preemption"]?["withinClusterQueue"]?.string ?? "Never" }
    /// `spec.preemption.reclaimWithinCohort` (Never, LowerPriority, Any).
    public var reclaimWithinCohort: String { spec["preemption"]?["reclaimWithinCohort"]?.string ?? "Never" }
    /// `spec.preemption.borrowWithinCohort.policy` (Never, LowerPriority).
    public var borrowWithinCohortPolicy: String { spec["preemption"]?["borrowWithinCohort"]?["policy"]?.string ?? "Never" }
    /// `spec.preemption.borrowWithinCohort.maxPriorityThreshold`: only Workloads of at most this
    /// priority may be preempted while borrowing; nil is no bound beyond "lower than the preemptor".
    public var borrowWithinCohortMaxPriority: Int? {
        spec["preemption"]?["borrowWithinCohort"]?["maxPriorityThreshold"]?.int.map { Int($0) }
    }
    /// True when `spec.fairSharing` is set. Kueue switches fair sharing on for the whole cluster in
    /// its Configuration; Drover has none, so a cohort shares by dominant resource share as soon as
    /// one of its ClusterQueues carries the field.
    public var declaresFairSharing: Bool { spec["fairSharing"]?.object != nil }
    /// `spec.fairSharing.weight` in thousandths (default 1000), as Kueue divides by it.
    public var fairWeightMilli: Int64 {
        guard let raw = spec["fairSharing"]?["weight"], let q = try? Quantity(json: raw) else { return 1000 }
        return q.milliValue
    }
    /// `spec.queueingStrategy` is Drover's Backfill extension (Slurm-style backfill behind a head
    /// that keeps its reservation).
    public var isBackfill: Bool { queueingStrategy == Kueue.backfill }
}
