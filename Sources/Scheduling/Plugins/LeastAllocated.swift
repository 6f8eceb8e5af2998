/// Spreading: prefers the node with the most room left once the pod is on it. Per resource:
/// (allocatable − requested − pod) × 100 ÷ allocatable, 0 when over; weighted mean as MostAllocated.
public struct LeastAllocated: ScorePlugin {
    public let name = "NodeResourcesLeastAllocated"
    public var weights: [ResourceWeight]

    public init(weights: [ResourceWeight] = ResourceWeight.cpuAndMemory) {
        self.weights = weights
    }

    public func score(pod: PodInfo, node: NodeInfo) -> Int64 {
        weights.weightedMean(pod: pod, node: node) { requested, allocatable in
            requested > allocatable ? 0 : percentage(allocatable - requested, of: allocatable)
        }
    }
}
