import Foundation

/// What counters and gauges share: a value per label set, plus sources read at scrape time.
public class ValueFamily: @unchecked Sendable {
    public let name: String
    public let help: String
    public let labelNames: [String]
    let lock = NSLock()
    var series: [[String]: Double] = [:]
    private var sources: [@Sendable () -> [([String], Double)]?] = []

    init(name: String, help: String, labelNames: [String]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
    }

    /// The current value of one series (0 if never set).
    public func value(_ labels: String...) -> Double { lock.withLock { series[labels] ?? 0 } }

    /// Series read at every scrape (queue depths, pool use, another module's own counters): the
    /// closure returns (label values, value) pairs; several sources add up per label set, so two
    /// instances report their sum. A source returning nil (its object is gone) is dropped.
    public func observe(_ source: @escaping @Sendable () -> [([String], Double)]?) {
        lock.withLock { sources.append(source) }
    }

    public func appendSamples(to text: inout String) {
        var snapshot: [[String]: Double]
        let observers: [@Sendable () -> [([String], Double)]?]
        (snapshot, observers) = lock.withLock { (series, sources) }
        var gone: [Int] = []
        for (index, source) in observers.enumerated() {
            guard let pairs = source() else {
                gone.append(index)
                continue
            }
            for (labels, value) in pairs { snapshot[labels, default: 0] += value }
        }
        if !gone.isEmpty {
            // Sources are only ever appended, so the indices read above still name the same ones.
            lock.withLock { for index in gone.reversed() { sources.remove(at: index) } }
        }
        for (labels, value) in snapshot.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            text += "\(name)\(Exposition.labels(labelNames, labels)) \(Exposition.number(value))\n"
        }
    }
}

/// A counter family: monotonic totals per label values. `inc` on an unseen label set creates it;
/// an observed source must itself only grow.
public final class Counter: ValueFamily, MetricFamily, @unchecked Sendable {
    public var type: String { "counter" }

    public override init(name: String, help: String, labelNames: [String] = []) {
        super.init(name: name, help: help, labelNames: labelNames)
    }

    /// Adds `amount` (≥ 0; negative amounts are ignored, a counter never goes down).
    public func inc(_ labels: [String], by amount: Double = 1) {
        guard amount >= 0, MetricsRegistry.isRecording else { return }
        lock.withLock { series[labels, default: 0] += amount }
    }

    public func inc(_ labels: String..., by amount: Double = 1) { inc(labels, by: amount) }
}

/// A gauge family: values that go up and down per label values, or computed at scrape time.
public final class Gauge: ValueFamily, MetricFamily, @unchecked Sendable {
    public var type: String { "gauge" }

    public override init(name: String, help: String, labelNames: [String] = []) {
        super.init(name: name, help: help, labelNames: labelNames)
    }

    public func set(_ value: Double, _ labels: [String]) {
        guard MetricsRegistry.isRecording else { return }
        lock.withLock { series[labels] = value }
    }

    public func set(_ value: Double, _ labels: String...) { set(value, labels) }

    public func add(_ delta: Double, _ labels: [String]) {
        guard MetricsRegistry.isRecording else { return }
        lock.withLock { series[labels, default: 0] += delta }
    }

    public func add(_ delta: Double, _ labels: String...) { add(delta, labels) }
}
