import Model

// A stand-in for the real Profile (written in parallel in this module) so the scheduler loop
// builds: ready + not cordoned + resources fit, scored by most-allocated CPU and memory.
// The lead deletes this file when the real Profile lands.

/// How equal scores are broken.
public enum TieBreak: Sendable {
    /// The first node in the order given (tests).
    case deterministic
    /// A random node among the best (production).
    case random
}

/// Filters and scores nodes for a pod.
public struct Profile: Sendable {
    /// MostAllocated bin-packing.
    public static let binPacking = Profile()

    public func schedule(_ pod: PodInfo, nodes: [NodeInfo], tieBreak: TieBreak) -> ScheduleDecision {
        var reasons: [String: Int] = [:]
        var best: [String] = []
        var bestScore = Int64.min
        for node in nodes {
            var why: [String] = []
            if !node.ready { why.append("node(s) were not ready") }
            if node.unschedulable { why.append("node(s) were unschedulable") }
            let free = node.allocatable - node.requested
            if pod.requests.milliCPU > free.milliCPU { why.append("Insufficient cpu") }
            if pod.requests.memory > free.memory { why.append("Insufficient memory") }
            if pod.requests.pods > free.pods { why.append("Too many pods") }
            if !why.isEmpty {
                why.forEach { reasons[$0, default: 0] += 1 }
                continue
            }
            let after = node.requested + pod.requests
            let cpu = node.allocatable.milliCPU > 0 ? after.milliCPU * 100 / node.allocatable.milliCPU : 0
            let memory = node.allocatable.memory > 0 ? after.memory * 100 / node.allocatable.memory : 0
            let score = (cpu + memory) / 2
            if score > bestScore {
                bestScore = score
                best = [node.name]
            } else if score == bestScore {
                best.append(node.name)
            }
        }
        if let first = best.first {
            return .bind(node: tieBreak == .random ? (best.randomElement() ?? first) : first)
        }
        let summary = reasons.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return .unschedulable(message: "0/\(nodes.count) nodes are available: \(summary).")
    }
}
