import APIServer
import Client
import Foundation
import Store

/// `drover up`: the embedded default. A private PostgreSQL in DIR/postgres (unless --database-url),
/// the API server, an admin token and the CLI config and kubeconfig, all stopped by Ctrl-C.
enum UpCommand {
    static let usage = """
    Usage: drover up [--data-dir DIR] [--port 8080] [--secure-port 6443] [--host 127.0.0.1] [--database-url URL]
                     [--no-scheduler] [--no-controllers] [--controllers LIST] [--no-agent]
                     [--web-dir DIR] [--migrations-dir DIR] [--watch-heartbeat SECONDS] [--history-window SECONDS]
                     [--event-ttl SECONDS] [--metric-resolution SECONDS] [--encryption-key-file FILE] [--rewrite-secrets]
                     [--max-connections N] [--max-connections-per-client N] [--header-timeout SECONDS] [--idle-timeout SECONDS]

    Starts Drover on this machine: a private PostgreSQL in DIR/postgres (DIR defaults to ~/.drover),
    the API server and dashboard on --port, the same API over HTTPS on --secure-port (kubectl only
    sends tokens over HTTPS), the scheduler and a local agent (a node named after this host that runs
    pods as processes), and writes DIR/config (for drover) and DIR/kubeconfig (for kubectl).
    --host moves the HTTPS listener; plain HTTP stays on 127.0.0.1 unless --insecure-http.
    \(ControlPlane.usage)
    \(ConnectionFlags.usage)
    \(ObservabilityFlags.usage)
    --metric-resolution (15) is how often the server polls the agent for kubectl top's usage.
    Secrets are encrypted in PostgreSQL with the keys in DIR/encryption-keys (created on first start,
    mode 0600; --encryption-key-file uses another file, --rewrite-secrets re-encrypts with its first key).
    Ctrl-C or SIGTERM stops everything it started.
    """

