/// Rejects nodes whose Ready condition is not True.
public struct NodeReady: FilterPlugin {
    public static let reason = "node(s) were not ready"
    public let name = "NodeReady"

    public init() {}

    public func fits(pod: PodInfo, node: NodeInfo) -> Bool { node.ready }

    public func filter(pod: PodInfo, node: NodeInfo) -> FilterVerdict {
        node.ready ? .fits : .rejected(reasons: [Self.reason])
    }
}
