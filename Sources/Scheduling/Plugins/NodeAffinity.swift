/// Filter: `spec.nodeSelector` (every label equal) and the required node affinity terms (ORed;
/// each term's expressions ANDed). Score: the summed weights of the preferred terms the node
/// matches, normalised so the best node scores 100.
public struct NodeAffinity: FilterPlugin, ScorePlugin {
    public static let reason = "node(s) didn't match Pod's node affinity/selector"
    public let name = "NodeAffinity"

    public init() {}

    public func fits(pod: PodInfo, node: NodeInfo) -> Bool {
        for (key, value) in pod.nodeSelector where node.labels[key] != value { return false }
        return pod.affinityRules.requiredMatch(node)
    }

    public func filter(pod: PodInfo, node: NodeInfo) -> FilterVerdict {
        fits(pod: pod, node: node) ? .fits : .rejected(reasons: [Self.reason])
    }

    public func score(pod: PodInfo, node: NodeInfo) -> Int64 {
        var total: Int64 = 0
        for preferred in pod.affinityRules.preferred where preferred.term.matches(node) {
            total += preferred.weight
        }
        return total
    }

    public func normalize(scores: inout [Int64]) {
        ScoreNormalization.scaleToMaximum(&scores, reverse: false)
    }
}
