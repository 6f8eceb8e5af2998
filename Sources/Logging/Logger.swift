import Foundation

/// How much a line matters, most severe first: klog's error, warning and info, and debug for the
/// detail upstream hides behind -v=4 (every request, every sync).
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case error, warning, info, debug

    public var name: String { String(describing: self) }

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// Writes one structured line per event for one component (`apiserver`, `scheduler`,
/// `controller/job`, `agent`, …) through `LogConfiguration.shared`: time, level, component, the
/// message, the object it concerns (`namespace/name`) and further fields. Never pass a secret value
/// as a field: lines are for operators.
public struct Logger: Sendable {
    public let component: String
    private let configuration: LogConfiguration

    public init(_ component: String, configuration: LogConfiguration = .shared) {
        self.component = component
        self.configuration = configuration
    }

    /// Whether lines of `level` are kept: check before building an expensive message.
    public func isEnabled(_ level: LogLevel) -> Bool { configuration.keeps(level, component: component) }

    public func error(_ message: String, object: String? = nil, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.error, message, object: object, fields)
    }

    public func warning(_ message: String, object: String? = nil, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.warning, message, object: object, fields)
    }

    public func info(_ message: String, object: String? = nil, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.info, message, object: object, fields)
    }

    public func debug(_ message: String, object: String? = nil, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.debug, message, object: object, fields)
    }

    public func log(_ level: LogLevel, _ message: String, object: String? = nil, _ fields: KeyValuePairs<String, String> = [:]) {
        guard isEnabled(level) else { return }
        var all: [(String, String)] = []
        if let object { all.append(("object", object)) }
        all += fields.map { ($0.key, $0.value) }
        configuration.write(LogLine(time: configuration.clock(), level: level, component: component, message: message, fields: all))
    }
}
