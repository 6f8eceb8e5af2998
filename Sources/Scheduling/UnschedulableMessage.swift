/// Builds upstream's FitError message, "0/5 nodes are available: 2 node(s) had untolerated taint
/// {dedicated: gpu}, 3 Insufficient cpu.", from the reasons each rejected node gave.
public struct UnschedulableMessage: Sendable, Equatable, CustomStringConvertible {
    /// How many nodes were considered (the N in "0/N").
    public var nodeCount: Int
    /// How many nodes gave each reason.
    public private(set) var reasonCounts: [String: Int] = [:]

    public init(nodeCount: Int) {
        self.nodeCount = nodeCount
    }

    /// Counts one rejected node's reasons.
    public mutating func record(_ reasons: [String]) {
        for reason in reasons { reasonCounts[reason, default: 0] += 1 }
    }

    /// Upstream sorts the "count reason" strings themselves (Go's sort.Strings, bytewise), so the
    /// order follows the counts' digits first, not their size.
    public var description: String {
        if nodeCount == 0 { return "no nodes available to schedule pods" }
        let entries = reasonCounts.map { "\($0.value) \($0.key)" }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        guard !entries.isEmpty else { return "0/\(nodeCount) nodes are available." }
        return "0/\(nodeCount) nodes are available: \(entries.joined(separator: ", "))."
    }
}
