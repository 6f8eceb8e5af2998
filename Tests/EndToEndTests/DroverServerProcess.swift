import Client
import Foundation

/// `drover server` on a database of the test's, listening on a free loopback port, as a child
/// process the test may kill, pause and resume.
final class DroverServerProcess: @unchecked Sendable {
    let process = Process()
    private let output: CollectedOutput
    private(set) var server = ""

    /// `arguments` are more `drover server` flags; `listen` is `--listen` (port 0: a free one).
    init(databaseURL: String, listen: String = "127.0.0.1:0", arguments: [String] = []) throws {
        output = CollectedOutput(of: process)
        process.executableURL = URL(fileURLWithPath: DroverBinary.path)
        process.arguments = ["server", "--database-url", databaseURL, "--listen", listen] + arguments
        try process.run()
        output.startReading()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning {
            if let line = logText.split(separator: "\n").first(where: { $0.contains("listening on http://") }),
               let range = line.range(of: "http://") {
                server = String(line[range.lowerBound...])
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw E2EError("drover server did not come up:\n\(logText)")
    }

    var logText: String { output.text }

    /// Sends `signal` without waiting (SIGSTOP, SIGCONT, SIGKILL).
    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Stops the server (SIGTERM, then SIGKILL after 30 s) and waits for it.
    func stop() {
        if process.isRunning {
            send(SIGCONT)
            send(SIGTERM)
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { send(SIGKILL) }
        }
        process.waitUntilExit()
    }

    /// A client of this server (no token file: every caller is admin).
    func client() throws -> HTTPAPIClient { try HTTPAPIClient(server: server, token: nil, requestTimeout: 5) }

    /// Whether this process leads the Lease `name` by its own `leader_election_master_status`
    /// (false when it does not answer).
    func leads(_ name: String = "drover-control-plane") async -> Bool {
        guard let answer = try? await client().raw(RawRequest(path: "/metrics")) else { return false }
        return String(decoding: answer.body, as: UTF8.self).contains("leader_election_master_status{name=\"\(name)\"} 1")
    }
}
