import APIServer
import HTTP

/// The flags of `drover server` and `drover up` that set the HTTP connection limits.
enum ConnectionFlags {
    static let names: [String: Bool] = ["max-connections": true, "max-connections-per-client": true,
                                        "header-timeout": true, "idle-timeout": true, "max-requests-inflight": true,
                                        "max-mutating-requests-inflight": true, "max-long-running-requests": true]

    static let usage = """
    --max-connections N (default: the open-file limit less 512, less a margin; at most 60000): at the
    total the longest-idle keep-alive connection is closed to admit a new one. --max-connections-per-client N
    (default: an eighth of that, at least 64; loopback included) bounds what one address may hold.
    --header-timeout SECONDS (10) closes a connection whose request headers are not complete that long
    after it opened or its request line arrived; --idle-timeout SECONDS (90) closes a keep-alive
    connection waiting that long for its next request. Watches and followed logs never time out.
    --max-requests-inflight N (400) and --max-mutating-requests-inflight N (200), as kube-apiserver's,
    and --max-long-running-requests N (20000: watches, followed logs) bound what runs at once; beyond
    them — or, past half of them, beyond a user's equal share — a request gets 429 with Retry-After.
    0 is unlimited. The server's own scheduler, controllers and `drover up`'s agent are not limited.
    """

    static func limits(_ flags: Flags) throws -> ConnectionLimits {
        var limits = ConnectionLimits()
        limits.connections = try count(flags, "max-connections")
        limits.perClientConnections = try count(flags, "max-connections-per-client")
        limits.headerTimeoutSeconds = try secondsFlag(flags, "header-timeout", fallback: limits.headerTimeoutSeconds)
        limits.idleTimeoutSeconds = try secondsFlag(flags, "idle-timeout", fallback: limits.idleTimeoutSeconds)
        return limits
    }

    static func requestLimits(_ flags: Flags) throws -> RequestLimits {
        var limits = RequestLimits()
        func seats(_ name: String, _ fallback: Int) throws -> Int {
            guard let text = flags[name] else { return fallback }
            guard let value = Int(text), value >= 0 else { throw UsageError(message: "--\(name) must be a non-negative integer") }
            return value
        }
        limits.readOnly = try seats("max-requests-inflight", limits.readOnly)
        limits.mutating = try seats("max-mutating-requests-inflight", limits.mutating)
        limits.longRunning = try seats("max-long-running-requests", limits.longRunning)
        return limits
    }

    private static func count(_ flags: Flags, _ name: String) throws -> Int? {
        guard let text = flags[name] else { return nil }
        guard let value = Int(text), value > 0 else { throw UsageError(message: "--\(name) must be a positive integer") }
        return value
    }
}
