/// A scheduling profile: the filters every node must pass, the weighted scores that rank the
/// nodes that pass, and how many feasible nodes to look for before scoring.
public struct Profile: Sendable {
    /// A score plugin and how much it counts in the total.
    public struct WeightedScore: Sendable {
        public var plugin: any ScorePlugin
        public var weight: Int64

        public init(_ plugin: any ScorePlugin, weight: Int64 = 1) {
            self.plugin = plugin
            self.weight = weight
        }
    }

    public var name: String
    /// Run in order; a node is rejected by the first filter that says no (its reasons are counted).
    public var filters: [any FilterPlugin]
    public var scores: [WeightedScore]
    /// Upstream's percentageOfNodesToScore: 0 picks it from the cluster size (50% minus 1% per
    /// 125 nodes, at least 5%); 1...99 fixes it; 100 or more considers every node. At least 100
    /// feasible nodes are always sought.
    public var percentageOfNodesToScore: Int
    /// Whether each pod's search starts where the previous pod's stopped (upstream's rotation,
    /// which spreads the sampled windows over the cluster) rather than at the first node.
    /// Bin-packing must not rotate: every window then opens nodes of its own, and a 10% sample of
    /// 5,000 nodes used 8–14% more nodes than needed on a trace of small pods; searching from the
    /// first node keeps every partly filled node in view (full ones are skipped by the filters).
    public var rotatesSearchStart: Bool

    public init(name: String, filters: [any FilterPlugin], scores: [WeightedScore], percentageOfNodesToScore: Int = 0,
                rotatesSearchStart: Bool = true) {
        self.name = name
        self.filters = filters
        self.scores = scores
        self.percentageOfNodesToScore = percentageOfNodesToScore
        self.rotatesSearchStart = rotatesSearchStart
    }

    /// The filters both built-in profiles use, in upstream's order (cheap, unresolvable ones first).
    public static var defaultFilters: [any FilterPlugin] {
        [NodeReady(), NodeUnschedulable(), TaintToleration(), NodeAffinity(), NodeResourcesFit()]
    }

    /// The default: MostAllocated bin-packing, with upstream's weights for preferred node
    /// affinity (2) and PreferNoSchedule taints (3).
    public static var binPacking: Profile {
        Profile(name: "bin-packing", filters: defaultFilters,
                scores: [WeightedScore(MostAllocated()), WeightedScore(NodeAffinity(), weight: 2),
                         WeightedScore(TaintToleration(), weight: 3)],
                rotatesSearchStart: false)
    }

    /// The alternative: LeastAllocated spreading, otherwise as `binPacking`.
    public static var spreading: Profile {
        Profile(name: "spreading", filters: defaultFilters,
                scores: [WeightedScore(LeastAllocated()), WeightedScore(NodeAffinity(), weight: 2),
                         WeightedScore(TaintToleration(), weight: 3)])
    }

    /// How many feasible nodes to find before the search stops (upstream's numFeasibleNodesToFind).
    public func numFeasibleNodesToFind(nodeCount: Int) -> Int {
        let minimum = 100
        if nodeCount < minimum || percentageOfNodesToScore >= 100 { return nodeCount }
        var percentage = percentageOfNodesToScore
        if percentage <= 0 { percentage = max(5, 50 - nodeCount / 125) }
        return max(minimum, nodeCount * percentage / 100)
    }
}
