import Foundation
import Synchronization

/// The process's metrics in Prometheus' text exposition format 0.0.4 (what `/metrics` serves on
/// the server and the agent). Families are registered once, usually as `static let`s of the
/// component that updates them, and live as long as the process: counters never reset.
/// `MetricsRegistry.shared` is the process-wide registry (upstream's legacyregistry); tests may
/// make their own.
public final class MetricsRegistry: @unchecked Sendable {
    /// False turns every family's recording into a no-op and the exposition empty, process-wide
    /// (`--no-metrics`: what bench/metrics compares against to measure what recording costs).
    public static var isRecording: Bool {
        get { recording.load(ordering: .relaxed) }
        set { recording.store(newValue, ordering: .relaxed) }
    }
    static let recording = Atomic<Bool>(true)

    /// The registry `/metrics` serves.
    public static let shared = MetricsRegistry()

    private let lock = NSLock()
    private var families: [String: any MetricFamily] = [:]

    public init() {}

    /// Registers `family`, or returns the one already registered under its name (so two
    /// components, or two servers in one test process, share it).
    public func register<F: MetricFamily>(_ family: F) -> F {
        lock.withLock {
            if let existing = families[family.name] as? F { return existing }
            families[family.name] = family
            return family
        }
    }

    /// A counter family (`_total` names by convention).
    public func counter(_ name: String, _ help: String, labels: [String] = []) -> Counter {
        register(Counter(name: name, help: help, labelNames: labels))
    }

    /// A gauge family.
    public func gauge(_ name: String, _ help: String, labels: [String] = []) -> Gauge {
        register(Gauge(name: name, help: help, labelNames: labels))
    }

    /// A histogram family with `buckets` (upper bounds, ascending; +Inf is added).
    public func histogram(_ name: String, _ help: String, labels: [String] = [], buckets: [Double]) -> Histogram {
        register(Histogram(name: name, help: help, labelNames: labels, buckets: buckets))
    }

    /// Every family, sorted by name, as the exposition text.
    public func exposition() -> String {
        guard Self.isRecording else { return "" }
        let all = lock.withLock { families.values.sorted { $0.name < $1.name } }
        var text = ""
        for family in all {
            text += "# HELP \(family.name) \(Exposition.escapeHelp(family.help))\n"
            text += "# TYPE \(family.name) \(family.type)\n"
            family.appendSamples(to: &text)
        }
        return text
    }

    /// The media type of `exposition()`.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}

/// One metric family: a name, help, a type and its labelled series.
public protocol MetricFamily: AnyObject, Sendable {
    var name: String { get }
    var help: String { get }
    /// `counter`, `gauge` or `histogram`.
    var type: String { get }
    /// Appends the sample lines of every series.
    func appendSamples(to text: inout String)
}

/// Shared pieces of the text format.
enum Exposition {
    /// `{a="x",b="y"}` (empty for no labels), values escaped.
    static func labels(_ names: [String], _ values: [String], extra: (String, String)? = nil) -> String {
        var pairs = zip(names, values).map { "\($0)=\"\(escapeValue($1))\"" }
        if let extra { pairs.append("\(extra.0)=\"\(escapeValue(extra.1))\"") }
        return pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}"
    }

    static func escapeValue(_ value: String) -> String {
        var out = ""
        for c in value {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    static func escapeHelp(_ help: String) -> String {
        help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A sample value: integers without a fraction, `+Inf`, `NaN`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
