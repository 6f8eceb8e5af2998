import Foundation
import Metrics
import Postgres

/// The PostgreSQL store's families on `/metrics` (issue 19): how big and how slow its group
/// commits are, and how busy its read pool is. No upstream names exist for these (etcd's are
/// about another store); they carry Drover's prefix.
enum StoreMetrics {
    /// Writes per committed transaction.
    static let batchSize = MetricsRegistry.shared.histogram(
        "drover_store_commit_batch_size", "Writes per transaction of the store's group committer.",
        buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256])
    /// Time from the batch's BEGIN to its COMMIT's answer (fsync included).
    static let commitSeconds = MetricsRegistry.shared.histogram(
        "drover_store_commit_duration_seconds", "Seconds per transaction of the store's group committer, commit included.",
        buckets: Histogram.exponentialSeconds)
    /// Read connections of every PostgresStore in the process, by state.
    static let readConnections = MetricsRegistry.shared.gauge(
        "drover_store_read_connections", "Read connections of the PostgreSQL store's pool, by state (open, in_use) and capacity.",
        labels: ["state"])

    /// Reports `pool` in `readConnections` while it lives.
    static func observe(_ pool: Pool) {
        readConnections.observe { [weak pool] in
            guard let pool else { return nil }
            let usage = pool.usage
            return [(["open"], Double(usage.open)), (["in_use"], Double(usage.inUse)), (["capacity"], Double(pool.capacity))]
        }
    }
}
