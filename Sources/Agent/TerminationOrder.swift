import Foundation

/// The order in which a pod's processes are stopped when it has sidecars (KEP-753, the kubelet's
/// termination ordering): main containers (and regular init containers) get SIGTERM at once; a
/// sidecar only once every main container and every sidecar declared after it has ended, so the
/// sidecars stop in reverse order of declaration, after the work they serve. The wait is bounded
/// by the pod's grace period: once that has run out since the stop began, every sidecar's turn
/// has come. Pure; `PodWorker.stopInOrder` applies it.
enum TerminationOrder {
    /// The least grace a sidecar whose turn came late gets (the kubelet's minimum grace period),
    /// unless the pod's own grace period is shorter.
    static let minimumGrace: TimeInterval = 2

    /// Positions in `sidecarsRunning` (the sidecars in declaration order: does each still run?)
    /// of the running sidecars whose turn to stop has come, `elapsed` seconds after the stop began.
    static func sidecarsDue(sidecarsRunning: [Bool], mainsRunning: Bool, elapsed: TimeInterval,
                            grace: TimeInterval) -> [Int] {
        let running = sidecarsRunning.indices.filter { sidecarsRunning[$0] }
        if elapsed >= grace { return running }
        guard !mainsRunning else { return [] }
        return running.filter { !sidecarsRunning[($0 + 1)...].contains(true) }
    }

    /// The grace a sidecar gets when its turn comes: what is left of the pod's grace period, but
    /// at least `minimumGrace` (never more than the pod's own grace period).
    static func sidecarGrace(podGrace: TimeInterval, elapsed: TimeInterval) -> TimeInterval {
        max(podGrace - elapsed, min(podGrace, minimumGrace))
    }
}
