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
    /// `nodeIndex` (each node's position in `nodes` by name), when given, finds the nodes a pod is
    /// pinned to without a pass over all of them. `explain: false` leaves an unschedulable pod's
    /// message empty (a caller that may not need it asks `unschedulableMessage` itself: it is a
    /// second pass over every node).
    public func schedule(_ pod: PodInfo, nodes: [NodeInfo], nodeIndex: [String: Int]? = nil, tieBreak: TieBreak,
                         nextStartIndex: inout Int, explain: Bool = true) -> ScheduleDecision {
        if let names = pod.affinityRules.requiredNodeNames {
            // Pinned by name (upstream's NodeAffinity PreFilterResult, a DaemonSet pod's): only those
            // nodes can pass, so only they are filtered and scored.
            let pinned = nodeIndex.map { index in names.compactMap { index[$0] }.sorted().map { nodes[$0] } }
                ?? nodes.filter { names.contains($0.name) }
            var start = 0
            if let index = placement(pod, nodes: pinned, tieBreak: tieBreak, nextStartIndex: &start) {
                return .bind(node: pinned[index].name)
            }
            return .unschedulable(message: explain ? unschedulableMessage(pod, nodes: nodes).description : "")
        }
        guard let index = placement(pod, nodes: nodes, tieBreak: tieBreak, nextStartIndex: &nextStartIndex) else {
            return .unschedulable(message: explain ? unschedulableMessage(pod, nodes: nodes).description : "")
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

    /// Indices of the nodes that pass every filter, at most `numFeasibleNodesToFind`, in search
    /// order. Nodes are filtered a chunk at a time (each filter over the whole chunk); the answer
    /// and the next start are what filtering one node after another would give.
    func feasibleNodes(_ pod: PodInfo, nodes: [NodeInfo], nextStartIndex: inout Int) -> [Int] {
        let count = nodes.count
        guard count > 0 else { return [] }
        let wanted = numFeasibleNodesToFind(nodeCount: count)
        let start = rotatesSearchStart && nextStartIndex >= 0 ? nextStartIndex % count : 0
        var feasible: [Int] = []
        feasible.reserveCapacity(wanted + Self.chunkSize)
        var chunk: [Int] = []
        chunk.reserveCapacity(Self.chunkSize)
        var examined = 0, next = start
        nodes.withUnsafeBufferPointer { nodes in
            while examined < count && feasible.count < wanted {
                chunk.removeAll(keepingCapacity: true)
                for offset in examined..<min(count, examined + Self.chunkSize) { chunk.append((start + offset) % count) }
                examined += chunk.count
                next = (start + examined) % count
                for filter in filters {
                    filter.keepFitting(pod: pod, nodes: nodes, candidates: &chunk)
                    if chunk.isEmpty { break }
                }
                feasible.append(contentsOf: chunk)
            }
        }
        if feasible.count > wanted {
            // The search stops at the wanted-th feasible node; the rest of its chunk counts as unseen.
            feasible.removeLast(feasible.count - wanted)
            next = (feasible[wanted - 1] + 1) % count
        }
        if rotatesSearchStart { nextStartIndex = next }
        return feasible
    }

    /// Nodes filtered per round of the search.
    static let chunkSize = 128

    /// Σ weight × normalised score per feasible node, in `feasible`'s order.
    func totalScores(_ pod: PodInfo, nodes: [NodeInfo], feasible: [Int]) -> [Int64] {
        var totals = [Int64](repeating: 0, count: feasible.count)
        var scores = [Int64](repeating: 0, count: feasible.count)
        nodes.withUnsafeBufferPointer { nodes in
            for entry in self.scores where entry.weight != 0 {
                entry.plugin.scoreAll(pod: pod, nodes: nodes, feasible: feasible, into: &scores)
                entry.plugin.normalize(scores: &scores)
                for slot in totals.indices { totals[slot] += scores[slot] * entry.weight }
            }
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
