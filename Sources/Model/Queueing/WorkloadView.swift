import Foundation

/// A kueue.x-k8s.io/v1beta1 Workload as the queue manager reads it: pod sets and their requests,
/// queue, priority, and the admission and conditions of its status.
public struct WorkloadView: Sendable, Equatable {
    public var object: JSONValue
    public init(_ object: JSONValue) { self.object = object }

    /// One `spec.podSets[]` entry.
    public struct PodSet: Sendable, Equatable {
        public var name: String
        public var count: Int
        /// `template` (a pod template: metadata and spec).
        public var template: JSONValue
        /// The effective request of one pod of the set, by resource name (`pods` is 1).
        public var perPod: [String: Quantity] { ResourceQuantities.of(podSpec: template["spec"] ?? .emptyObject) }
    }

    public var metadata: ObjectMetaView { ObjectMetaView(object["metadata"]) }
    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
    public var uid: String { metadata.uid }
    public var key: String { "\(namespace)/\(name)" }
    public var creationTimestamp: Date { metadata.creationTimestamp ?? Date(timeIntervalSince1970: 0) }
    private var spec: JSONValue { object["spec"] ?? .emptyObject }
    public var queueName: String { spec["queueName"]?.string ?? "" }
    public var priority: Int { Int(spec["priority"]?.int ?? 0) }
    /// `spec.active` (default true); an inactive Workload is never admitted.
    public var isActive: Bool { spec["active"]?.bool ?? true }
    /// `spec.maximumExecutionTimeSeconds`: how long it may run once admitted (a queued Job's
    /// `activeDeadlineSeconds`); nil when unbounded.
    public var maximumExecutionTimeSeconds: Int? { spec["maximumExecutionTimeSeconds"]?.int.map { Int($0) } }
    /// When its quota was reserved (the QuotaReserved=True condition's transition time).
    public var quotaReservedAt: Date? {
        guard let reserved = condition(Kueue.Condition.quotaReserved), reserved.isTrue else { return nil }
        return reserved.lastTransitionTime
    }
    public var podSets: [PodSet] {
        (spec["podSets"]?.array ?? []).map { set in
            PodSet(name: set["name"]?.string ?? "", count: Int(set["count"]?.int ?? 1), template: set["template"] ?? .emptyObject)
        }
    }
    /// The whole request: every pod set's per-pod request times its count.
    public var totalRequests: [String: Quantity] {
        var total: [String: Quantity] = [:]
        for set in podSets {
            for (resource, amount) in set.perPod { total[resource, default: .zero] += amount * Int64(set.count) }
        }
        return total
    }

    public var conditions: [ConditionView] { (object["status"]?["conditions"]?.array ?? []).map(ConditionView.init) }
    public func condition(_ type: String) -> ConditionView? { conditions.first { $0.type == type } }
    public func isTrue(_ type: String) -> Bool { condition(type)?.isTrue ?? false }
    public var hasQuotaReservation: Bool { isTrue(Kueue.Condition.quotaReserved) }
    public var isAdmitted: Bool { isTrue(Kueue.Condition.admitted) }
    public var isFinished: Bool { isTrue(Kueue.Condition.finished) }
    public var isEvicted: Bool { isTrue(Kueue.Condition.evicted) }

    /// `status.admission`, when quota is reserved.
    public var admission: WorkloadAdmission? {
        guard hasQuotaReservation, let admission = object["status"]?["admission"], admission.object != nil else { return nil }
        return WorkloadAdmission(admission)
    }

    /// The Job this Workload stands for (its controlling owner of kind Job).
    public var ownerJob: OwnerReference? {
        metadata.controllerReference.flatMap { $0.kind == "Job" ? $0 : nil }
    }
}

/// `status.admission` of a Workload: the ClusterQueue and, per pod set, the flavor chosen for each
/// resource and the usage charged.
public struct WorkloadAdmission: Sendable, Equatable {
    public struct Assignment: Sendable, Equatable {
        public var name: String
        /// Resource → flavor name.
        public var flavors: [String: String]
        /// Resource → amount charged for the whole pod set.
        public var resourceUsage: [String: Quantity]
        public var count: Int

        public init(name: String, flavors: [String: String], resourceUsage: [String: Quantity], count: Int) {
            self.name = name
            self.flavors = flavors
            self.resourceUsage = resourceUsage
            self.count = count
        }
    }

    public var clusterQueue: String
    public var podSetAssignments: [Assignment]

    public init(clusterQueue: String, podSetAssignments: [Assignment]) {
        self.clusterQueue = clusterQueue
        self.podSetAssignments = podSetAssignments
    }

    public init(_ json: JSONValue) {
        clusterQueue = json["clusterQueue"]?.string ?? ""
        podSetAssignments = (json["podSetAssignments"]?.array ?? []).map { a in
            Assignment(name: a["name"]?.string ?? "",
                       flavors: a["flavors"]?.stringMap ?? [:],
                       resourceUsage: (a["resourceUsage"]?.object?.pairs ?? []).reduce(into: [:]) { usage, pair in
                           if let q = try? Quantity(json: pair.1) { usage[pair.0] = q }
                       },
                       count: Int(a["count"]?.int ?? 0))
        }
    }

    public var json: JSONValue {
        ["clusterQueue": .string(clusterQueue),
         "podSetAssignments": .array(podSetAssignments.map { a in
             ["name": .string(a.name),
              "flavors": .object(JSONObject(a.flavors.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })),
              "resourceUsage": .object(JSONObject(a.resourceUsage.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value.description)) })),
              "count": .int(Int64(a.count))]
         })]
    }

    /// Usage by flavor and resource, summed over the pod sets.
    public var usage: [FlavorResource: Quantity] {
        var total: [FlavorResource: Quantity] = [:]
        for a in podSetAssignments {
            for (resource, amount) in a.resourceUsage {
                guard let flavor = a.flavors[resource] else { continue }
                total[FlavorResource(flavor: flavor, resource: resource), default: .zero] += amount
            }
        }
        return total
    }
}

/// A (flavor, resource) pair: the unit quota is kept in.
public struct FlavorResource: Sendable, Hashable, Comparable {
    public var flavor: String
    public var resource: String
    public init(flavor: String, resource: String) {
        self.flavor = flavor
        self.resource = resource
    }
    public static func < (a: FlavorResource, b: FlavorResource) -> Bool { (a.flavor, a.resource) < (b.flavor, b.resource) }
}

/// Resource amounts as quota counts them: by name, as Quantities.
public enum ResourceQuantities {
    /// One pod's effective request (init containers, sidecars and overhead as the scheduler counts
    /// them) with `pods` = 1.
    public static func of(podSpec: JSONValue) -> [String: Quantity] {
        let amounts = ResourceAmounts(effectiveRequestsOf: ["spec": podSpec])
        var out: [String: Quantity] = ["pods": Quantity(1)]
        if amounts.milliCPU > 0 { out["cpu"] = Quantity(milliValue: amounts.milliCPU) }
        if amounts.memory > 0 { out["memory"] = Quantity(amounts.memory, format: .binarySI) }
        if amounts.ephemeralStorage > 0 { out["ephemeral-storage"] = Quantity(amounts.ephemeralStorage, format: .binarySI) }
        for (name, value) in amounts.scalars where value > 0 { out[name] = Quantity(value) }
        return out
    }
}
