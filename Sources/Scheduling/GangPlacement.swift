import Model

/// Where a gang's pending members would go on a snapshot of the cluster, all or nothing: the
/// members are placed one after another on a working copy of the nodes (each placement taking its
/// room), so the answer is a set of placements that fit together.
public struct GangPlacement: Sendable, Equatable {
    /// Member index (into the members given) → node name, in placement order. When the gang does
    /// not fit these are the members that could go now, which a waiting gang may hold as reservations.
    public var placements: [(member: Int, node: String)]
    /// How many members had to fit for the gang to go ahead.
    public var needed: Int
    /// Why the gang cannot go ahead (nil when it can): "waiting for gang: 3 of 8 pods can be
    /// placed; 0/20 nodes are available: ...".
    public var waitingMessage: String?

    /// True when at least `needed` members fit at once: bind every placement.
    public var fits: Bool { waitingMessage == nil }

    public static func == (a: GangPlacement, b: GangPlacement) -> Bool {
        a.needed == b.needed && a.waitingMessage == b.waitingMessage
            && a.placements.map(\.member) == b.placements.map(\.member) && a.placements.map(\.node) == b.placements.map(\.node)
    }
}

extension Profile {
    /// Places as many of `members` as fit on `nodes` together and says whether that is at least
    /// `needed` (minMember less the members already placed). `minResources` is checked first
    /// against the free room of every node that can take pods, as the coscheduling plugin's
    /// PreFilter does, so a gang that cannot fit in principle is not searched for.
    public func placeGang(_ members: [PodInfo], needed: Int, minResources: ResourceAmounts = ResourceAmounts(),
                          nodes: [NodeInfo], tieBreak: TieBreak, nextStartIndex: inout Int) -> GangPlacement {
        if let shortage = Self.minResourcesShortage(minResources, nodes: nodes) {
            return GangPlacement(placements: [], needed: needed, waitingMessage: "waiting for gang: \(shortage)")
        }
        guard members.count >= needed else {
            return GangPlacement(placements: [], needed: needed, waitingMessage: "waiting for gang: \(members.count) of \(needed) pods exist")
        }
        var view = nodes
        var placements: [(member: Int, node: String)] = []
        var firstUnplaced: Int?
        for (i, member) in members.enumerated() {
            if let node = placement(member, nodes: view, tieBreak: tieBreak, nextStartIndex: &nextStartIndex) {
                view[node].requested = view[node].requested + member.requests
                placements.append((i, view[node].name))
            } else if firstUnplaced == nil {
                firstUnplaced = i
            }
        }
        guard placements.count < needed else { return GangPlacement(placements: placements, needed: needed, waitingMessage: nil) }
        var message = "waiting for gang: \(placements.count) of \(needed) pods can be placed"
        if let firstUnplaced { message += "; " + unschedulableMessage(members[firstUnplaced], nodes: view).description }
        return GangPlacement(placements: placements, needed: needed, waitingMessage: message)
    }

    /// What is short ("minResources not available in the cluster (cpu 8000m > 4000m free)") when the
    /// ready, schedulable nodes' free room does not cover `minResources`, else nil.
    static func minResourcesShortage(_ minResources: ResourceAmounts, nodes: [NodeInfo]) -> String? {
        guard minResources != ResourceAmounts() else { return nil }
        var free = ResourceAmounts()
        for node in nodes where node.ready && !node.unschedulable {
            free = free + (node.allocatable - node.requested).componentwiseMax(ResourceAmounts())
        }
        var short: [String] = []
        if minResources.milliCPU > free.milliCPU { short.append("cpu \(minResources.milliCPU)m > \(free.milliCPU)m free") }
        if minResources.memory > free.memory { short.append("memory \(minResources.memory) > \(free.memory) free") }
        if minResources.ephemeralStorage > free.ephemeralStorage {
            short.append("ephemeral-storage \(minResources.ephemeralStorage) > \(free.ephemeralStorage) free")
        }
        for (name, amount) in minResources.scalars.sorted(by: { $0.key < $1.key }) where amount > free.scalars[name] ?? 0 {
            short.append("\(name) \(amount) > \(free.scalars[name] ?? 0) free")
        }
        return short.isEmpty ? nil : "minResources not available in the cluster (\(short.joined(separator: ", ")))"
    }
}
