import Foundation

/// The HorizontalPodAutoscaler controller's settings, named after kube-controller-manager's
/// `--horizontal-pod-autoscaler-*` flags, with upstream's defaults.
public struct HorizontalPodAutoscalerOptions: Sendable, Equatable {
    /// `--horizontal-pod-autoscaler-sync-period`: how often each HPA is reconciled (15 s).
    public var syncPeriod: TimeInterval
    /// `--horizontal-pod-autoscaler-downscale-stabilization`: the scale-down window of HPAs without
    /// one of their own (300 s).
    public var downscaleStabilization: TimeInterval
    /// `--horizontal-pod-autoscaler-tolerance`: usage ratios within 1 ± this change nothing (0.1).
    public var tolerance: Double
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`: after a pod starts, its cpu
    /// samples count only once it is ready and one metric window has passed since (5 min).
    public var cpuInitializationPeriod: TimeInterval
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`: after the initialization period, an
    /// unready pod counts as never ready when it turned unready this soon after starting (30 s).
    public var initialReadinessDelay: TimeInterval

    public init(syncPeriod: TimeInterval = 15, downscaleStabilization: TimeInterval = 300, tolerance: Double = 0.1,
                cpuInitializationPeriod: TimeInterval = 300, initialReadinessDelay: TimeInterval = 30) {
        self.syncPeriod = syncPeriod
        self.downscaleStabilization = downscaleStabilization
        self.tolerance = tolerance
        self.cpuInitializationPeriod = cpuInitializationPeriod
        self.initialReadinessDelay = initialReadinessDelay
    }
}
