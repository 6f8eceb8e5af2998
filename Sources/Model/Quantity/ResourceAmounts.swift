import Foundation

/// Amounts of every schedulable resource: CPU in millicores, memory and ephemeral storage in bytes,
/// a pod count, and extended resources (`example.com/gpu`) in whole units.
public struct ResourceAmounts: Sendable, Equatable {
    public var milliCPU: Int64
    public var memory: Int64
    public var ephemeralStorage: Int64
    public var pods: Int64
    public var scalars: [String: Int64]

    public init(milliCPU: Int64 = 0, memory: Int64 = 0, ephemeralStorage: Int64 = 0, pods: Int64 = 0, scalars: [String: Int64] = [:]) {
        self.milliCPU = milliCPU
        self.memory = memory
        self.ephemeralStorage = ephemeralStorage
        self.pods = pods
        self.scalars = scalars
    }
}

extension ResourceAmounts {
    /// A pod's effective request, as upstream's `PodRequests` computes it (KEP-753): the larger,
    /// per resource, of
    /// - the regular containers' sum plus every sidecar's (an init container with
    ///   `restartPolicy: Always`, which keeps running beside them), and
    /// - for each init container in order, its own request plus the sidecars declared before it
    ///   (a sidecar's own entry is the sidecars up to and including it),
    ///
    /// plus `spec.overhead`; `pods` is 1. Pod-level `spec.resources` is ignored, as upstream with
    /// the PodLevelResources gate off (alpha and off by default through 1.33). The scheduler places
    /// by it and the API server's binding checks node capacity with it.
    public init(effectiveRequestsOf pod: JSONValue) {
        var total = ResourceAmounts()
        for container in pod.value(at: ["spec", "containers"])?.array ?? [] {
            total = total + Self.requests(of: container)
        }
        var sidecars = ResourceAmounts()
        var initPeak = ResourceAmounts()
        for container in pod.value(at: ["spec", "initContainers"])?.array ?? [] {
            let own = Self.requests(of: container)
            if container.value(at: ["restartPolicy"])?.string == "Always" {
                // Started before the main containers and never stopped: it adds to the steady
                // state and to every later init container's step.
                total = total + own
                sidecars = sidecars + own
                initPeak = initPeak.componentwiseMax(sidecars)
            } else {
                // Runs alone among the init containers, beside the sidecars already started.
                initPeak = initPeak.componentwiseMax(own + sidecars)
            }
        }
        self = total.componentwiseMax(initPeak) + ResourceAmounts(requests: pod.value(at: ["spec", "overhead"]))
        pods = 1
    }

    /// A container's `resources.requests` (admission has already defaulted them from limits).
    private static func requests(of container: JSONValue) -> ResourceAmounts {
        ResourceAmounts(requests: container.value(at: ["resources", "requests"]))
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
    public func adding(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
