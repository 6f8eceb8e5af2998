import Client
import Foundation
import Model
import Testing
import TestSupport

/// Two real `drover server` processes on one PostgreSQL, hollow nodes on the first, an Indexed Job
/// of 60 one-second completions — and the leader is paused past its lease, resumed, and the new
/// leader killed with SIGKILL, all while the Job runs. The Lease moves each time; the paused
/// leader's stale writes are fenced; the Job completes with every index succeeded exactly once and
/// no index given a second pod.
@Suite(.serialized) struct LeaderElectionEndToEndTests {
    static let electionFlags = ["--leader-elect-lease-duration", "4s", "--leader-elect-renew-deadline", "3s",
                                "--leader-elect-retry-period", "1s"]

    static let job = """
    {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "indexed"},
     "spec": {"completions": 60, "parallelism": 6, "completionMode": "Indexed", "backoffLimit": 0,
              "template": {"spec": {"restartPolicy": "Never",
                                    "containers": [{"name": "c", "image": "none", "command": ["true"]}]}}}}
    """

    static func succeeded(_ client: HTTPAPIClient) async -> Int64 {
        (try? await client.get(ResourceCatalog.jobs, namespace: "default", name: "indexed"))?.value(at: ["status", "succeeded"])?.int ?? 0
    }

    /// `drover sim nodes` against `server`, whose pods run for a second.
    static func hollowNodes(on server: DroverServerProcess, count: Int) throws -> Process {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("leader-e2e-\(UUID().uuidString.prefix(8))").path
        try ClientConfig(server: server.server).write(to: config)
        let nodes = Process()
        nodes.executableURL = URL(fileURLWithPath: DroverBinary.path)
        nodes.arguments = ["sim", "nodes", "--count", String(count), "--run-seconds", "1", "--prefix", "hollow-"]
        nodes.environment = ProcessInfo.processInfo.environment.merging(["DROVER_CONFIG": config]) { _, new in new }
        nodes.standardOutput = FileHandle.nullDevice
        nodes.standardError = FileHandle.nullDevice
        try nodes.run()
        return nodes
    }

    @Test func theLeaseMovesOnPauseAndKillAndTheJobCompletesExactlyOnce() async throws {
        try await offCooperativePool {
            let database = try TemporaryPostgres.createDatabase()
            let a = try DroverServerProcess(databaseURL: database, arguments: Self.electionFlags)
            defer { a.stop() }
            #expect(await eventually(within: 20) { await a.leads() }, "the first server leads")
            let b = try DroverServerProcess(databaseURL: database, arguments: Self.electionFlags)
            defer { b.stop() }
            let nodes = try Self.hollowNodes(on: a, count: 3)
            defer { nodes.interrupt(); nodes.waitUntilExit() }
            let viaA = try a.client(), viaB = try b.client()
            _ = try await viaA.create(ResourceCatalog.jobs, namespace: "default", object: try JSONValue.parse(Self.job))
            #expect(await eventually(within: 60) { await Self.succeeded(viaA) >= 6 })
            #expect(!(await b.leads()))
            let ready = try await viaB.raw(RawRequest(path: "/readyz", query: [("verbose", "")]))
            #expect(String(decoding: ready.body, as: UTF8.self).contains("[+]leader-election ok"), "a follower is ready")

            // Paused past its lease: b takes over; resumed, a steps down and writes nothing more.
            a.send(SIGSTOP)
            #expect(await eventually(within: 20) { await b.leads() }, "the second server takes over from the paused one")
            try await Task.sleep(nanoseconds: 1_000_000_000)
            a.send(SIGCONT)
            #expect(await eventually(within: 10) { !(await a.leads()) }, "the resumed server stood down")
            #expect(await b.leads())
            #expect(a.logText.contains("stopped leading"))

            // The new leader dies: a leads again (a new term in the same process) and finishes the Job.
            #expect(await eventually(within: 60) { await Self.succeeded(viaB) >= 20 })
            b.send(SIGKILL)
            #expect(await eventually(within: 20) { await a.leads() }, "the first server leads again")
            let done = await eventually(within: 120) { () async -> Bool in
                let job = try? await viaA.get(ResourceCatalog.jobs, namespace: "default", name: "indexed")
                return job?.value(at: ["status", "conditions"])?.array?.contains { $0["type"] == "Complete" && $0["status"] == "True" } == true
            }
            #expect(done, "the Job completes")

            let job = try await viaA.get(ResourceCatalog.jobs, namespace: "default", name: "indexed")
            #expect(job.value(at: ["status", "succeeded"])?.int == 60)
            #expect(job.value(at: ["status", "failed"])?.int ?? 0 == 0)
            let pods = try await viaA.list(ResourceCatalog.pods, namespace: "default").items
            var podsPerIndex: [String: Int] = [:]
            for pod in pods {
                podsPerIndex[pod.value(at: ["metadata", "annotations", "batch.kubernetes.io/job-completion-index"])?.string ?? "?", default: 0] += 1
            }
            #expect(podsPerIndex.count == 60, "one pod per index, no index missing")
            let twice = pods.filter { podsPerIndex[$0.value(at: ["metadata", "annotations", "batch.kubernetes.io/job-completion-index"])?.string ?? "?"] ?? 0 > 1 }
            #expect(twice.isEmpty, "no index got a second pod: \(twice.map { "\($0.value(at: ["metadata", "name"])!) \($0.value(at: ["status", "phase"]) ?? "-") \($0.value(at: ["metadata", "creationTimestamp"])!) \($0.value(at: ["spec", "nodeName"]) ?? "-")" })\n\(a.logText.suffix(3000))")
            let lease = try await viaA.get(ResourceCatalog.leases, namespace: "kube-system", name: "drover-control-plane")
            #expect((lease.value(at: ["spec", "leaseTransitions"])?.int ?? 0) >= 2)
        }
    }

