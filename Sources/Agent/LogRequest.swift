import Foundation
import Model

/// The query of a log read, as the API server's pods/log takes it.
public struct LogRequest: Sendable, Equatable {
    public var container: String?
    public var follow = false
    public var previous = false
    public var timestamps = false
    public var tailLines: Int?
    public var sinceSeconds: Int?
    public var limitBytes: Int?

    public init() {}

    /// Reads the query parameters; a malformed number is an error with a full-sentence message.
    public init(query: [String: String]) throws(AgentConfigurationError) {
        func flag(_ name: String) -> Bool { query[name] == "true" || query[name] == "1" || query[name] == "" }
        func number(_ name: String) throws(AgentConfigurationError) -> Int? {
            guard let text = query[name] else { return nil }
            guard let value = Int(text), value >= 0 else {
                throw AgentConfigurationError(message: "\(name) must be a non-negative integer, not \"\(text)\"")
            }
            return value
        }
        container = query["container"].flatMap { $0.isEmpty ? nil : $0 }
        follow = flag("follow")
        previous = flag("previous")
        timestamps = flag("timestamps")
        tailLines = try number("tailLines")
        sinceSeconds = try number("sinceSeconds")
        limitBytes = try number("limitBytes")
    }

    /// Applies sinceSeconds, tailLines, timestamps and limitBytes to a log file's content.
    /// The runtime writes raw output without per-line times, so `sinceSeconds` keeps or drops the
    /// whole file by its modification time and `timestamps` prefixes that time.
    func render(_ content: [UInt8], modified: Date, now: Date) -> [UInt8] {
        if let sinceSeconds, modified < now.addingTimeInterval(-TimeInterval(sinceSeconds)) { return [] }
        var lines = Self.lines(content)
        if let tailLines { lines = Array(lines.suffix(tailLines)) }
        var out: [UInt8] = []
        let prefix = timestamps ? Array((Timestamp.format(modified) + " ").utf8) : []
        for line in lines { out += prefix + line }
        if let limitBytes { out = Array(out.prefix(limitBytes)) }
        return out
    }

    /// Splits after each newline; a final unterminated line is a line too.
    static func lines(_ content: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = content.startIndex
        for index in content.indices where content[index] == UInt8(ascii: "\n") {
            lines.append(content[start...index])
            start = index + 1
        }
        if start < content.endIndex { lines.append(content[start...]) }
        return lines
    }
}
