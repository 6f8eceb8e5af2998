import Agent
import Controllers
import Foundation

/// The node lifecycle controller's flags on `drover server` and `drover up`, named as
/// kube-controller-manager names them.
enum NodeLifecycleFlags {
    static let names: [String: Bool] = ["node-monitor-grace-period": true, "node-monitor-period": true, "node-eviction-rate": true,
                                        "secondary-node-eviction-rate": true, "unhealthy-zone-threshold": true,
                                        "large-cluster-size-threshold": true]

    static let usage = """
    A node whose agent has not heartbeaten for --node-monitor-grace-period (40s) is Unknown and
    tainted unreachable:NoExecute; its pods are evicted once their tolerationSeconds (300 by
    default) run out. Checked every --node-monitor-period (5s); at most --node-eviction-rate (0.1)
    nodes a second are tainted per zone, --secondary-node-eviction-rate (0.01) once at least
    --unhealthy-zone-threshold (0.55) of a zone is down (none in zones of at most
    --large-cluster-size-threshold (50) nodes), and none while every zone is down.
    """

    /// The options `flags` give, upstream's defaults otherwise.
    static func options(_ flags: Flags) throws -> NodeLifecycleOptions {
        var options = NodeLifecycleOptions()
        func duration(_ name: String) throws -> TimeInterval? {
            guard let text = flags[name] else { return nil }
            do { return try AgentConfiguration.parseDuration(text, flag: name) } catch { throw UsageError(message: error.message) }
        }
        func number(_ name: String, _ range: ClosedRange<Double>) throws -> Double? {
            guard let text = flags[name] else { return nil }
            guard let value = Double(text), range.contains(value) else {
                throw UsageError(message: "--\(name) must be a number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
            }
            return value
        }
        options.gracePeriod = try duration("node-monitor-grace-period") ?? options.gracePeriod
        options.monitorPeriod = try duration("node-monitor-period") ?? min(options.monitorPeriod, options.gracePeriod / 4)
        options.evictionRate = try number("node-eviction-rate", 0...1_000_000) ?? options.evictionRate
        options.secondaryEvictionRate = try number("secondary-node-eviction-rate", 0...1_000_000) ?? options.secondaryEvictionRate
        options.unhealthyZoneThreshold = try number("unhealthy-zone-threshold", 0...1) ?? options.unhealthyZoneThreshold
        if let size = try number("large-cluster-size-threshold", 0...Double(Int32.max)) { options.largeClusterThreshold = Int(size) }
        return options
    }

    /// How often `drover up`'s own agent heartbeats: upstream's 10 s, or a quarter of a shorter grace
    /// period so the local node never looks dead.
    static func localHeartbeat(_ options: NodeLifecycleOptions) -> TimeInterval {
        min(10, options.gracePeriod / 4)
    }
}
