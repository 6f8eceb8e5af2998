import Model

/// Rejects cordoned nodes (`spec.unschedulable`) unless the pod tolerates the taint the node
/// controller would put there, `node.kubernetes.io/unschedulable:NoSchedule`.
public struct NodeUnschedulable: FilterPlugin {
    public static let reason = "node(s) were unschedulable"
    public static let taint = Taint(key: "node.kubernetes.io/unschedulable", effect: "NoSchedule")
    public let name = "NodeUnschedulable"

    public init() {}

    public func fits(pod: PodInfo, node: NodeInfo) -> Bool {
        !node.unschedulable || pod.tolerationRules.tolerate(Self.taint)
    }

    public func filter(pod: PodInfo, node: NodeInfo) -> FilterVerdict {
        fits(pod: pod, node: node) ? .fits : .rejected(reasons: [Self.reason])
    }
}
