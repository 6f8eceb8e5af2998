import APIServer
import Dispatch
import Foundation
import HTTP
import Logging
import Client
import Model
import Store

/// One address the API is served on, plain HTTP or HTTPS.
struct Listener {
    var host: String
    var port: UInt16
    var tls: TLSCredentials?
}

/// Runs the API server over a store on one or more listeners until SIGINT or SIGTERM.
struct ServerRunner {
    var store: any ObjectStore
    var authenticator: Authenticator
    var webDirectory: String?
    /// Seconds between heartbeats on idle watch streams.
    var watchHeartbeatSeconds: Double = 10
    /// Seconds of change history kept for watches and continue tokens.
    var historyWindowSeconds: Double = 300
    /// Seconds after its last activity an Event is deleted.
    var eventTTLSeconds: Double = 3600
    /// Token presented to agents' log endpoints (pods/log proxying).
    var agentToken: String? = ProcessInfo.processInfo.environment["DROVER_AGENT_TOKEN"]
    /// Seconds between polls of the agents for metrics.k8s.io (`--metric-resolution`).
    var metricsScrapeInterval: Double = 15
    /// Connection limits and timeouts of every listener.
    var connectionLimits = ConnectionLimits()
    /// Seats for requests in flight (overload protection).
    var requestLimits = RequestLimits()

    static let maxBodyBytes = 3 * 1024 * 1024

    /// Starts the API server and one HTTP server per listener.
    func start(_ listeners: [Listener]) throws -> (APIServer, [HTTPServer]) {
        let api = try APIServer(configuration: APIServerConfiguration(store: store, authenticator: authenticator,
                                                                      webDirectory: webDirectory, watchHeartbeatSeconds: watchHeartbeatSeconds,
                                                                      historyWindowSeconds: historyWindowSeconds, eventTTLSeconds: eventTTLSeconds,
                                                                      maxBodyBytes: Self.maxBodyBytes, agentToken: agentToken)
            .withMetricsScrapeInterval(metricsScrapeInterval).withRequestLimits(requestLimits))
        var servers: [HTTPServer] = []
        do {
            for listener in listeners {
                servers.append(try HTTPServer(configuration: HTTPServerConfiguration(
                    host: listener.host, port: listener.port, ioThreads: 4, workerThreads: 64, maxBodyBytes: Self.maxBodyBytes,
                    tooLargeResponse: { limit in
                        HTTPResponse(status: 413, headers: [("Content-Type", "application/json")],
                                     body: StatusError.tooLarge(limit: limit).statusObject.serialized())
                    }, tls: listener.tls, limits: connectionLimits), handler: api))
                HTTPServerMetrics.observe(servers[servers.count - 1])
            }
        } catch {
            servers.forEach { $0.stop() }
            api.shutdown()
            throw error
        }
        return (api, servers)
    }

    /// A random hex token for in-process clients.
    static func randomToken() -> String {
        (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// Blocks until SIGINT or SIGTERM.
    static func waitForTermination() {
        let done = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { done.signal() }
            source.resume()
            sources.append(source)
        }
        done.wait()
        for source in sources { source.cancel() }
    }
}

/// Opens the PostgreSQL store after applying migrations, behind the memory of recent writes that
/// lets updates and patches skip their read. With an encryption key file Secrets are sealed
/// between the two (`EncryptingStore`), so the memory above holds plaintext and PostgreSQL none;
/// `rewriteSecrets` first re-encrypts every Secret not sealed with the file's first key.
func openPostgresStore(url: String, migrationsDirectory: String?, encryptionKeyFile: String? = nil,
                       rewriteSecrets: Bool = false) throws -> any ObjectStore {
    guard let migrations = migrationsDirectory ?? ResourceLocator.migrationsDirectory else {
        throw UsageError(message: "cannot find the migrations directory next to the executable; pass --migrations-dir")
    }
    _ = try Migrator(directory: migrations).migrate(conninfo: url)
    let postgres = try PostgresStore(conninfo: url)
    guard let encryptionKeyFile else {
        if rewriteSecrets { throw UsageError(message: "--rewrite-secrets needs --encryption-key-file") }
        return RecentObjectsStore(postgres)
    }
    let keys: EncryptionKeys
    do { keys = try EncryptionKeys(file: encryptionKeyFile) } catch { throw UsageError(message: "--encryption-key-file: \(error.message)") }
    let encrypting = EncryptingStore(postgres, encryption: SecretEncryption(keys: keys))
    if rewriteSecrets {
        let count = try encrypting.rewriteStale()
        Logger("store").info("rewrote \(count) Secrets with encryption key \"\(keys.keys[0].name)\"")
    }
    return RecentObjectsStore(encrypting)
}

/// A `--NAME SECONDS` flag, validated; `fallback` when absent.
func secondsFlag(_ flags: Flags, _ name: String, fallback: Double) throws -> Double {
    guard let text = flags[name] else { return fallback }
    guard let seconds = Double(text), seconds > 0 else { throw UsageError(message: "--\(name) must be a positive number of seconds") }
    return seconds
}

/// Reads a PEM certificate and key pair from files.
func loadTLS(certificate: String, key: String) throws -> TLSCredentials {
    do {
        return TLSCredentials(certificatePEM: try String(contentsOfFile: certificate, encoding: .utf8),
                              privateKeyPEM: try String(contentsOfFile: key, encoding: .utf8))
    } catch {
        throw UsageError(message: "cannot read the TLS certificate or key: \(error.localizedDescription)")
    }
}

/// Refuses a plain-HTTP listener on `host` unless it is loopback or `--insecure-http` was given:
/// off loopback, bearer tokens (and everything else) would cross the network in the clear.
func checkPlainListener(host: String, port: UInt16, flags: Flags, flag: String) throws {
    guard !isLoopback(host), !flags.isSet("insecure-http") else { return }
    throw UsageError(message: "\(flag) \(host):\(port) is not a loopback address, and plain HTTP there would send tokens and "
        + "objects over the network in the clear. Serve HTTPS there (--secure-listen with --tls-cert-file and "
        + "--tls-private-key-file) and keep --listen on 127.0.0.1, or pass --insecure-http to serve plain HTTP anyway.")
}

/// True for 127.0.0.0/8, ::1 and localhost.
func isLoopback(_ host: String) -> Bool {
    host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
}
