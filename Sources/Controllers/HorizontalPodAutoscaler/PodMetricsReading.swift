import Foundation
import Model

/// One pod's measured usage of one resource, in milli-units (millicores, millibytes) as upstream's
/// metrics client reports it, with the sample's time and window.
public struct PodMetric: Sendable, Equatable {
    /// Usage in milli-units.
    public var value: Int64
    /// When the sample was taken (PodMetrics `timestamp`).
    public var timestamp: Date
    /// Over how long it was measured (PodMetrics `window`).
    public var window: TimeInterval

    public init(value: Int64, timestamp: Date, window: TimeInterval) {
        self.value = value
        self.timestamp = timestamp
        self.window = window
    }
}

/// Reads a metrics.k8s.io/v1beta1 PodMetricsList as upstream's resource metrics client does: a
/// pod's value is the sum over its containers (or the one named container); a pod with a
/// container that lacks the resource is left out (it counts as missing).
public enum PodMetricsReading {
    /// The per-pod values of `resource`; throws upstream's message when the list is empty.
    public static func values(_ list: JSONValue, resource: String, container: String?) throws(ReplicaCalculationError) -> [String: PodMetric] {
        let items = list["items"]?.array ?? []
        if items.isEmpty { throw ReplicaCalculationError("no metrics returned from resource metrics API") }
        var out: [String: PodMetric] = [:]
        for item in items {
            guard let name = item["metadata"]?["name"]?.string else { continue }
            var sum: Int64 = 0
            var complete = true
            var found = container == nil
            for c in item["containers"]?.array ?? [] {
                if let container, c["name"]?.string != container { continue }
                found = true
                guard let raw = c["usage"]?[resource], let quantity = try? Quantity(json: raw) else {
                    complete = false
                    break
                }
                sum += quantity.milliValue
            }
            guard complete, found else { continue }
            let timestamp = item["timestamp"]?.string.flatMap(Timestamp.parse) ?? .distantPast
            let window = item["window"]?.string.flatMap { try? GoDuration.parse($0) }.map { TimeInterval($0) / 1e9 } ?? 0
            out[name] = PodMetric(value: sum, timestamp: timestamp, window: window)
        }
        return out
    }
}

/// Why a replica count could not be computed, in upstream's words.
public struct ReplicaCalculationError: Error, Equatable, CustomStringConvertible {
    /// The error text, as upstream's wraps would print it.
    public var message: String
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
