/// Rejects nodes whose free resources (allocatable minus what the pods already there request)
/// cannot cover the pod's effective request: one reason per short resource, in upstream's order
/// (pods, cpu, memory, ephemeral-storage, then extended resources by name).
public struct NodeResourcesFit: FilterPlugin {
    public static let tooManyPods = "Too many pods"
    public let name = "NodeResourcesFit"

    public init() {}

    /// `Insufficient cpu`, `Insufficient example.com/gpu`, ...
    public static func insufficient(_ resource: String) -> String { "Insufficient \(resource)" }

    public func fits(pod: PodInfo, node: NodeInfo) -> Bool {
        var short = false
        forEachShortfall(pod: pod, node: node) { _ in
            short = true
            return false
        }
        return !short
    }

    public func filter(pod: PodInfo, node: NodeInfo) -> FilterVerdict {
        var reasons: [String] = []
        forEachShortfall(pod: pod, node: node) { reason in
            reasons.append(reason)
            return true
        }
        return reasons.isEmpty ? .fits : .rejected(reasons: reasons)
    }

    /// Calls `body` with each shortfall's reason until it returns false. A resource the pod does
    /// not request never falls short, even on an overcommitted node.
    private func forEachShortfall(pod: PodInfo, node: NodeInfo, _ body: (String) -> Bool) {
        // Free amounts are computed field by field: building `allocatable - requested` would
        // allocate a dictionary per node on the hot path.
        let want = pod.requests, have = node.allocatable, used = node.requested
        if used.pods + 1 > have.pods, !body(Self.tooManyPods) { return }
        if want.milliCPU > 0, want.milliCPU > have.milliCPU - used.milliCPU, !body(Self.insufficient("cpu")) { return }
        if want.memory > 0, want.memory > have.memory - used.memory, !body(Self.insufficient("memory")) { return }
        if want.ephemeralStorage > 0, want.ephemeralStorage > have.ephemeralStorage - used.ephemeralStorage,
           !body(Self.insufficient("ephemeral-storage")) { return }
        guard !want.scalars.isEmpty else { return }
        for (resource, amount) in want.scalars.sorted(by: { $0.key < $1.key }) where amount > 0 {
            let free = (have.scalars[resource] ?? 0) - (used.scalars[resource] ?? 0)
            if amount > free, !body(Self.insufficient(resource)) { return }
        }
    }
}
