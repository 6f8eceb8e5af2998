import Foundation
import Model

/// Upstream's podutil.IsPodAvailable: a pod is available once it has been Ready for at least
/// minReadySeconds (strictly: Ready since t with t + minReadySeconds before now).
enum PodAvailability {
    /// When the pod became Ready (the Ready condition's lastTransitionTime), nil if not Ready.
    static func readySince(_ pod: PodView) -> Date? {
        guard let ready = pod.condition("Ready"), ready.isTrue else { return nil }
        return ready.lastTransitionTime ?? .distantPast
    }

    static func isAvailable(_ pod: PodView, minReadySeconds: Int, now: Date) -> Bool {
        guard let since = readySince(pod) else { return false }
        if minReadySeconds == 0 { return true }
        return since.addingTimeInterval(Double(minReadySeconds)) < now
    }

    /// The earliest moment after `now` at which a pod Ready but not yet available becomes
    /// available (the controller requeues for it); nil when none waits.
    static func nextAvailability(_ pods: [PodView], minReadySeconds: Int, now: Date) -> TimeInterval? {
        guard minReadySeconds > 0 else { return nil }
        let waits = pods.compactMap { pod -> TimeInterval? in
            guard let since = readySince(pod), !isAvailable(pod, minReadySeconds: minReadySeconds, now: now) else { return nil }
            // + 1 ms: availability is strictly after since + minReadySeconds.
            return max(0, since.addingTimeInterval(Double(minReadySeconds)).timeIntervalSince(now)) + 0.001
        }
        return waits.min()
    }
}
