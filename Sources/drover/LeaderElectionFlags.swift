import Agent
import ControllerRuntime
import Foundation

/// The leader-election flags of `drover server` and `drover up`, named as kube-controller-manager
/// and kube-scheduler name them.
enum LeaderElectionFlags {
    static let names: [String: Bool] = ["leader-elect": false, "leader-elect-lease-duration": true, "leader-elect-renew-deadline": true,
                                        "leader-elect-retry-period": true, "leader-elect-resource-name": true,
                                        "leader-elect-resource-namespace": true]

    /// The Lease the control plane campaigns for unless told otherwise.
    static let defaultLeaseName = "drover-control-plane"

    static let usage = """
    With --leader-elect (the default of `drover server`; `drover up` runs alone unless given it),
    the scheduler and controllers run only while this process holds the Lease
    --leader-elect-resource-namespace/--leader-elect-resource-name (kube-system/\(defaultLeaseName)),
    so several servers can share one PostgreSQL. The leader renews it every
    --leader-elect-retry-period (2s) and stops writing when no renewal succeeded for
    --leader-elect-renew-deadline (10s); a follower takes over --leader-elect-lease-duration (15s)
    after the last renewal it saw. Servers that split the scheduler from the controllers give
    each group its own Lease name.
    """

    /// The election `flags` ask for, or nil when the control plane runs without one.
    static func config(_ flags: Flags, electsByDefault: Bool) throws -> LeaderElectionConfig? {
        let elect = flags.isSet("leader-elect") || (electsByDefault && !flags.explicitlyFalse("leader-elect"))
        guard elect else { return nil }
        func duration(_ name: String, _ fallback: Double) throws -> Double {
            guard let text = flags[name] else { return fallback }
            do { return try AgentConfiguration.parseDuration(text, flag: name) } catch { throw UsageError(message: error.message) }
        }
        let host = ProcessInfo.processInfo.hostName
        let config = LeaderElectionConfig(namespace: flags["leader-elect-resource-namespace"] ?? "kube-system",
                                          name: flags["leader-elect-resource-name"] ?? defaultLeaseName,
                                          identity: "\(host)_\(UUID().uuidString.lowercased())",
                                          leaseDuration: try duration("leader-elect-lease-duration", 15),
                                          renewDeadline: try duration("leader-elect-renew-deadline", 10),
                                          retryPeriod: try duration("leader-elect-retry-period", 2))
        do { try config.validate() } catch { throw UsageError(message: "--leader-elect: \(error.description)") }
        return config
    }
}
