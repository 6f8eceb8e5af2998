import Foundation
import Testing
import TestSupport

/// The real binary: `drover up` in a temporary directory, the CLI against it, and a clean stop.
@Suite(.serialized) struct DroverUpTests {
    static let job = """
    {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"hello"},
     "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"main","image":"busybox","command":["echo","hi"]}]}}}}
    """

    @Test func upServesTheCLIAndStopsEverythingItStarted() async throws {

        try await offCooperativePool { try upServesTheCLIAndStopsEverythingItStartedBlocking() }

    }

    func upServesTheCLIAndStopsEverythingItStartedBlocking() throws {
        let up = try DroverUp()
        defer { up.removeData() }
        #expect(up.logText.contains("export DROVER_CONFIG=\(up.dataDir)/config"))
        #expect(up.logText.contains("export KUBECONFIG=\(up.dataDir)/kubeconfig"))
        #expect(FileManager.default.fileExists(atPath: up.kubeconfigPath))

        let namespaces = try up.cli(["get", "namespaces"])
        #expect(namespaces.status == 0, "\(namespaces.output)")
        #expect(namespaces.output.contains("default"))
        #expect(namespaces.output.contains("Active"))

        let file = "\(up.dataDir)/job.json"
        try Self.job.write(toFile: file, atomically: true, encoding: .utf8)
        let applied = try up.cli(["apply", "-f", file])
        #expect(applied.status == 0, "\(applied.output)")
        #expect(applied.output.contains("job.batch/hello created"))
        let again = try up.cli(["apply", "-f", file])
        #expect(again.output.contains("job.batch/hello unchanged"), "\(again.output)")

        let jobs = try up.cli(["get", "jobs", "-A"])
        #expect(jobs.output.contains("NAMESPACE"))
        #expect(jobs.output.contains("hello"))
        let json = try up.cli(["get", "job", "hello", "-o", "json"])
        #expect(json.output.contains("\"backoffLimit\""))

        let deleted = try up.cli(["delete", "job", "hello"])
        #expect(deleted.output.contains("job.batch \"hello\" deleted"), "\(deleted.output)")
        let missing = try up.cli(["delete", "job", "hello"])
        #expect(missing.status == 1)
        #expect(missing.output.contains("Error from server (NotFound)"))

        let postmasterPID = Self.postmasterPID(dataDir: up.dataDir)
        #expect(postmasterPID != nil)
        #expect(up.stop() == 0)
        if let pid = postmasterPID { #expect(kill(pid, 0) != 0, "PostgreSQL \(pid) still running after drover up stopped") }
    }

    @Test func dataSurvivesARestart() async throws {

        try await offCooperativePool { try dataSurvivesARestartBlocking() }

    }

    func dataSurvivesARestartBlocking() throws {
        let first = try DroverUp()
        defer { first.removeData() }
        let file = "\(first.dataDir)/job.json"
        try Self.job.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try first.cli(["apply", "-f", file]).status == 0)
        let token = first.token
        first.stop(signal: SIGINT)

        let second = try DroverUp(dataDir: first.dataDir)
        defer { second.stop() }
        #expect(second.token == token)
        let jobs = try second.cli(["get", "jobs"])
        #expect(jobs.output.contains("hello"), "\(jobs.output)")
    }

    @Test func theDashboardIsServedWithoutAToken() async throws {

        try await offCooperativePool { try theDashboardIsServedWithoutATokenBlocking() }

    }

    func theDashboardIsServedWithoutATokenBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let page = try DroverBinary.run("/usr/bin/env", ["curl", "-sf", "\(up.server)/"])
        #expect(page.output.contains("<title>Drover</title>"))
        let api = try DroverBinary.run("/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "\(up.server)/api/v1/pods"])
        #expect(api.output == "401")
    }

    static func postmasterPID(dataDir: String) -> Int32? {
        guard let text = try? String(contentsOfFile: "\(dataDir)/postgres/postmaster.pid", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.flatMap { Int32($0) }
    }
}
