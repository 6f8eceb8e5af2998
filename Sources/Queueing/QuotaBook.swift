import Model

/// The quota of every ClusterQueue and what is charged against it, by (flavor, resource): the
/// arithmetic of Kueue's cohorts, pure.
///
/// For a queue Q and a (flavor, resource) FR with nominal quota N, usage U, lending limit L and
/// borrowing limit B:
/// - Q keeps `N − L` for itself (its guaranteed part; 0 without a lending limit) and lends the
///   rest, `L` (or all of N), to its cohort's pool;
/// - the pool's capacity is the sum of the members' lendable parts; what a member uses beyond its
///   guaranteed part is charged to the pool;
/// - Q may use its unused guaranteed part plus the pool's free room, but never more than `N + B`
///   in total (B unset: no limit);
/// - a queue without a cohort has exactly `N − U`.
public struct QuotaBook: Sendable, Equatable {
    /// One queue's quotas and usage.
    public struct Queue: Sendable, Equatable {
        public var name: String
        public var cohort: String?
        public var quotas: [FlavorResource: ClusterQueueView.ResourceQuota]
        public var usage: [FlavorResource: Quantity] = [:]
        /// `spec.fairSharing.weight` in thousandths (1000 when unset).
        public var fairWeightMilli: Int64

        public init(name: String, cohort: String?, quotas: [FlavorResource: ClusterQueueView.ResourceQuota], fairWeightMilli: Int64 = 1000) {
            self.name = name
            self.cohort = cohort
            self.quotas = quotas
            self.fairWeightMilli = fairWeightMilli
        }

        /// The part of nominal quota the queue does not lend.
        func guaranteed(_ fr: FlavorResource) -> Quantity {
            guard let quota = quotas[fr] else { return .zero }
            guard let lending = quota.lendingLimit else { return .zero }
            return quota.nominal - lending
        }

        func lendable(_ fr: FlavorResource) -> Quantity {
            guard let quota = quotas[fr] else { return .zero }
            return quota.lendingLimit ?? quota.nominal
        }

        func used(_ fr: FlavorResource) -> Quantity { usage[fr] ?? .zero }

        /// Usage above nominal: what the queue borrows from its cohort.
        public func borrowed(_ fr: FlavorResource) -> Quantity {
            max(.zero, used(fr) - (quotas[fr]?.nominal ?? .zero))
        }
    }

    public private(set) var queues: [String: Queue] = [:]
    /// Cohorts that share by dominant resource share (one of their queues sets `spec.fairSharing`).
    public var fairCohorts: Set<String> = []

    public init(_ queues: [Queue] = [], fairCohorts: Set<String> = []) {
        for queue in queues { self.queues[queue.name] = queue }
        self.fairCohorts = fairCohorts
    }

    /// True when `queue` is in a cohort that shares by dominant resource share.
    public func sharesFairly(_ queue: String) -> Bool {
        queues[queue]?.cohort.map(fairCohorts.contains) ?? false
    }

    /// Builds the book from the ClusterQueues as stored.
    public init(clusterQueues: [ClusterQueueView]) {
        self.init(clusterQueues.map { view in
            var quotas: [FlavorResource: ClusterQueueView.ResourceQuota] = [:]
            for group in view.resourceGroups {
                for flavor in group.flavors {
                    for (resource, quota) in flavor.resources { quotas[FlavorResource(flavor: flavor.name, resource: resource)] = quota }
                }
            }
            return Queue(name: view.name, cohort: view.cohort, quotas: quotas, fairWeightMilli: view.fairWeightMilli)
        }, fairCohorts: Set(clusterQueues.filter(\.declaresFairSharing).compactMap(\.cohort)))
    }

    /// Charges (or, negative, releases) usage to a queue. Usage of an unknown queue is ignored.
    public mutating func charge(_ queue: String, _ usage: [FlavorResource: Quantity]) {
        guard queues[queue] != nil else { return }
        for (fr, amount) in usage { queues[queue]!.usage[fr, default: .zero] += amount }
    }

    /// The members of a queue's cohort (itself alone without one).
    public func members(of queue: Queue) -> [Queue] {
        guard let cohort = queue.cohort else { return [queue] }
        return queues.values.filter { $0.cohort == cohort }
    }

    /// What `queue` can still take of `fr`, borrowing included (never negative).
    public func available(_ queueName: String, _ fr: FlavorResource) -> Quantity {
        guard let queue = queues[queueName], let quota = queue.quotas[fr] else { return .zero }
        let used = queue.used(fr)
        guard queue.cohort != nil else { return max(.zero, quota.nominal - used) }
        var poolCapacity = Quantity.zero, poolUsage = Quantity.zero
        for member in members(of: queue) where member.quotas[fr] != nil {
            poolCapacity += member.lendable(fr)
            poolUsage += max(.zero, member.used(fr) - member.guaranteed(fr))
        }
        var available = max(.zero, queue.guaranteed(fr) - used) + max(.zero, poolCapacity - poolUsage)
        if let limit = quota.borrowingLimit {
            available = min(available, quota.nominal + limit - used)
        }
        return max(.zero, available)
    }

    /// The nominal quota of `fr` in `queue`, if it has one.
    public func nominal(_ queueName: String, _ fr: FlavorResource) -> Quantity? { queues[queueName]?.quotas[fr]?.nominal }

    /// The usage charged to `fr` in `queue`.
    public func usage(_ queueName: String, _ fr: FlavorResource) -> Quantity { queues[queueName]?.used(fr) ?? .zero }
}
