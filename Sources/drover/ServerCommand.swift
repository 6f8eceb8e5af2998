import APIServer
import Foundation

/// `drover server --database-url URL [--listen HOST:PORT] [--secure-listen HOST:PORT --tls-cert-file F --tls-private-key-file F] [--token-file F]`.
enum ServerCommand {
    static let usage = """
    Usage: drover server --database-url URL [--listen 127.0.0.1:8080] [--token-file FILE]
                         [--secure-listen HOST:PORT --tls-cert-file FILE --tls-private-key-file FILE]
                         [--web-dir DIR] [--migrations-dir DIR] [--watch-heartbeat SECONDS] [--history-window SECONDS]
                         [--event-ttl SECONDS] [--encryption-key-file FILE [--rewrite-secrets]]
                         [--agent-token TOKEN] [--metric-resolution SECONDS] [--no-scheduler] [--no-controllers] [--controllers LIST]
                         [--max-connections N] [--max-connections-per-client N] [--header-timeout SECONDS] [--idle-timeout SECONDS]

    Runs the Drover API server on a PostgreSQL database. The token file holds one
    `token,user,role` line per user (role admin or view); without it every request is admitted.
    kubectl only sends tokens over HTTPS, so give it the --secure-listen address. --listen off
    loopback is refused unless --insecure-http says plain HTTP there is meant.
    --encryption-key-file encrypts Secrets in PostgreSQL with AES-GCM: one NAME:BASE64 key (32 bytes)
    a line, mode 0600; the first encrypts, all decrypt. --rewrite-secrets re-encrypts every Secret
    with the first key at start (key rotation, see the README).
    --agent-token (default $DROVER_AGENT_TOKEN) is presented to agents' log endpoints.
    --metric-resolution (15) is how often agents are polled for metrics.k8s.io (kubectl top).
    \(ControlPlane.usage)
    \(ConnectionFlags.usage)
    \(ObservabilityFlags.usage)
    """

    static func main(_ arguments: [String]) -> Int32 {
        do {
            let flags = try Flags(arguments, known: ["database-url": true, "listen": true, "insecure-http": false, "token-file": true, "web-dir": true,
                                                     "migrations-dir": true, "watch-heartbeat": true, "history-window": true, "event-ttl": true, "secure-listen": true, "tls-cert-file": true,
                                                     "tls-private-key-file": true, "agent-token": true, "metric-resolution": true,
                                                     "encryption-key-file": true, "rewrite-secrets": false].merging(ControlPlane.flagNames) { a, _ in a }.merging(ConnectionFlags.names) { a, _ in a }.merging(ObservabilityFlags.names) { a, _ in a },
                                                     usage: usage)
            try ObservabilityFlags.apply(flags)
            guard let url = flags["database-url"] ?? ProcessInfo.processInfo.environment["DATABASE_URL"] else {
                throw UsageError(message: "--database-url is required\n\n\(usage)")
            }
            let (host, port) = try parseListen(flags["listen"] ?? "127.0.0.1:8080")
            try checkPlainListener(host: host, port: port, flags: flags, flag: "--listen")
            var listeners = [Listener(host: host, port: port)]
            if let secure = flags["secure-listen"] {
                guard let cert = flags["tls-cert-file"], let key = flags["tls-private-key-file"] else {
                    throw UsageError(message: "--secure-listen needs --tls-cert-file and --tls-private-key-file")
                }
                let (secureHost, securePort) = try parseListen(secure)
                listeners.append(Listener(host: secureHost, port: securePort, tls: try loadTLS(certificate: cert, key: key)))
            }
            let schedulerToken = ServerRunner.randomToken()
            let authenticator = (try flags["token-file"].map { try Authenticator(tokenFile: $0) } ?? .allowAll)
                .adding(token: schedulerToken, user: User(name: "system:kube-scheduler", role: .admin))
            let store = try openPostgresStore(url: url, migrationsDirectory: flags["migrations-dir"],
                                              encryptionKeyFile: flags["encryption-key-file"], rewriteSecrets: flags.isSet("rewrite-secrets"))
            var runner = ServerRunner(store: store, authenticator: authenticator, webDirectory: flags["web-dir"] ?? ResourceLocator.webDirectory,
                                      watchHeartbeatSeconds: try secondsFlag(flags, "watch-heartbeat", fallback: 10),
                                      historyWindowSeconds: try secondsFlag(flags, "history-window", fallback: 300),
                                      eventTTLSeconds: try secondsFlag(flags, "event-ttl", fallback: 3600))
            if let token = flags["agent-token"] { runner.agentToken = token }
            runner.metricsScrapeInterval = try secondsFlag(flags, "metric-resolution", fallback: 15)
            runner.connectionLimits = try ConnectionFlags.limits(flags)
            runner.requestLimits = try ConnectionFlags.requestLimits(flags)
            let (api, servers) = try runner.start(listeners)
            for (listener, server) in zip(listeners, servers) {
                print("drover server listening on \(listener.tls == nil ? "http" : "https")://\(listener.host):\(server.port)")
            }
            let controlPlane = try ElectedControlPlane(flags: flags, server: servers[0], listener: listeners[0], token: schedulerToken,
                                                       electsByDefault: true)
            controlPlane.addReadinessChecks(to: api.healthChecks)
            fflush(nil)
            ServerRunner.waitForTermination()
            controlPlane.stop()
            servers.forEach { $0.stop() }
            api.shutdown()
            store.close()
            return 0
        } catch let usage as UsageError {
            if usage.isHelp { print(usage.message); return 0 }
            printError("drover server: \(usage.message)")
            return 2
        } catch {
            printError("drover server: \(error)")
            return 1
        }
    }

    /// `HOST:PORT` → parts; port 0 picks a free port.
    static func parseListen(_ text: String) throws -> (String, UInt16) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw UsageError(message: "a listen address must be HOST:PORT, not \"\(text)\"")
        }
        let host = String(text[..<colon])
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
