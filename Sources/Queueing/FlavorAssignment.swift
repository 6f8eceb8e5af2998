import Model

/// Chooses flavors for a Workload in a ClusterQueue, as Kueue's flavor assigner does with its
/// default fungibility (whenCanBorrow: Borrow): per pod set and resource group, the first flavor
/// in the queue's order that the pods can use (no node-selector conflict, its node taints
/// tolerated) and whose every covered resource fits what the queue can still take, borrowing
/// included. All or nothing: one resource that fits nowhere and the Workload waits.
public enum FlavorAssignment {
    /// Why a Workload does not fit: the first resource short, in the first flavor tried.
    public struct Shortfall: Sendable, Equatable {
        public var resource: String
        public var flavor: String?
        public var needed: Quantity
        public var free: Quantity
        public var nominal: Quantity

        /// `needs 8 cpu, 2 cpu free of 40 nominal`, or why no flavor could be used at all.
        public var text: String {
            guard let flavor else { return "needs \(needed) \(resource), which the ClusterQueue has no quota for" }
            let nominalText = flavor.isEmpty ? "" : " in flavor \(flavor)"
            return "needs \(needed) \(resource), \(free) \(resource) free of \(nominal) nominal\(nominalText)"
        }
    }

    public enum Outcome: Sendable, Equatable {
        case fits(WorkloadAdmission)
        case doesNotFit(Shortfall)
    }

    /// The assignment of `workload` in `queue`, given what `book` has charged so far.
    public static func assign(_ workload: WorkloadView, in queue: ClusterQueueView, book: QuotaBook,
                              flavors: [String: ResourceFlavorView]) -> Outcome {
        var tentative = book
        var assignments: [WorkloadAdmission.Assignment] = []
        for podSet in workload.podSets {
            var request: [String: Quantity] = [:]
            for (resource, amount) in podSet.perPod { request[resource] = amount * Int64(podSet.count) }
            var chosen: [String: String] = [:]
            var usage: [String: Quantity] = [:]
            for (resource, amount) in request.sorted(by: { $0.key < $1.key }) where amount > .zero {
                if chosen[resource] != nil { continue }
                guard let group = queue.resourceGroups.first(where: { $0.coveredResources.contains(resource) }) else {
                    // Kueue counts pods only where a queue covers them.
                    if resource == "pods" { continue }
                    return .doesNotFit(Shortfall(resource: resource, flavor: nil, needed: amount, free: .zero, nominal: .zero))
                }
                let wanted = group.coveredResources.filter { (request[$0] ?? .zero) > .zero }
                var firstShortfall: Shortfall?
                var picked: String?
                for flavor in group.flavors where usable(flavors[flavor.name], by: podSet.template) {
                    let short = wanted.lazy.compactMap { r -> Shortfall? in
                        let fr = FlavorResource(flavor: flavor.name, resource: r)
                        let free = tentative.available(queue.name, fr)
                        let need = request[r] ?? .zero
                        return need <= free ? nil
                            : Shortfall(resource: r, flavor: group.flavors.count > 1 ? flavor.name : "", needed: need, free: free,
                                        nominal: tentative.nominal(queue.name, fr) ?? .zero)
                    }.first
                    if let short {
                        if firstShortfall == nil { firstShortfall = short }
                        continue
                    }
                    picked = flavor.name
                    break
                }
                guard let picked else {
                    return .doesNotFit(firstShortfall
                                       ?? Shortfall(resource: resource, flavor: nil, needed: amount, free: .zero, nominal: .zero))
                }
                for r in wanted {
                    chosen[r] = picked
                    usage[r] = request[r]
                }
            }
            var charged: [FlavorResource: Quantity] = [:]
            for (r, amount) in usage { charged[FlavorResource(flavor: chosen[r]!, resource: r)] = amount }
            tentative.charge(queue.name, charged)
            assignments.append(WorkloadAdmission.Assignment(name: podSet.name, flavors: chosen, resourceUsage: usage, count: podSet.count))
        }
        return .fits(WorkloadAdmission(clusterQueue: queue.name, podSetAssignments: assignments))
    }

    /// A flavor the pods can land on: their node selector does not contradict its node labels, and
    /// they tolerate its node taints (NoSchedule and NoExecute; the flavor's own tolerations are
    /// for other taints of its nodes). A flavor not (yet) stored is not usable.
    static func usable(_ flavor: ResourceFlavorView?, by template: JSONValue) -> Bool {
        guard let flavor else { return false }
        let selector = template["spec"]?["nodeSelector"]?.stringMap ?? [:]
        for (key, value) in flavor.nodeLabels where selector[key].map({ $0 != value }) ?? false { return false }
        let tolerations = (template["spec"]?["tolerations"]?.array ?? []).compactMap(Toleration.init)
        for taint in flavor.nodeTaints where taint.effect != "PreferNoSchedule" {
            if !tolerations.contains(where: { $0.tolerates(taint) }) { return false }
        }
        return true
    }
}
