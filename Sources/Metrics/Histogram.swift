import Foundation

/// A histogram family: per label values, cumulative bucket counts, a sum and a count.
public final class Histogram: MetricFamily, @unchecked Sendable {
    public let name: String
    public let help: String
    public let labelNames: [String]
    /// Upper bounds, ascending (the +Inf bucket is implied).
    public let buckets: [Double]
    public var type: String { "histogram" }
    private let lock = NSLock()
    private var series: [[String]: Series] = [:]

    struct Series {
        var counts: [UInt64]
        var sum = 0.0
        var count: UInt64 = 0
    }

    public init(name: String, help: String, labelNames: [String] = [], buckets: [Double]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
        self.buckets = buckets.sorted()
    }

    /// Upstream's usual latency buckets for requests (seconds).
    public static let requestLatencyBuckets: [Double] = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5,
                                                         6, 8, 10, 15, 20, 30, 45, 60]
    /// client-go's work-queue buckets: 10^-8 … 10 s by powers of ten.
    public static let workQueueBuckets: [Double] = (0..<10).map { pow(10, Double($0 - 8)) }
    /// Powers of two from 1 ms to ~16 s (the scheduler's and work queues' buckets).
    public static let exponentialSeconds: [Double] = (0..<15).map { 0.001 * pow(2, Double($0)) }

    public func observe(_ value: Double, _ labels: String...) { observe(value, labels) }

    /// Records one observation.
    public func observe(_ value: Double, _ labels: [String]) {
        guard MetricsRegistry.isRecording else { return }
        // Binary search: the first bucket whose bound is ≥ value.
        var lo = 0, hi = buckets.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if buckets[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        lock.withLock {
            var s = series[labels] ?? Series(counts: Array(repeating: 0, count: buckets.count))
            if lo < buckets.count { s.counts[lo] += 1 }
            s.sum += value
            s.count += 1
            series[labels] = s
        }
    }

    /// The number of observations of one series.
    public func count(_ labels: String...) -> UInt64 { lock.withLock { series[labels]?.count ?? 0 } }

    public func appendSamples(to text: inout String) {
        let snapshot = lock.withLock { series }
        for (labels, s) in snapshot.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            var cumulative: UInt64 = 0
            for (bound, count) in zip(buckets, s.counts) {
                cumulative += count
                text += "\(name)_bucket\(Exposition.labels(labelNames, labels, extra: ("le", Exposition.number(bound)))) \(cumulative)\n"
            }
            text += "\(name)_bucket\(Exposition.labels(labelNames, labels, extra: ("le", "+Inf"))) \(s.count)\n"
            text += "\(name)_sum\(Exposition.labels(labelNames, labels)) \(Exposition.number(s.sum))\n"
            text += "\(name)_count\(Exposition.labels(labelNames, labels)) \(s.count)\n"
        }
    }
}