    /// Kill -9 of the leading server mid-way through 1,000 one-pod Jobs: the other server takes
    /// over, and every Job completes exactly once with exactly one pod.
    @Test func killingTheLeaderMidwayThrough1000JobsCompletesEachExactlyOnce() async throws {
        try await offCooperativePool {
            let database = try TemporaryPostgres.createDatabase()
            let a = try DroverServerProcess(databaseURL: database, arguments: Self.electionFlags)
            defer { a.stop() }
            #expect(await eventually(within: 20) { await a.leads() })
            let b = try DroverServerProcess(databaseURL: database, arguments: Self.electionFlags)
            defer { b.stop() }
            let nodes = try Self.hollowNodes(on: b, count: 10)
            defer { nodes.interrupt(); nodes.waitUntilExit() }
            let viaB = try b.client()
            let count = 1000
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for i in stride(from: worker, to: count, by: 8) {
                            let job = """
                            {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j-\(i)"},
                             "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never",
                                      "containers": [{"name": "c", "image": "none", "command": ["true"]}]}}}}
                            """
                            _ = try await viaB.create(ResourceCatalog.jobs, namespace: "default", object: try JSONValue.parse(job))
                        }
                    }
                }
                try await group.waitForAll()
            }
            func finished() async -> Int {
                let jobs = (try? await viaB.list(ResourceCatalog.jobs, namespace: "default").items) ?? []
                return jobs.filter { ($0.value(at: ["status", "succeeded"])?.int ?? 0) > 0 }.count
            }
            #expect(await eventually(within: 120) { await finished() >= count / 3 })
            a.send(SIGKILL)
            #expect(await eventually(within: 20) { await b.leads() }, "the second server takes over")
            let allFinished = await eventually(within: 300) { await finished() == count }
            let finishedCount = await finished()
            #expect(allFinished, "every Job finishes: \(finishedCount) of \(count)")

            let jobs = try await viaB.list(ResourceCatalog.jobs, namespace: "default").items
            let completeOnce = jobs.filter { job in
                job.value(at: ["status", "succeeded"])?.int == 1 && (job.value(at: ["status", "failed"])?.int ?? 0) == 0
                    && job.value(at: ["status", "conditions"])?.array?.contains { $0["type"] == "Complete" && $0["status"] == "True" } == true
            }
            #expect(completeOnce.count == count)
            var podsPerJob: [String: Int] = [:]
            for pod in try await viaB.list(ResourceCatalog.pods, namespace: "default").items {
                podsPerJob[pod.value(at: ["metadata", "labels", "job-name"])?.string ?? "?", default: 0] += 1
            }
            #expect(podsPerJob.count == count)
            #expect(podsPerJob.filter { $0.value != 1 }.isEmpty, "Jobs with more than one pod: \(podsPerJob.filter { $0.value != 1 })")
        }
    }
}
