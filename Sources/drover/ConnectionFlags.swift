import HTTP

/// The flags of `drover server` and `drover up` that set the HTTP connection limits.
enum ConnectionFlags {
    static let names: [String: Bool] = ["max-connections": true, "max-connections-per-client": true, "connection-timeout": true]

    static let usage = """
    --max-connections N (default: the open-file limit less 512) and --max-connections-per-client N
    (default: an eighth of that) bound what one client address can hold; --connection-timeout SECONDS
    (10) closes a connection silent that long (stalled headers, idle keep-alive). Watches and
    followed logs never time out.
    """

    static func limits(_ flags: Flags) throws -> ConnectionLimits {
        var limits = ConnectionLimits()
        limits.connections = try count(flags, "max-connections")
        limits.perClientConnections = try count(flags, "max-connections-per-client")
        if flags["connection-timeout"] != nil {
            limits.timeoutSeconds = Int(try secondsFlag(flags, "connection-timeout", fallback: 10).rounded(.up))
        }
        return limits
    }

    private static func count(_ flags: Flags, _ name: String) throws -> Int? {
        guard let text = flags[name] else { return nil }
        guard let value = Int(text), value > 0 else { throw UsageError(message: "--\(name) must be a positive integer") }
        return value
    }
}
