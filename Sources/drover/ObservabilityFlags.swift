import Logging
import Metrics

/// `--log-format`, `--log-level` and `--no-metrics` of `drover server`, `drover up` and `drover agent`.
enum ObservabilityFlags {
    static let names: [String: Bool] = ["log-format": true, "log-level": true, "no-metrics": false]

    static let usage = """
    --log-format text|json (text: logfmt) writes one line per event with ts, level, component, msg
    and the object's namespace/name; --log-level LEVEL[,COMPONENT=LEVEL...] (info) keeps error,
    warning, info or debug lines, per component (apiserver, http, store, scheduler, agent,
    controller/NAME; `apiserver=debug` logs every request with its status and latency).
    --no-metrics records no metrics and serves an empty /metrics (to measure what recording costs).
    """

    /// Applies the flags to the process's log configuration and metrics.
    static func apply(_ flags: Flags) throws {
        if flags.isSet("no-metrics") { MetricsRegistry.isRecording = false }
        var format: LogFormat?
        if let text = flags["log-format"] {
            guard let chosen = LogFormat(rawValue: text) else { throw UsageError(message: "--log-format must be text or json") }
            format = chosen
        }
        do {
            try LogConfiguration.shared.configure(format: format, levels: flags["log-level"])
        } catch {
            throw UsageError(message: "--log-level: \(error.description)")
        }
    }
}
