/// Bin-packing: prefers the node that will be fullest once the pod is on it, so nodes fill up
/// before new ones are opened. Per resource: min(requested + pod, allocatable) × 100 ÷ allocatable;
/// the node's score is the weighted mean of those (integer arithmetic, as upstream).
public struct MostAllocated: ScorePlugin {
    public let name = "NodeResourcesMostAllocated"
    public var weights: [ResourceWeight]

    public init(weights: [ResourceWeight] = ResourceWeight.cpuAndMemory) {
        self.weights = weights
    }

    public func score(pod: PodInfo, node: NodeInfo) -> Int64 {
        weights.weightedMean(pod: pod, node: node) { requested, allocatable in
            percentage(min(requested, allocatable), of: allocatable)
        }
    }
}
