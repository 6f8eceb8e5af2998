import Model

/// A resource the allocation scores can weigh.
public enum ResourceName: Sendable, Hashable {
    case cpu, memory, ephemeralStorage
    /// An extended resource such as `example.com/gpu`.
    case extended(String)

    /// This resource's amount in `amounts`.
    public func amount(in amounts: ResourceAmounts) -> Int64 {
        switch self {
        case .cpu: return amounts.milliCPU
        case .memory: return amounts.memory
        case .ephemeralStorage: return amounts.ephemeralStorage
        case .extended(let name): return amounts.scalars[name] ?? 0
        }
    }
}

/// How much one resource counts in MostAllocated / LeastAllocated.
public struct ResourceWeight: Sendable, Equatable {
    public var resource: ResourceName
    public var weight: Int64

    public init(_ resource: ResourceName, weight: Int64 = 1) {
        self.resource = resource
        self.weight = weight
    }

    /// Upstream's default: CPU and memory, weight 1 each.
    public static let cpuAndMemory = [ResourceWeight(.cpu), ResourceWeight(.memory)]
}

extension Array where Element == ResourceWeight {
    /// The weighted mean, over the resources the node has, of `perResource(requested, allocatable)`
    /// where `requested` already includes the pod. Resources the node lacks (allocatable 0) are
    /// left out so that, say, a GPU weight does not mark down every CPU-only node.
    func weightedMean(pod: PodInfo, node: NodeInfo, _ perResource: (Int64, Int64) -> Int64) -> Int64 {
        var total: Int64 = 0, weights: Int64 = 0
        for entry in self {
            let allocatable = entry.resource.amount(in: node.allocatable)
            guard allocatable > 0 else { continue }
            let requested = entry.resource.amount(in: node.requested).adding(entry.resource.amount(in: pod.requests))
            total += perResource(requested, allocatable) * entry.weight
            weights += entry.weight
        }
        return weights == 0 ? 0 : total / weights
    }
}

/// `part × 100 ÷ whole`, clamped to 0...100, without overflowing for huge quantities (`whole` > 0).
func percentage(_ part: Int64, of whole: Int64) -> Int64 {
    let (product, overflow) = part.multipliedReportingOverflow(by: ScoreNormalization.maxScore)
    if !overflow, part >= 0, part <= whole { return product / whole }
    let scaled = Int128(part) * Int128(ScoreNormalization.maxScore) / Int128(whole)
    return Int64(max(0, min(Int128(ScoreNormalization.maxScore), scaled)))
}
