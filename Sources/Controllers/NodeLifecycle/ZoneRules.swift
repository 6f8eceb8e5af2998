/// The health of one zone of nodes, as upstream's node lifecycle controller judges it.
public enum ZoneState: String, Sendable, Equatable {
    /// At most 2 nodes, or under the unhealthy threshold, are not ready.
    case normal = "Normal"
    /// At least 3 nodes and at least the unhealthy share of the zone are not ready.
    case partialDisruption = "PartialDisruption"
    /// No node of the zone is ready.
    case fullDisruption = "FullDisruption"
}

/// Upstream's zone rules (ComputeZoneState, ReducedQPSFunc, handleDisruption), so that when a
/// large part of the cluster goes dark at once — more likely the control plane's network than
/// every node — evictions slow down or stop instead of emptying the cluster.
enum ZoneRules {
    /// The state of a zone with `ready` Ready nodes and `notReady` others.
    static func state(ready: Int, notReady: Int, unhealthyThreshold: Double) -> ZoneState {
        if ready == 0 && notReady > 0 { return .fullDisruption }
        if notReady > 2 && Double(notReady) / Double(notReady + ready) >= unhealthyThreshold { return .partialDisruption }
        return .normal
    }

    /// NoExecute taints per second in a zone: the normal rate when healthy or fully down (the
    /// zone's own outage), the secondary rate when partially down in a large cluster, none when
    /// partially down in a small one or when every zone is fully down (the control plane is then
    /// the likelier culprit).
    static func evictionRate(_ state: ZoneState, zoneSize: Int, everyZoneDown: Bool, options: NodeLifecycleOptions) -> Double {
        if everyZoneDown { return 0 }
        switch state {
        case .normal, .fullDisruption: return options.evictionRate
        case .partialDisruption: return zoneSize > options.largeClusterThreshold ? options.secondaryEvictionRate : 0
        }
    }
}
