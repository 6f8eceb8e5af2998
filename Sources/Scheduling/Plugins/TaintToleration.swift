import Model

/// Filter: every NoSchedule and NoExecute taint on the node must be tolerated.
/// Score: fewer untolerated PreferNoSchedule taints is better (normalised so the node with the
/// most scores 0 and a node with none scores 100).
public struct TaintToleration: FilterPlugin, ScorePlugin {
    public let name = "TaintToleration"

    public init() {}

    /// Upstream's reason, e.g. `node(s) had untolerated taint {dedicated: gpu}`.
    public static func reason(_ taint: Taint) -> String {
        "node(s) had untolerated taint {\(taint.key): \(taint.value)}"
    }

    /// The first NoSchedule/NoExecute taint the pod does not tolerate.
    func firstUntolerated(pod: PodInfo, node: NodeInfo) -> Taint? {
        for taint in node.taints where taint.effect == "NoSchedule" || taint.effect == "NoExecute" {
            if !pod.tolerationRules.tolerate(taint) { return taint }
        }
        return nil
    }

    public func fits(pod: PodInfo, node: NodeInfo) -> Bool {
        node.taints.isEmpty || firstUntolerated(pod: pod, node: node) == nil
    }

    public func filter(pod: PodInfo, node: NodeInfo) -> FilterVerdict {
        guard let taint = firstUntolerated(pod: pod, node: node) else { return .fits }
        return .rejected(reasons: [Self.reason(taint)])
    }

    /// The raw count of PreferNoSchedule taints the pod does not tolerate. A toleration with a
    /// NoSchedule effect does not cover them; one with no effect does (`tolerates` checks both).
    public func score(pod: PodInfo, node: NodeInfo) -> Int64 {
        var count: Int64 = 0
        for taint in node.taints where taint.effect == "PreferNoSchedule" && !pod.tolerationRules.tolerate(taint) {
            count += 1
        }
        return count
    }

    public func normalize(scores: inout [Int64]) {
        ScoreNormalization.scaleToMaximum(&scores, reverse: true)
    }
}
