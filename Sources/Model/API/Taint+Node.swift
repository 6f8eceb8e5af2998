/// The well-known node taint keys (upstream's `node.kubernetes.io/…`), which the node lifecycle
/// controller puts on and takes off nodes from their conditions.
extension Taint {
    /// The agent reports `Ready=False`.
    public static let notReadyKey = "node.kubernetes.io/not-ready"
    /// `Ready=Unknown`: the agent stopped heartbeating.
    public static let unreachableKey = "node.kubernetes.io/unreachable"
    /// `spec.unschedulable` (cordoned).
    public static let unschedulableKey = "node.kubernetes.io/unschedulable"
    public static let memoryPressureKey = "node.kubernetes.io/memory-pressure"
    public static let diskPressureKey = "node.kubernetes.io/disk-pressure"
    public static let pidPressureKey = "node.kubernetes.io/pid-pressure"
    public static let networkUnavailableKey = "node.kubernetes.io/network-unavailable"

    /// Same key and effect (upstream's MatchTaint): the value does not tell two taints apart.
    public func matches(_ other: Taint) -> Bool { key == other.key && effect == other.effect }
}
