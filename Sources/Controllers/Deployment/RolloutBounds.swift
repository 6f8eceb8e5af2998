import Model

/// maxSurge / maxUnavailable arithmetic (upstream's ResolveFenceposts, MaxSurge, MaxUnavailable
/// and intstr.GetScaledValueFromIntOrPercent), pure.
enum RolloutBounds {
    /// An int, or a percentage string of `total`: surge rounds up, unavailable rounds down. A
    /// string that is not `N%` (admission refuses it) counts as 0.
    static func scaled(_ value: JSONValue, of total: Int, roundUp: Bool) -> Int {
        if let int = value.int { return Int(clamping: int) }
        guard let text = value.string, text.hasSuffix("%"), let percent = Int(text.dropLast()), percent >= 0 else { return 0 }
        let product = percent * total
        return roundUp ? (product + 99) / 100 : product / 100
    }

    /// (surge, unavailable) for `desired` replicas; both 0 would never progress, so unavailable
    /// becomes 1 (as upstream).
    static func fenceposts(maxSurge: JSONValue, maxUnavailable: JSONValue, desired: Int) -> (surge: Int, unavailable: Int) {
        let surge = scaled(maxSurge, of: desired, roundUp: true)
        let unavailable = scaled(maxUnavailable, of: desired, roundUp: false)
        if surge == 0 && unavailable == 0 { return (0, 1) }
        return (surge, unavailable)
    }

    /// Pods allowed above `spec.replicas` (0 for Recreate).
    static func maxSurge(_ d: DeploymentView) -> Int {
        guard !d.isRecreate else { return 0 }
        return fenceposts(maxSurge: d.maxSurge, maxUnavailable: d.maxUnavailable, desired: d.replicas).surge
    }

    /// Pods allowed to be unavailable (0 for Recreate or no replicas; at most `spec.replicas`).
    static func maxUnavailable(_ d: DeploymentView) -> Int {
        guard !d.isRecreate, d.replicas > 0 else { return 0 }
        return min(d.replicas, fenceposts(maxSurge: d.maxSurge, maxUnavailable: d.maxUnavailable, desired: d.replicas).unavailable)
    }
}
