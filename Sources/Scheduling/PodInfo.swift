import Foundation
import Model

/// What scheduling needs to know about a pod, read once from its JSON.
public struct PodInfo: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var uid: String
    /// `spec.priority` (0 when unset).
    public var priority: Int32
    public var creationTimestamp: Date
    /// `spec.schedulerName` (`default-scheduler` when unset).
    public var schedulerName: String
    /// The larger of the sum over containers and the largest init container, plus overhead
    /// (upstream's effective request). `pods` is always 1.
    public var requests: ResourceAmounts
    public var nodeSelector: [String: String]
    /// `spec.affinity.nodeAffinity` as sent; `affinityRules` is its parsed form.
    public var nodeAffinity: JSONValue? {
        didSet { affinityRules = NodeAffinityRules(nodeAffinity) }
    }
    /// `spec.tolerations` as sent; `tolerationRules` is their parsed form.
    public var tolerations: [JSONValue] {
        didSet { tolerationRules = tolerations.compactMap(Toleration.init) }
    }
    /// `nodeAffinity`, read once so filters do not walk JSON for every node.
    public private(set) var affinityRules: NodeAffinityRules
    /// `tolerations`, read once.
    public private(set) var tolerationRules: [Toleration]
    /// The whole pod, for plugins that need more.
    public var object: JSONValue

    /// Reads a pod object; quantities that do not parse count as zero (the API validated them).
    public init(_ pod: JSONValue) {
        object = pod
        namespace = pod.value(at: ["metadata", "namespace"])?.string ?? ""
        name = pod.value(at: ["metadata", "name"])?.string ?? ""
        uid = pod.value(at: ["metadata", "uid"])?.string ?? ""
        priority = Int32(clamping: pod.value(at: ["spec", "priority"])?.int ?? 0)
        creationTimestamp = pod.value(at: ["metadata", "creationTimestamp"])?.string.flatMap(Timestamp.parse) ?? Date(timeIntervalSince1970: 0)
        schedulerName = pod.value(at: ["spec", "schedulerName"])?.string ?? "default-scheduler"
        nodeSelector = pod.value(at: ["spec", "nodeSelector"])?.stringMap ?? [:]
        nodeAffinity = pod.value(at: ["spec", "affinity", "nodeAffinity"])
        tolerations = pod.value(at: ["spec", "tolerations"])?.array ?? []
        affinityRules = NodeAffinityRules(nodeAffinity)
        tolerationRules = tolerations.compactMap(Toleration.init)
        var sum = ResourceAmounts()
        for container in pod.value(at: ["spec", "containers"])?.array ?? [] {
            sum = sum + ResourceAmounts(requests: container.value(at: ["resources", "requests"]))
        }
        var initMax = ResourceAmounts()
        for container in pod.value(at: ["spec", "initContainers"])?.array ?? [] {
            initMax = initMax.componentwiseMax(ResourceAmounts(requests: container.value(at: ["resources", "requests"])))
        }
        var effective = sum.componentwiseMax(initMax) + ResourceAmounts(requests: pod.value(at: ["spec", "overhead"]))
        effective.pods = 1
        requests = effective
    }
}

extension ResourceAmounts {
    /// Reads a `requests`/`capacity`-style map (`cpu`, `memory`, `ephemeral-storage`, `pods`,
    /// extended resources); unknown or malformed entries are skipped.
    public init(requests map: JSONValue?) {
        self.init()
        for (key, value) in map?.object?.pairs ?? [] {
            guard let quantity = try? Quantity(json: value) else { continue }
            switch key {
            case "cpu": milliCPU = quantity.milliValue
            case "memory": memory = quantity.value
            case "ephemeral-storage": ephemeralStorage = quantity.value
            case "pods": pods = quantity.value
            default: if key.contains("/") || key.hasPrefix("hugepages-") { scalars[key] = quantity.value }
            }
        }
    }

    /// Component-wise sum; saturates rather than trapping on absurd quantities.
    public static func + (a: ResourceAmounts, b: ResourceAmounts) -> ResourceAmounts {
        ResourceAmounts(milliCPU: a.milliCPU.adding(b.milliCPU), memory: a.memory.adding(b.memory),
                        ephemeralStorage: a.ephemeralStorage.adding(b.ephemeralStorage), pods: a.pods.adding(b.pods),
                        scalars: a.scalars.merging(b.scalars) { $0.adding($1) })
    }

    /// Component-wise difference; saturates rather than trapping.
    public static func - (a: ResourceAmounts, b: ResourceAmounts) -> ResourceAmounts {
        ResourceAmounts(milliCPU: a.milliCPU.adding(-b.milliCPU), memory: a.memory.adding(-b.memory),
                        ephemeralStorage: a.ephemeralStorage.adding(-b.ephemeralStorage), pods: a.pods.adding(-b.pods),
                        scalars: a.scalars.merging(b.scalars.mapValues { -$0 }) { $0.adding($1) })
    }

    /// The larger of each component.
    public func componentwiseMax(_ other: ResourceAmounts) -> ResourceAmounts {
        ResourceAmounts(milliCPU: max(milliCPU, other.milliCPU), memory: max(memory, other.memory),
                        ephemeralStorage: max(ephemeralStorage, other.ephemeralStorage), pods: max(pods, other.pods),
                        scalars: scalars.merging(other.scalars, uniquingKeysWith: max))
    }
}

extension Int64 {
    /// `self + other`, clamped to the representable range.
    func adding(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
