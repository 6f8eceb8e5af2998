extension Profile {
    /// Places `pod` on one of `nodes`, searching from the first node. A scheduler placing many
    /// pods should use `schedule(_:nodes:tieBreak:nextStartIndex:)` so the search rotates.
    public func schedule(_ pod: PodInfo, nodes: [NodeInfo], tieBreak: TieBreak) -> ScheduleDecision {
        var start = 0
        return schedule(pod, nodes: nodes, tieBreak: tieBreak, nextStartIndex: &start)
    }

    /// Places `pod` on one of `nodes`: filters nodes starting at `nextStartIndex` (wrapping) until
    /// `numFeasibleNodesToFind` pass or every node was tried, scores the feasible ones, and picks
    /// the best. `nextStartIndex` moves past the nodes examined, like upstream's
    /// nextStartNodeIndex, so successive pods do not always search from the same place.
    public func schedule(_ pod: PodInfo, nodes: [NodeInfo], tieBreak: TieBreak,
                         nextStartIndex: inout Int) -> ScheduleDecision {
        guard let index = placement(pod, nodes: nodes, tieBreak: tieBreak, nextStartIndex: &nextStartIndex) else {
            return .unschedulable(message: unschedulableMessage(pod, nodes: nodes).description)
        }
        return .bind(node: nodes[index].name)
    }

    /// The index of the chosen node, or nil when none fits.
    public func placement(_ pod: PodInfo, nodes: [NodeInfo], tieBreak: TieBreak, nextStartIndex: inout Int) -> Int? {
        let feasible = feasibleNodes(pod, nodes: nodes, nextStartIndex: &nextStartIndex)
        if feasible.count <= 1 { return feasible.first }
        let totals = totalScores(pod, nodes: nodes, feasible: feasible)
        return best(feasible, totals: totals, nodes: nodes, tieBreak: tieBreak)
    }

    /// Why every node rejects `pod`: each node counts the reasons of the first filter that says no.
    public func unschedulableMessage(_ pod: PodInfo, nodes: [NodeInfo]) -> UnschedulableMessage {
        var message = UnschedulableMessage(nodeCount: nodes.count)
        for node in nodes {
            for filter in filters {
                if case .rejected(let reasons) = filter.filter(pod: pod, node: node) {
                    message.record(reasons)
                    break
                }
            }
        }
        return message
    }

    /// Indices of the nodes that pass every filter, at most `numFeasibleNodesToFind`.
    func feasibleNodes(_ pod: PodInfo, nodes: [NodeInfo], nextStartIndex: inout Int) -> [Int] {
        let count = nodes.count
        guard count > 0 else { return [] }
        let wanted = numFeasibleNodesToFind(nodeCount: count)
        var feasible: [Int] = []
        feasible.reserveCapacity(wanted)
        var index = rotatesSearchStart && nextStartIndex >= 0 ? nextStartIndex % count : 0
        var examined = 0
        // Buffers rather than `for filter in filters`, which copied each existential out of its
        // array for every node; those copies dominated the profile at thousands of nodes.
        filters.withUnsafeBufferPointer { filters in
            nodes.withUnsafeBufferPointer { nodes in
                while examined < count && feasible.count < wanted {
                    if Self.passes(pod, nodes[index], filters) { feasible.append(index) }
                    examined += 1
                    index += 1
                    if index == count { index = 0 }
                }
            }
        }
        if rotatesSearchStart { nextStartIndex = index }
        return feasible
    }

    private static func passes(_ pod: PodInfo, _ node: NodeInfo, _ filters: UnsafeBufferPointer<any FilterPlugin>) -> Bool {
        for i in filters.indices where !filters[i].fits(pod: pod, node: node) { return false }
        return true
    }

    /// Σ weight × normalised score per feasible node, in `feasible`'s order. Nodes are the outer
    /// loop so each is read once for all plugins.
    func totalScores(_ pod: PodInfo, nodes: [NodeInfo], feasible: [Int]) -> [Int64] {
        let plugins = scores.filter { $0.weight != 0 }
        var perPlugin = [[Int64]](repeating: [Int64](repeating: 0, count: feasible.count), count: plugins.count)
        plugins.withUnsafeBufferPointer { plugins in
            nodes.withUnsafeBufferPointer { nodes in
                for slot in feasible.indices {
                    let node = nodes[feasible[slot]]
                    for p in plugins.indices {
                        perPlugin[p][slot] = plugins[p].plugin.score(pod: pod, node: node)
                    }
                }
            }
        }
        var totals = [Int64](repeating: 0, count: feasible.count)
        for p in plugins.indices {
            plugins[p].plugin.normalize(scores: &perPlugin[p])
            let weight = plugins[p].weight
            for slot in totals.indices { totals[slot] += perPlugin[p][slot] * weight }
        }
        return totals
    }

    /// The feasible node with the highest total; ties go to `tieBreak`.
    func best(_ feasible: [Int], totals: [Int64], nodes: [NodeInfo], tieBreak: TieBreak) -> Int? {
        var chosen: Int?
        var chosenScore = Int64.min
        var ties = 0
        for (slot, index) in feasible.enumerated() {
            let score = totals[slot]
            if score > chosenScore {
                chosen = index
                chosenScore = score
                ties = 1
            } else if score == chosenScore, let current = chosen {
                ties += 1
                switch tieBreak {
                case .firstByName:
                    if nodes[index].name.utf8.lexicographicallyPrecedes(nodes[current].name.utf8) { chosen = index }
                case .random(let pick):
                    if pick(ties) == 0 { chosen = index }
                }
            }
        }
        return chosen
    }
}