    static func main(_ arguments: [String]) -> Int32 {
        var embedded: EmbeddedPostgres?
        do {
            let flags = try Flags(arguments, known: ["data-dir": true, "port": true, "secure-port": true, "host": true, "insecure-http": false, "database-url": true,
                                                     "web-dir": true, "migrations-dir": true, "watch-heartbeat": true, "history-window": true, "event-ttl": true, "metric-resolution": true,
                                                     "no-agent": false, "encryption-key-file": true, "rewrite-secrets": false].merging(ControlPlane.flagNames) { a, _ in a }.merging(ConnectionFlags.names) { a, _ in a }.merging(ObservabilityFlags.names) { a, _ in a }, usage: usage)
            try ObservabilityFlags.apply(flags)
            let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
            let dataDir = URL(fileURLWithPath: flags["data-dir"] ?? "\(home)/.drover").standardizedFileURL.path
            guard let port = UInt16(flags["port"] ?? "8080"), let securePort = UInt16(flags["secure-port"] ?? "6443") else {
                throw UsageError(message: "--port and --secure-port must be port numbers")
            }
            let host = flags["host"] ?? "127.0.0.1"
            // Plain HTTP stays on loopback unless told otherwise; --host then only moves HTTPS.
            let plainHost = isLoopback(host) || flags.isSet("insecure-http") ? host : "127.0.0.1"
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)

            let url: String
            if let given = flags["database-url"] {
                url = given
            } else {
                let postgres = EmbeddedPostgres(EmbeddedPostgres.Options(dataDirectory: "\(dataDir)/postgres", fsync: true))
                embedded = postgres
                try postgres.start()
                url = postgres.conninfo()
            }
            // Secrets are encrypted at rest with a key generated on first start (mode 0600).
            let keyFile = flags["encryption-key-file"] ?? "\(dataDir)/encryption-keys"
            if flags["encryption-key-file"] == nil {
                do { try EncryptionKeys.createFile(at: keyFile) } catch { throw UsageError(message: error.message) }
            }
            let store = try openPostgresStore(url: url, migrationsDirectory: flags["migrations-dir"],
                                              encryptionKeyFile: keyFile, rewriteSecrets: flags.isSet("rewrite-secrets"))
            let token = try adminToken(in: dataDir)
            let certificates = LocalCertificates(directory: "\(dataDir)/tls")
            try certificates.ensure()
            let tls = try loadTLS(certificate: certificates.certificatePath, key: certificates.keyPath)
            var runner = ServerRunner(store: store, authenticator: Authenticator(tokens: [token: User(name: "admin", role: .admin)]),
                                      webDirectory: flags["web-dir"] ?? ResourceLocator.webDirectory,
                                      watchHeartbeatSeconds: try secondsFlag(flags, "watch-heartbeat", fallback: 10),
                                      historyWindowSeconds: try secondsFlag(flags, "history-window", fallback: 300),
                                      eventTTLSeconds: try secondsFlag(flags, "event-ttl", fallback: 3600))
            let agentToken = ServerRunner.randomToken()
            runner.agentToken = agentToken
            // One knob for both ends of kubectl top: the agent samples at most every 10 s, the server polls at the resolution.
            let resolution = try secondsFlag(flags, "metric-resolution", fallback: 15)
            runner.metricsScrapeInterval = resolution
            runner.connectionLimits = try ConnectionFlags.limits(flags)
            runner.requestLimits = try ConnectionFlags.requestLimits(flags)
            let (api, servers) = try runner.start([Listener(host: plainHost, port: port), Listener(host: host, port: securePort, tls: tls)])
            let server = "http://\(plainHost):\(servers[0].port)"
            let secureServer = "https://\(host):\(servers[1].port)"
            let controlPlane = try ElectedControlPlane(flags: flags, server: servers[0], listener: Listener(host: plainHost, port: port),
                                                       token: token, electsByDefault: false)
            controlPlane.addReadinessChecks(to: api.healthChecks)
            let agent = flags.isSet("no-agent") ? nil
                : try LocalAgent(client: try ControlPlane.client(loopback: flags.isSet("loopback-client"), server: servers[0], address: server, token: token),
                                 dataDirectory: "\(dataDir)/agent", logToken: agentToken, usageInterval: min(10, resolution),
                                 heartbeat: NodeLifecycleFlags.localHeartbeat(try NodeLifecycleFlags.options(flags)))
            try ClientConfig(server: server, token: token).write(to: "\(dataDir)/config")
            let ca = try String(contentsOfFile: certificates.caPath, encoding: .utf8)
            try writePrivate(Kubeconfig.render(server: secureServer, token: token, certificateAuthorityPEM: ca), to: "\(dataDir)/kubeconfig")
            print("""
            Drover is up.
              Dashboard:  \(server)/#token=\(token)
              API:        \(server) (drover), \(secureServer) (kubectl)
              Database:   \(embedded == nil ? url : "\(dataDir)/postgres (embedded)")

              export DROVER_CONFIG=\(dataDir)/config
              export KUBECONFIG=\(dataDir)/kubeconfig

            Press Ctrl-C to stop.
            """)
            fflush(nil)
            ServerRunner.waitForTermination()
            print("Stopping Drover...")
            agent?.stop()
            controlPlane.stop()
            servers.forEach { $0.stop() }
            api.shutdown()
            store.close()
            embedded?.stop()
            return 0
        } catch let usage as UsageError {
            embedded?.stop()
            if usage.isHelp { print(usage.message); return 0 }
            printError("drover up: \(usage.message)")
            return 2
        } catch {
            embedded?.stop()
            printError("drover up: \(error)")
            return 1
        }
    }

    /// The admin token kept in DIR/admin-token, created on first use.
    static func adminToken(in dataDir: String) throws -> String {
        let path = "\(dataDir)/admin-token"
        if let existing = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           !existing.isEmpty {
            return existing
        }
        let token = ServerRunner.randomToken()
        try writePrivate(token + "\n", to: path)
        return token
    }

    /// Writes a file readable by its owner only (it holds a credential).
    static func writePrivate(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
