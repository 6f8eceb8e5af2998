import Foundation
import Logging
import HTTP

/// `/livez` and `/readyz` with named checks, as kube-apiserver's healthz package: `?verbose` lists
/// each as `[+]name ok` or `[-]name failed: reason withheld`, then `livez check passed` (or
/// failed, 500); `/readyz/<name>` runs one check; `?exclude=name` leaves one out. The process adds
/// its own checks (informers synced, leader election) with `add`.
public final class HealthChecks: @unchecked Sendable {
    /// A check: nil when healthy, else why not (logged, never sent: upstream withholds reasons).
    public typealias Check = @Sendable () -> String?

    private let lock = NSLock()
    private var live: [(String, Check)] = []
    private var ready: [(String, Check)] = []

    init() {}

    /// Adds a readiness check (and, with `live: true`, a liveness check too).
    public func add(_ name: String, live isLive: Bool = false, _ check: @escaping Check) {
        lock.withLock {
            ready.append((name, check))
            if isLive { live.append((name, check)) }
        }
    }

    /// The answer for `/livez…` or `/readyz…`; nil for other paths.
    func response(path: String, query: [String: String]) -> HTTPResponse? {
        let parts = path.split(separator: "/").map(String.init)
        guard let endpoint = parts.first, endpoint == "livez" || endpoint == "readyz", parts.count <= 2 else { return nil }
        var checks = lock.withLock { endpoint == "livez" ? live : ready }
        if parts.count == 2 {
            checks = checks.filter { $0.0 == parts[1] }
            if checks.isEmpty { return Self.text(404, "404 page not found\n") }
        }
        let excluded = Set((query["exclude"] ?? "").split(separator: ",").map(String.init))
        checks = checks.filter { !excluded.contains($0.0) }
        var lines: [String] = [], failed = false
        for (name, check) in checks {
            if let reason = check() {
                failed = true
                lines.append("[-]\(name) failed: reason withheld")
                Logger("apiserver").warning("health check failed", ["endpoint": endpoint, "check": name, "reason": reason])
            } else {
                lines.append("[+]\(name) ok")
            }
        }
        let verbose = query["verbose"] != nil || failed
        if !verbose { return Self.text(200, "ok") }
        let summary = "\(endpoint) check \(failed ? "failed" : "passed")"
        return Self.text(failed ? 500 : 200, (lines + [summary]).joined(separator: "\n") + "\n")
    }

    private static func text(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff")],
                     body: Array(body.utf8))
    }
}
