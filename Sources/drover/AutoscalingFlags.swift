import Agent
import Controllers
import Foundation

/// The HorizontalPodAutoscaler controller's flags on `drover server` and `drover up`, named as
/// kube-controller-manager names them.
enum AutoscalingFlags {
    static let names: [String: Bool] = ["horizontal-pod-autoscaler-sync-period": true,
                                        "horizontal-pod-autoscaler-downscale-stabilization": true,
                                        "horizontal-pod-autoscaler-tolerance": true,
                                        "horizontal-pod-autoscaler-cpu-initialization-period": true,
                                        "horizontal-pod-autoscaler-initial-readiness-delay": true]

    static let usage = """
    HorizontalPodAutoscalers are reconciled every --horizontal-pod-autoscaler-sync-period (15s);
    without a behavior of their own they scale down to the highest recommendation of the last
    --horizontal-pod-autoscaler-downscale-stabilization (5m0s); usage within
    --horizontal-pod-autoscaler-tolerance (0.1) of the target changes nothing; cpu samples of pods
    younger than --horizontal-pod-autoscaler-cpu-initialization-period (5m0s) count once they are
    ready, and --horizontal-pod-autoscaler-initial-readiness-delay (30s) tells never-ready pods.
    """

    /// The options `flags` give, upstream's defaults otherwise.
    static func options(_ flags: Flags) throws -> HorizontalPodAutoscalerOptions {
        var options = HorizontalPodAutoscalerOptions()
        func duration(_ name: String, positive: Bool = false) throws -> TimeInterval? {
            guard let text = flags["horizontal-pod-autoscaler-" + name] else { return nil }
            let value: TimeInterval
            do { value = try AgentConfiguration.parseDuration(text, flag: "horizontal-pod-autoscaler-" + name) } catch {
                throw UsageError(message: error.message)
            }
            if positive && value <= 0 {
                throw UsageError(message: "--horizontal-pod-autoscaler-\(name) must be longer than 0, not \"\(text)\"")
            }
            return value
        }
        options.syncPeriod = try duration("sync-period", positive: true) ?? options.syncPeriod
        options.downscaleStabilization = try duration("downscale-stabilization") ?? options.downscaleStabilization
        options.cpuInitializationPeriod = try duration("cpu-initialization-period") ?? options.cpuInitializationPeriod
        options.initialReadinessDelay = try duration("initial-readiness-delay") ?? options.initialReadinessDelay
        if let text = flags["horizontal-pod-autoscaler-tolerance"] {
            guard let value = Double(text), value >= 0, value < 1 else {
                throw UsageError(message: "--horizontal-pod-autoscaler-tolerance must be a number from 0 to 1, not \"\(text)\"")
            }
            options.tolerance = value
        }
        return options
    }
}
