import HTTP

/// The flags of `drover server` and `drover up` that set the HTTP connection limits.
enum ConnectionFlags {
    static let names: [String: Bool] = ["max-connections": true, "max-connections-per-client": true,
                                        "header-timeout": true, "idle-timeout": true]

    static let usage = """
    --max-connections N (default: the open-file limit less 512) and --max-connections-per-client N
    (default: an eighth of that) bound what one client address can hold; --header-timeout SECONDS
    (10) closes requests whose headers stall, --idle-timeout SECONDS (90) idle keep-alive connections.
    Watches and followed logs never time out.
    """

    static func limits(_ flags: Flags) throws -> ConnectionLimits {
        var limits = ConnectionLimits()
        limits.connections = try count(flags, "max-connections")
        limits.perClientConnections = try count(flags, "max-connections-per-client")
        if flags["header-timeout"] != nil { limits.headerTimeoutSeconds = Int(try secondsFlag(flags, "header-timeout", fallback: 10).rounded(.up)) }
        if flags["idle-timeout"] != nil { limits.idleTimeoutSeconds = Int(try secondsFlag(flags, "idle-timeout", fallback: 90).rounded(.up)) }
        return limits
    }

    private static func count(_ flags: Flags, _ name: String) throws -> Int? {
        guard let text = flags[name] else { return nil }
        guard let value = Int(text), value > 0 else { throw UsageError(message: "--\(name) must be a positive integer") }
        return value
    }
}
