import Foundation

/// The node lifecycle controller's settings, named after kube-controller-manager's flags.
public struct NodeLifecycleOptions: Sendable, Equatable {
    /// `--node-monitor-grace-period`: how long a node may go without a heartbeat (Lease renewal or
    /// status update) before its conditions become Unknown (upstream's default, 40 s).
    public var gracePeriod: TimeInterval
    /// `--node-monitor-period`: how often every node's heartbeat is checked.
    public var monitorPeriod: TimeInterval
    /// `--node-eviction-rate`: NoExecute taints (and so evictions) per second in a healthy zone.
    public var evictionRate: Double
    /// `--secondary-node-eviction-rate`: the rate in a partially disrupted zone of a large cluster.
    public var secondaryEvictionRate: Double
    /// `--unhealthy-zone-threshold`: the share of not-ready nodes (at least 3) that makes a zone
    /// partially disrupted.
    public var unhealthyZoneThreshold: Double
    /// `--large-cluster-size-threshold`: a partially disrupted zone of at most this many nodes
    /// stops evicting; a larger one evicts at the secondary rate.
    public var largeClusterThreshold: Int

    public init(gracePeriod: TimeInterval = 40, monitorPeriod: TimeInterval = 5, evictionRate: Double = 0.1,
                secondaryEvictionRate: Double = 0.01, unhealthyZoneThreshold: Double = 0.55, largeClusterThreshold: Int = 50) {
        self.gracePeriod = gracePeriod
        self.monitorPeriod = monitorPeriod
        self.evictionRate = evictionRate
        self.secondaryEvictionRate = secondaryEvictionRate
        self.unhealthyZoneThreshold = unhealthyZoneThreshold
        self.largeClusterThreshold = largeClusterThreshold
    }
}
