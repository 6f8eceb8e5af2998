import Foundation

/// One reading of a cumulative CPU counter and the memory working set at a moment.
struct UsageSample: Sendable, Equatable {
    var time: Date
    var cpuNanoseconds: Int64
    var workingSetBytes: Int64
}

/// The last two samples of one container (or the node): CPU as a rate over the window between
/// them, as the kubelet's resource metrics and metrics-server compute it.
struct UsageWindow: Sendable, Equatable {
    var older: UsageSample?
    var newer: UsageSample

    /// The window after a new sample; a counter that went backwards (a restarted container
    /// behind the same key) starts over from the new sample alone.
    func adding(_ sample: UsageSample) -> UsageWindow {
        guard sample.cpuNanoseconds >= newer.cpuNanoseconds, sample.time > newer.time else { return UsageWindow(older: nil, newer: sample) }
        return UsageWindow(older: newer, newer: sample)
    }

    /// CPU used per second of the window, in nanocores (1e9 = one core); nil until two samples exist.
    var nanocores: Int64? {
        guard let older else { return nil }
        let seconds = newer.time.timeIntervalSince(older.time)
        guard seconds > 0 else { return nil }
        return Int64((Double(newer.cpuNanoseconds - older.cpuNanoseconds) / seconds).rounded())
    }

    /// The window's length in seconds (0 before two samples).
    var seconds: Double { older.map { newer.time.timeIntervalSince($0.time) } ?? 0 }
}
