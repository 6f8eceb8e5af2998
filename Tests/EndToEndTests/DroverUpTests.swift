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

    @Test func aKilledEmbeddedPostgresIsRestartedAndTheAPIComesBack() async throws {
        try await offCooperativePool { try aKilledEmbeddedPostgresIsRestartedBlocking() }
    }

    func aKilledEmbeddedPostgresIsRestartedBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let file = "\(up.dataDir)/job.json"
        try Self.job.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try up.cli(["apply", "-f", file]).status == 0)
        let old = try #require(Self.postmasterPID(dataDir: up.dataDir))
        kill(old, SIGKILL)
        // The API answers again, with what was stored before, once PostgreSQL is back.
        var jobs = (status: Int32(1), output: "")
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            jobs = try up.cli(["get", "jobs"])
            if jobs.status == 0 && jobs.output.contains("hello") { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        #expect(jobs.output.contains("hello"), "\(jobs.output)\n\(up.logText.suffix(2000))")
        #expect(up.logText.contains("PostgreSQL (pid \(old)) exited with status 137; restarting it"))
        let new = try #require(Self.postmasterPID(dataDir: up.dataDir))
        #expect(new != old)
        // No zombie left under drover up (its agent makes it the subreaper of orphaned backends).
        let zombies = Self.zombieChildren(of: up.process.processIdentifier)
        #expect(zombies.isEmpty, "zombies: \(zombies)")
    }

    /// Children of `parent` that have exited and not been reaped.
    static func zombieChildren(of parent: Int32) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && fields[0] == "Z" && Int32(fields[1]) == parent
        }
    }

    static func postmasterPID(dataDir: String) -> Int32? {
        guard let text = try? String(contentsOfFile: "\(dataDir)/postgres/postmaster.pid", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.flatMap { Int32($0) }
    }
}
