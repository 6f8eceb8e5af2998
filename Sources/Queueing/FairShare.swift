import Model

/// Kueue's dominant resource share (DRS) of a ClusterQueue in a cohort, pure: how much of the
/// cohort's lendable quota it borrows, in its most borrowed resource, divided by its weight.
///
/// For a queue Q of cohort C and each resource r (summed over flavors):
/// - borrowed(r) = Σ over Q's flavors of max(0, usage + added − nominal);
/// - lendable(r) = Σ over C's members and flavors of (lendingLimit, or nominal when unset);
/// - ratio(r) = borrowed(r) × 1000 / lendable(r) (integers, cpu in millicores, as Kueue);
/// - share = max ratio × 1000 / weight in thousandths (a weight of 1 leaves the ratio as is).
/// A queue that borrows nothing, or has no cohort, has share 0; a queue of weight 0 that borrows
/// has the largest share there is (it gets nothing beyond its nominal quota while others want it).
public enum FairShare {
    /// The share and the resource that dominates it (nil when the queue borrows nothing).
    public struct Value: Sendable, Equatable, Comparable {
        public var share: Int
        public var resource: String?

        public init(share: Int, resource: String? = nil) {
            self.share = share
            self.resource = resource
        }

        public static func < (a: Value, b: Value) -> Bool { a.share < b.share }
    }

    /// The share of `queueName` in `book` with `adding` charged to it first (negative amounts take
    /// usage away: the share after a victim leaves).
    public static func share(of queueName: String, in book: QuotaBook, adding: [FlavorResource: Quantity] = [:]) -> Value {
        guard let queue = book.queues[queueName], queue.cohort != nil else { return Value(share: 0) }
        var borrowing: [String: Int64] = [:]
        for (fr, quota) in queue.quotas {
            let used = queue.usage[fr] ?? .zero
            let borrowed = used + (adding[fr] ?? .zero) - quota.nominal
            if borrowed > .zero { borrowing[fr.resource, default: 0] += units(borrowed, of: fr.resource) }
        }
        guard !borrowing.isEmpty else { return Value(share: 0) }
        var lendable: [String: Int64] = [:]
        for member in book.members(of: queue) {
            for (fr, quota) in member.quotas { lendable[fr.resource, default: 0] += units(quota.lendingLimit ?? quota.nominal, of: fr.resource) }
        }
        var dominant: (ratio: Int64, resource: String)?
        for (resource, borrowed) in borrowing.sorted(by: { $0.key < $1.key }) {
            guard let pool = lendable[resource], pool > 0 else { continue }
            let ratio = borrowed * 1000 / pool
            if dominant.map({ ratio > $0.ratio }) ?? true { dominant = (ratio, resource) }
        }
        guard let dominant else { return Value(share: 0) }
        guard queue.fairWeightMilli > 0 else { return Value(share: Int.max, resource: dominant.resource) }
        return Value(share: Int(dominant.ratio * 1000 / queue.fairWeightMilli), resource: dominant.resource)
    }

    /// Kueue's integer amount of a resource: millicores for cpu, whole units for everything else.
    static func units(_ amount: Quantity, of resource: String) -> Int64 {
        resource == "cpu" ? amount.milliValue : amount.value
    }
}
