import Foundation

/// The format of log lines.
public enum LogFormat: String, Sendable, CaseIterable {
    /// logfmt: `ts=… level=info component=scheduler msg="pod bound" object=default/web-1 node=n1`.
    case text
    /// One JSON object per line, the same keys.
    case json
}

/// A `--log-level` or `--log-format` that does not parse.
public struct LogConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

/// Which lines are kept and how they are written, for the whole process (set once from its flags;
/// tests make their own). Levels are per component: `info,apiserver=debug,controller/job=warning`
/// keeps info and above everywhere, everything from the API server and only warnings and errors
/// from the Job controller; a component also takes the level of its prefix (`controller=debug`
/// covers `controller/job`).
public final class LogConfiguration: @unchecked Sendable {
    public static let shared = LogConfiguration()

    private let lock = NSLock()
    private var format: LogFormat = .text
    private var defaultLevel: LogLevel = .info
    private var levels: [String: LogLevel] = [:]
    private let sink: @Sendable (String) -> Void
    let clock: @Sendable () -> Date

    /// Lines go to `sink` (standard error by default), one call per line with its newline.
    public init(sink: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.sink = sink
        self.clock = clock
    }

    /// Sets the format and the levels (`level` or `component=level`, comma-separated).
    public func configure(format: LogFormat? = nil, levels spec: String? = nil) throws(LogConfigurationError) {
        var parsedDefault: LogLevel?
        var parsed: [String: LogLevel] = [:]
        for item in (spec ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let level = LogLevel.allCases.first(where: { $0.name == parts.last }) else {
                throw LogConfigurationError(description: "unknown log level \"\(parts.last ?? item)\" (error, warning, info, debug)")
            }
            if parts.count == 2 {
                guard !parts[0].isEmpty else { throw LogConfigurationError(description: "\"\(item)\" names no component") }
                parsed[parts[0]] = level
            } else {
                parsedDefault = level
            }
        }
        lock.withLock {
            if let format { self.format = format }
            if spec != nil {
                defaultLevel = parsedDefault ?? .info
                levels = parsed
            }
        }
    }

    /// Whether `component` keeps lines of `level`: its own level, else its nearest prefix's
    /// (`controller/job` → `controller`), else the default.
    func keeps(_ level: LogLevel, component: String) -> Bool {
        lock.withLock {
            var name = Substring(component)
            while true {
                if let own = levels[String(name)] { return level <= own }
                guard let slash = name.lastIndex(of: "/") else { return level <= defaultLevel }
                name = name[..<slash]
            }
        }
    }

    func write(_ line: LogLine) {
        let text = lock.withLock { format } == .json ? line.json : line.logfmt
        sink(text + "\n")
    }
}
